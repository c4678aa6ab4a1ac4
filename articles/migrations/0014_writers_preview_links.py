"""Writers share their own drafts: they may add, revoke and see preview links."""

from django.db import migrations

from base.roles import sync_roles


def grant(apps, schema_editor):
    # Every role migration applies the one table of roles, as it stands, to the models
    # that exist at this point of the history.
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_import_permissions")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
