"""The summary of an intake: built once from definitions and answers, shown as HTML and PDF."""
