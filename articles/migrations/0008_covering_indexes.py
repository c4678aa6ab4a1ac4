"""Indexes that let PostgreSQL count a tag's or an author's public articles from indexes
alone (index-only scans), without reading the wide article rows."""

from django.db import migrations

INDEXES = {
    "article_visibility": "articles_article (id) INCLUDE (status, publish_at)",
    "taggedtopic_by_tag": "articles_taggedtopic (tag_id, content_object_id)",
    "taggedregion_by_tag": "articles_taggedregion (tag_id, content_object_id)",
    "byline_by_author": "articles_byline (author_id, article_id)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, target in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_listing_indexes")]

    operations = [migrations.RunPython(create, drop)]
