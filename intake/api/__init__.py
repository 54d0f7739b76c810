"""The REST API under /api/v1/: thin views over the same services as the web pages."""
