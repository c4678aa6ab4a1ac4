"""Search per language: every edition's vector in its own language's configuration, from
texts normalised in Python (articles/search_text.py); the word list of "did you mean"
counted again with Persian letters folded as search reads them.

Nothing in the schema changes: which configuration a language uses is settings
(`SEARCH_CONFIGS`), so a new language needs no migration. pg_trgm, which "did you mean"
uses, came with 0015.
"""

from django.db import migrations


def check_configurations(apps, schema_editor):
    """Say plainly which configuration PostgreSQL lacks, rather than fail on every save."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from articles.search_text import search_configs

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        present = {name for (name,) in cursor.fetchall()}
    missing = {lang: cfg for lang, cfg in search_configs().items() if cfg not in present}
    if missing:
        raise RuntimeError(
            f"PostgreSQL has no text-search configuration {sorted(set(missing.values()))} "
            f"(for {sorted(missing)}; 'armenian' came with PostgreSQL 13). Set "
            "SEARCH_CONFIGS in settings to 'simple' for those languages, then migrate again."
        )


def recompute_vectors(apps, schema_editor):
    """Every article's vector again, in its language's configuration (at 100,000 articles
    some minutes: each text is read, normalised and written back)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from articles.models.article import update_search_vectors

    update_search_vectors(apps.get_model("articles", "Article").objects.all())


def recount_words(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from articles.models import published_q
    from articles.search_help import count_public_words

    Article = apps.get_model("articles", "Article")
    SearchWord = apps.get_model("articles", "SearchWord")
    counts = count_public_words(Article.objects.filter(published_q()))
    SearchWord.objects.all().delete()
    SearchWord.objects.bulk_create(
        [SearchWord(word=word, articles=n) for word, n in sorted(counts.items())],
        batch_size=5000,
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0022_rendering_editions")]

    operations = [
        migrations.RunPython(check_configurations, migrations.RunPython.noop),
        migrations.RunPython(recompute_vectors, migrations.RunPython.noop),
        migrations.RunPython(recount_words, migrations.RunPython.noop),
    ]
