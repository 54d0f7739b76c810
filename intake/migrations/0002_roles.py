"""Create the two staff roles: Clinicians read answers; Front desk manages invitations only."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from intake.roles import ROLES, ensure_roles


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():  # permissions exist only after post_migrate
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, remove_roles)]
