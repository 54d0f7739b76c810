"""The clinic's pages: dashboard, invitations, the intake page, summary and PDF."""
