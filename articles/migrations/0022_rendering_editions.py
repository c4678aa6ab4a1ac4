"""A rendering keeps the piece's public editions (the page's switcher and hreflang); the
renderings already made are stale by their release and are made again when read."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0021_article_editions")]

    operations = [
        migrations.AddField(
            model_name="articlerendering",
            name="editions",
            field=models.JSONField(default=list),
        ),
    ]
