"""The link between an accepted simulation and its article moves to the submission: the
articles app no longer knows where a piece came from."""

import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Submission = apps.get_model("submissions", "Submission")
    links = Article.objects.exclude(origin_submission=None).values_list("pk", "origin_submission")
    for article_id, submission_id in links:
        Submission.objects.filter(pk=submission_id).update(article_id=article_id)


def copy_links_back(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Submission = apps.get_model("submissions", "Submission")
    for submission_id, article_id in Submission.objects.exclude(article=None).values_list(
        "pk", "article"
    ):
        Article.objects.filter(pk=article_id).update(origin_submission_id=submission_id)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_control_characters_and_pdf_prints"),
        ("submissions", "0003_cap_long_text_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="article",
            # No reverse name yet: the article's own field of that name goes next.
            field=models.OneToOneField(
                blank=True,
                help_text="The article this simulation was accepted as.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="articles.article",
            ),
        ),
        migrations.RunPython(copy_links, copy_links_back),
    ]
