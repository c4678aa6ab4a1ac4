"""Editors issue and revoke API keys (the README and the API docs say they do)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = ("add_apikey", "change_apikey", "view_apikey")


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="newsroom", codename__in=EDITORS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_initial"),
        ("articles", "0004_workflow_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
