"""Editors get the publishing permission and the workflow models; writers can leave notes."""

from django.db import migrations

from base.roles import sync_roles


def grant(apps, schema_editor):
    # Every role migration applies the one table of roles, as it stands, to the models
    # that exist at this point of the history.
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_workflow")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
