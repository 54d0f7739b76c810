"""Integrity you can prove: database triggers, the audit hash chain and the re-check."""
