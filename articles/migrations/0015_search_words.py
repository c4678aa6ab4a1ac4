from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


def add_trigram_index(apps, schema_editor):
    # "Did you mean" looks words up by trigram similarity on PostgreSQL; SQLite has no
    # pg_trgm (and suggests with difflib instead).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_word_trigrams ON articles_searchword "
            "USING gin (word gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_word_trigrams")


def fill(apps, schema_editor):
    """The words of the articles already public (about a minute at 100,000 articles)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from articles.models import published_q
    from articles.search_help import count_public_words

    Article = apps.get_model("articles", "Article")
    SearchWord = apps.get_model("articles", "SearchWord")
    counts = count_public_words(Article.objects.filter(published_q()))
    SearchWord.objects.bulk_create(
        [SearchWord(word=word, articles=n) for word, n in sorted(counts.items())],
        batch_size=5000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_writers_preview_links"),
    ]

    operations = [
        TrigramExtension(),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=40, unique=True)),
                ("articles", models.PositiveIntegerField(default=1)),
            ],
        ),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
