"""The intake application."""

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Patient intake"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_migrate

        from . import audit, checks, sign_in  # noqa: F401  (checks registers the system checks)
        from .integrity import triggers

        audit.connect_signals()
        sign_in.connect_signals()
        connection_created.connect(
            triggers.register_sqlite_functions, dispatch_uid="intake-sqlite-functions"
        )
        pre_migrate.connect(
            triggers.drop_for_migrate, sender=self, dispatch_uid="intake-drop-sqlite-triggers"
        )
        post_migrate.connect(
            triggers.install_missing, sender=self, dispatch_uid="intake-install-triggers"
        )
