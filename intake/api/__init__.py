"""The REST API under /api/v1/: thin views over the same services as the web pages."""

from . import schema  # noqa: F401  (registers the OpenAPI description of patient tokens)
