from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_control_characters_and_pdf_prints"),
        ("submissions", "0004_submission_article"),
    ]

    operations = [
        migrations.RemoveField(model_name="article", name="origin_submission"),
    ]
