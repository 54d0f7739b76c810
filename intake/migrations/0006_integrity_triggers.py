"""Database triggers: the audit trail is append-only, submitted answers are frozen."""

from django.db import migrations


def install(apps, schema_editor):
    from intake.integrity import triggers

    triggers.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from intake.integrity import triggers

    triggers.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0005_audit_chain"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
