from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_writers_preview_links"),
        ("submissions", "0004_submission_article"),
    ]

    operations = [
        migrations.RemoveField(model_name="article", name="origin_submission"),
    ]
