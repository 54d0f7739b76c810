"""The intake application."""

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Patient intake"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
