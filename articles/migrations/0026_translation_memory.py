"""The translation memory: paragraphs translated before, per language pair
(articles/models/translation_memory.py, articles/translation_memory.py)."""

import django.db.models.deletion
from django.db import migrations, models


def add_trigram_index(apps, schema_editor):
    # The closest earlier paragraph is found by trigram similarity on PostgreSQL (pg_trgm,
    # created by 0015); SQLite has no pg_trgm and compares with difflib instead.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS translation_unit_trigrams "
            "ON articles_translationunit USING gin (source_text gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS translation_unit_trigrams")


class Migration(migrations.Migration):
    dependencies = [("articles", "0025_translation_lifecycle")]

    operations = [
        migrations.CreateModel(
            name="TranslationUnit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("source_language", models.CharField(max_length=12)),
                ("target_language", models.CharField(max_length=12)),
                ("source_text", models.TextField()),
                ("source_hash", models.CharField(editable=False, max_length=64)),
                ("target_text", models.TextField()),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "article",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="articles.article",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("source_language", "target_language", "source_hash"),
                        name="translation_unit_source",
                    )
                ],
            },
        ),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
