"""Editors manage what an archive import leaves: proposed topics, old addresses, records."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = (
    "view_termproposal",
    "change_termproposal",
    "delete_termproposal",
    "add_redirect",
    "change_redirect",
    "delete_redirect",
    "view_redirect",
    "view_importrecord",
    "delete_importrecord",
)


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="articles", codename__in=EDITORS)
    Group.objects.get(name="Editors").permissions.add(*ours)


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_vocabulary_keywords")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
