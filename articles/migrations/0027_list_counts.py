"""The counts of the public lists, kept on write (articles/models/list_counts.py,
articles/list_counts.py). Empty at first: each list is counted on its first read."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0026_translation_memory"),
    ]

    operations = [
        migrations.CreateModel(
            name="ListCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=40)),
                ("language", models.CharField(max_length=12)),
                ("count", models.PositiveIntegerField()),
                ("counted_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("key", "language"), name="list_count_per_language"
                    )
                ],
            },
        ),
    ]
