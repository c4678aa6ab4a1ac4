"""Editors issue and revoke API keys (the README and the API docs say they do)."""

from django.db import migrations

from base.roles import sync_roles


def grant(apps, schema_editor):
    # Every role migration applies the one table of roles, as it stands, to the models
    # that exist at this point of the history.
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_initial"),
        ("articles", "0004_workflow_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
