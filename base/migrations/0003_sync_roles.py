"""The roles once every app's models exist: the outbox's permissions moved with its model."""

from django.db import migrations

from base.roles import sync_roles


def sync(apps, schema_editor):
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0002_editors_issue_api_keys"),
        ("articles", "0017_remove_article_origin_submission"),
        ("notifications", "0005_notification_moves_to_outbox"),
        ("submissions", "0005_article_reverse_name"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
