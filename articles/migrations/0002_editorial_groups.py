"""The two editorial groups. Issue-level rules (who may publish) live in the services; the
groups carry the model permissions the admin needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
WRITERS = "Writers"

ALL_ACTIONS = ("add", "change", "delete", "view")
EDITOR_MODELS = (
    "article", "author", "series", "topic", "region", "byline", "move", "correction",
    "taggedtopic", "taggedregion",
)  # fmt: skip
WRITER_PERMISSIONS = (
    "add_article", "change_article", "view_article",
    "add_byline", "change_byline", "delete_byline", "view_byline",
    "add_move", "change_move", "delete_move", "view_move",
    "add_taggedtopic", "change_taggedtopic", "delete_taggedtopic", "view_taggedtopic",
    "add_taggedregion", "change_taggedregion", "delete_taggedregion", "view_taggedregion",
    "view_author", "view_series", "view_topic", "view_region", "view_correction",
    "add_topic", "add_region",
)  # fmt: skip


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    articles_permissions = Permission.objects.filter(content_type__app_label="articles")

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editor_codenames = [f"{action}_{model}" for model in EDITOR_MODELS for action in ALL_ACTIONS]
    editors.permissions.add(*articles_permissions.filter(codename__in=editor_codenames))

    writers, _ = Group.objects.get_or_create(name=WRITERS)
    writers.permissions.add(*articles_permissions.filter(codename__in=WRITER_PERMISSIONS))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORS, WRITERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
