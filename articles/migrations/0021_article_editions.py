"""Editions: every article gets a language (English for what exists) and a translation key
of its own; a translation names its source edition and the source revision it followed."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

import base.languages


def give_each_article_its_own_key(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for pk in Article.objects.values_list("pk", flat=True).iterator():
        Article.objects.filter(pk=pk).update(translation_key=uuid.uuid4())


def analyse_articles(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE articles_article")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_image_library_permissions"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="language",
            field=models.CharField(default=base.languages.default_language, max_length=12),
        ),
        migrations.AddField(
            model_name="article",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_article_its_own_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="article",
            name="translation_key",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("status__in", ["published", "scheduled"])),
                fields=["language", "-publish_at", "-id"],
                name="article_public_by_language",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="translation_of",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="translations",
                to="articles.article",
            ),
        ),
        # The planner knows nothing of the new columns until the table is analysed: it took
        # language = 'en' for a rare value and read every article of a topic through it
        # (237 ms for a topic page at 100,000 articles instead of 2).
        migrations.RunPython(analyse_articles, migrations.RunPython.noop),
        migrations.AddField(
            model_name="article",
            name="source_revision",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="reversion.version",
            ),
        ),
    ]
