"""The patient intake service: a Django project with one app."""

from .celery import app as celery_app

__all__ = ["celery_app"]
