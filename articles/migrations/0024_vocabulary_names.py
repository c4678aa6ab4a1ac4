"""Names per language: topics, regions and series (name and description) and authors (the name
in each script) keep the other languages' names beside the default language's own fields."""

from django.db import migrations, models

import articles.models.vocabulary


def _names_field():
    return models.JSONField(
        blank=True,
        default=dict,
        validators=[articles.models.vocabulary.validate_names],
        verbose_name="names in other languages",
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0023_search_languages")]

    operations = [
        migrations.AddField(model_name=model, name="names", field=_names_field())
        for model in ("author", "region", "series", "topic")
    ]
