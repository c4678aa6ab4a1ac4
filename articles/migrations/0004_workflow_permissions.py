"""Editors get the publishing permission and the workflow models; writers can leave notes."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS_ALL = ("articlenote", "previewlink")
WRITERS = ("add_articlenote", "view_articlenote")


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="articles")
    editor_codenames = ["publish_article"] + [
        f"{action}_{model}"
        for model in EDITORS_ALL
        for action in ("add", "change", "delete", "view")
    ]
    Group.objects.get(name="Editors").permissions.add(*ours.filter(codename__in=editor_codenames))
    Group.objects.get(name="Writers").permissions.add(*ours.filter(codename__in=WRITERS))


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_workflow")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
