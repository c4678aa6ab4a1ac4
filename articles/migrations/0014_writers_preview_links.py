"""Writers share their own drafts: they may add, revoke and see preview links."""

from django.db import migrations

WRITERS = ("add_previewlink", "change_previewlink", "view_previewlink")


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="articles", codename__in=WRITERS)
    Group.objects.get(name="Writers").permissions.add(*ours)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="articles", codename__in=WRITERS)
    Group.objects.get(name="Writers").permissions.remove(*ours)


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_import_permissions")]

    operations = [migrations.RunPython(grant, revoke)]
