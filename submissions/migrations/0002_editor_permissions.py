"""Editors run the moderation queue, open calls and keep the message templates."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = (
    "add_call", "change_call", "delete_call", "view_call",
    "add_messagetemplate", "change_messagetemplate", "delete_messagetemplate",
    "view_messagetemplate",
    "view_submission", "change_submission",
    "add_submissionnote", "view_submissionnote",
    "view_submissionevent", "view_attachment",
)  # fmt: skip


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="submissions", codename__in=EDITORS)
    )


def seed_templates(apps, schema_editor):
    MessageTemplate = apps.get_model("submissions", "MessageTemplate")
    for purpose, name, body in [
        (
            "request_revision",
            "Sharpen the moves",
            "Thank you for your simulation. Before we can consider it for publication, please "
            "make the sequence of moves more concrete: for each move, say who acts, what they "
            "do and what response you expect, and tie the outcomes to those moves.",
        ),
        (
            "accept",
            "Accepted for publication",
            "We are glad to accept your simulation. An editor will prepare it for publication "
            "and may suggest small edits; we will send you the link when it is online.",
        ),
        (
            "reject",
            "Outside our focus",
            "Thank you for your simulation. After careful reading we have decided not to "
            "publish it: it falls outside the regional focus of our current programme. We hope "
            "you will send us future work.",
        ),
    ]:
        MessageTemplate.objects.get_or_create(purpose=purpose, name=name, defaults={"body": body})


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0001_initial"),
        ("notifications", "0002_editor_permissions"),
    ]

    operations = [
        migrations.RunPython(grant, migrations.RunPython.noop),
        migrations.RunPython(seed_templates, migrations.RunPython.noop),
    ]
