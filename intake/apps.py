"""The intake application."""

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Patient intake"

    def ready(self) -> None:
        from . import audit, checks, sign_in  # noqa: F401  (checks registers the system checks)

        audit.connect_signals()
        sign_in.connect_signals()
