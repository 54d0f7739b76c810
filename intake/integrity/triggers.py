"""Database triggers that keep the audit trail append-only and submitted answers frozen.

They hold whatever writes the row: the ORM, `QuerySet.update`, `bulk_update`, `_base_manager`,
raw SQL. One removal path stays open, on both databases: an intake row or a response row may be
deleted only once an `intake_purged` audit event names its intake (`intake.retention` writes it
first, in the same transaction). `manage.py flush` empties whole tables: on PostgreSQL it
issues TRUNCATE, which fires no row trigger; on SQLite it deletes row by row, so its DELETE
triggers ask `intake_flush_allowed()`, a function the app registers on its own connections,
true only while `intake`'s flush command runs (any other client, such as the sqlite3 shell, has
no such function, so its deletes fail).

SQLite alters a table by rebuilding it, which drops the table's triggers, and refuses to rebuild
the audit table while another table's trigger names it. So on SQLite the triggers are dropped
before every `migrate` (`drop_for_migrate`) and installed after it (`install_missing`); on
PostgreSQL migration 0006 installs them once and they stay. `verify_integrity` reports any
that are missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.base.base import BaseDatabaseWrapper

AUDIT_CHANGED = "Audit events cannot be changed or deleted."
ANSWERS_FROZEN = "Submitted answers cannot be changed."
REMOVAL_UNRECORDED = "An intake or its answers can be removed only by the retention path."
SUBMISSION_FROZEN = "The submission and stored PDF of a submitted intake cannot be changed."

# Whether a row's intake has an `intake_purged` event: the one way to remove intake rows.
_PURGE_RECORDED = (
    "EXISTS (SELECT 1 FROM intake_auditevent "
    "WHERE intake_auditevent.intake_id = {column} AND action = 'intake_purged')"
)
# A submitted intake keeps its status and submission time; its PDF is recorded once.
_SUBMISSION_CHANGED = (
    "OLD.status = 'submitted' AND (NEW.status <> OLD.status "
    "OR NEW.submitted_at IS NOT OLD.submitted_at "
    "OR (OLD.summary_pdf_sha256 <> '' AND (NEW.summary_pdf_sha256 <> OLD.summary_pdf_sha256 "
    "OR NEW.summary_pdf <> OLD.summary_pdf)))"
)

# name: (table, timing and event, condition or "", message)
TRIGGERS: dict[str, tuple[str, str, str, str]] = {
    "intake_audit_no_update": ("intake_auditevent", "BEFORE UPDATE", "", AUDIT_CHANGED),
    "intake_audit_no_delete": ("intake_auditevent", "BEFORE DELETE", "", AUDIT_CHANGED),
    "intake_response_frozen": (
        "intake_response",
        "BEFORE UPDATE",
        "OLD.submitted_at IS NOT NULL",
        ANSWERS_FROZEN,
    ),
    "intake_response_removal": (
        "intake_response",
        "BEFORE DELETE",
        "NOT " + _PURGE_RECORDED.format(column="OLD.intake_id"),
        REMOVAL_UNRECORDED,
    ),
    "intake_intake_removal": (
        "intake_intake",
        "BEFORE DELETE",
        "NOT " + _PURGE_RECORDED.format(column="OLD.id"),
        REMOVAL_UNRECORDED,
    ),
    "intake_intake_submitted": (
        "intake_intake",
        "BEFORE UPDATE",
        _SUBMISSION_CHANGED,
        SUBMISSION_FROZEN,
    ),
}


def _sqlite_statements() -> Iterator[str]:
    for name, (table, when, condition, message) in TRIGGERS.items():
        conditions = [condition] if condition else []
        if when.endswith("DELETE"):
            conditions.insert(0, "NOT intake_flush_allowed()")
        where = f" WHEN {' AND '.join(conditions)}" if conditions else ""
        yield f"DROP TRIGGER IF EXISTS {name}"
        yield (
            f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW{where} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )


def _postgresql_statements() -> Iterator[str]:
    yield (
        "CREATE OR REPLACE FUNCTION intake_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation'; "
        "END $$"
    )
    for name, (table, when, condition, message) in TRIGGERS.items():
        # PostgreSQL writes "IS DISTINCT FROM" where SQLite writes "IS NOT"; a trigger's WHEN
        # may not hold a subquery, so the purge check moves into the statement's own WHEN.
        condition = condition.replace(" IS NOT OLD.", " IS DISTINCT FROM OLD.")
        yield f"DROP TRIGGER IF EXISTS {name} ON {table}"
        if "EXISTS (" in condition:
            yield _postgresql_removal_function(name, condition, message)
            action = f"EXECUTE FUNCTION {name}_check()"
            where = ""
        else:
            action = f"EXECUTE FUNCTION intake_refuse('{message}')"
            where = f" WHEN ({condition})" if condition else ""
        yield f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW{where} {action}"


def _postgresql_removal_function(name: str, condition: str, message: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}_check() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN IF {condition} THEN RAISE EXCEPTION '{message}' "
        "USING ERRCODE = 'integrity_constraint_violation'; END IF; RETURN OLD; END $$"
    )


def install(connection: BaseDatabaseWrapper) -> None:
    """Create (or replace) every trigger on this database."""
    statements = (
        _postgresql_statements() if connection.vendor == "postgresql" else _sqlite_statements()
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    """Drop every trigger (the migration's reverse)."""
    with connection.cursor() as cursor:
        for name, (table, *_) in TRIGGERS.items():
            on = f" ON {table}" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}{on}")


def missing(connection: BaseDatabaseWrapper) -> list[str]:
    """Return the names of the triggers this database lacks."""
    if connection.vendor == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    with connection.cursor() as cursor:
        cursor.execute(query)
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in TRIGGERS if name not in present]


def drop_for_migrate(sender, using: str = "default", **kwargs) -> None:
    """Before `migrate` on SQLite: drop the triggers, so tables can be rebuilt (pre_migrate)."""
    from django.db import connections

    if connections[using].vendor == "sqlite":
        uninstall(connections[using])


def install_missing(sender, using: str = "default", **kwargs) -> None:
    """After `migrate` (and flush) on SQLite: install missing triggers (post_migrate receiver)."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return  # migration 0006 installed them, and PostgreSQL keeps them through ALTER TABLE
    tables = set(connection.introspection.table_names())
    if {table for table, *_ in TRIGGERS.values()} <= tables and missing(connection):
        install(connection)


def register_sqlite_functions(sender, connection: BaseDatabaseWrapper, **kwargs) -> None:
    """Give each new SQLite connection `intake_flush_allowed()` (connection_created receiver)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "intake_flush_allowed", 0, lambda: int(getattr(connection, "intake_flushing", False))
        )


@contextmanager
def flush_allowed(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Let `manage.py flush` empty the protected tables on SQLite, on this connection only."""
    connection.intake_flushing = True
    try:
        yield
    finally:
        connection.intake_flushing = False
