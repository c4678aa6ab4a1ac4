"""Editors run the moderation queue, open calls and keep the message templates."""

from django.db import migrations

from base.roles import sync_roles


def grant(apps, schema_editor):
    # Every role migration applies the one table of roles, as it stands, to the models
    # that exist at this point of the history.
    sync_roles(apps)


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
