"""Editors and writers use the image library; only editors delete from it."""

from django.db import migrations

from base.roles import sync_roles


def grant(apps, schema_editor):
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("articles", "0019_image_library")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
