"""Django's `flush`, allowed past the SQLite triggers that refuse row-by-row deletes."""

from django.core.management.commands import flush
from django.db import connections

from intake.integrity.triggers import flush_allowed


class Command(flush.Command):
    """Empty every table, as Django's flush does (the test runner uses it between tests).

    On PostgreSQL flush issues TRUNCATE, which fires no row trigger; on SQLite it deletes row by
    row, so the audit and answers triggers are told, on this connection only, to let it through.
    """

    def handle(self, **options):
        with flush_allowed(connections[options["database"]]):
            return super().handle(**options)
