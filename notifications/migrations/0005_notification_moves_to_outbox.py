"""The outbox's model moves to the outbox app: its table, rows and permissions stay."""

import django.db.models.deletion
from django.db import migrations, models


def relabel(apps, schema_editor):
    # The content type follows the model, so the permissions granted on it (editors view
    # and re-send notifications) stay granted.
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="outbox", model="notification").exists():
        ContentType.objects.filter(app_label="notifications", model="notification").update(
            app_label="outbox"
        )


def unlabel(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="outbox", model="notification").update(
        app_label="notifications"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("notifications", "0004_webhook_permissions"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="webhookdelivery",
                    name="notification",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="webhook_attempts",
                        to="outbox.notification",
                    ),
                ),
                migrations.DeleteModel(name="Notification"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel, unlabel),
    ]
