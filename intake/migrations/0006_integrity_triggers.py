"""Database triggers: the audit trail is append-only, submitted answers are frozen."""

from django.db import migrations


def install(apps, schema_editor):
    from intake.integrity import triggers

    # SQLite rebuilds tables to alter them, which would drop or trip over the triggers: there
    # they are installed after every migrate instead (intake.integrity.triggers).
    if schema_editor.connection.vendor == "postgresql":
        triggers.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from intake.integrity import triggers

    triggers.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0005_audit_chain"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
