"""WSGI entry point for gunicorn and other WSGI servers."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intake.settings")
application = get_wsgi_application()

# Load the URL configuration, and with it every view module, now rather than on the first
# request: under gunicorn's preload_app this happens once, before the workers are forked.
get_resolver().url_patterns  # noqa: B018
