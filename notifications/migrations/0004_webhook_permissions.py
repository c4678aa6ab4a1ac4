"""Editors register webhook endpoints and read their delivery logs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = (
    "add_webhookendpoint", "change_webhookendpoint", "delete_webhookendpoint",
    "view_webhookendpoint", "view_webhookdelivery",
)  # fmt: skip


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
        *Permission.objects.filter(content_type__app_label="notifications", codename__in=EDITORS)
    )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_webhooks")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
