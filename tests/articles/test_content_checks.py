import pytest

from articles import services
from articles.content_checks import Content, run_checks
from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, RegionFactory, TopicFactory, UserFactory
from tests.forms import form_as_shown

pytestmark = pytest.mark.django_db

LONG_BODY = "## Background\n\n" + "A sentence of careful analysis with facts. " * 60


def _good(**changes) -> Content:
    fields = {
        "title": "Drones over Karabakh",
        "dek": "What the 2020 war taught about cheap drones.",
        "body": LONG_BODY,
        "kind": "analysis",
        "topic_count": 1,
        "region_count": 1,
    }
    return Content(**(fields | changes))


def _codes(content: Content) -> dict[str, str]:
    return {finding.code: finding.level for finding in run_checks(content)}


def test_a_complete_article_passes_every_check():
    assert run_checks(_good()) == []


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"dek": "  "}, "no_standfirst"),
        ({"has_image": True, "image_alt": ""}, "image_without_alt"),
        ({"body": LONG_BODY + "\n\n![](https://example.org/map.png)"}, "body_image_without_alt"),
        ({"rights": "republished", "source_outlet": "Eurasianet"}, "no_source"),
        ({"rights": "excerpt", "source_url": "https://example.org/a"}, "no_source"),
    ],
)
def test_errors_are_found(changes, code):
    assert _codes(_good(**changes)) == {code: "error"}


def test_a_link_to_our_draft_or_archived_article_is_an_error():
    ArticleFactory(draft=True, slug="secret-draft")
    ArticleFactory(status=Article.Status.ARCHIVED, slug="old-piece")
    ArticleFactory(slug="public-piece")
    body = LONG_BODY + (
        "\n\nSee [the draft](/articles/secret-draft/), [the old piece]"
        "(http://testserver/articles/old-piece/) and [the public one](/articles/public-piece/)."
    )
    findings = [f for f in run_checks(_good(body=body)) if f.code == "link_to_unpublished"]
    assert [f.message for f in findings] == [
        "The link to /articles/old-piece/ points to an article of ours that readers cannot "
        "see (it is archived).",
        "The link to /articles/secret-draft/ points to an article of ours that readers cannot "
        "see (it is draft).",
    ]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"title": "A" * 111}, "long_title"),
        ({"topic_count": 0}, "no_topic"),
        ({"region_count": 0}, "no_region"),
        ({"body": LONG_BODY + "\n\n#### Too deep"}, "skipped_heading"),
        ({"body": LONG_BODY + "\n\n[](https://example.org/)"}, "empty_link"),
        (
            {"body": LONG_BODY + "\n\nFor the data, [click here](https://example.org/)."},
            "vague_link",
        ),
        ({"body": "## Short\n\nOnly a few words."}, "short_analysis"),
    ],
)
def test_warnings_are_found(changes, code):
    assert _codes(_good(**changes)) == {code: "warning"}


def test_a_short_commentary_is_not_warned_about_length():
    assert _codes(_good(kind="commentary", body="## Short\n\nA few words.")) == {}


def test_publishing_is_refused_naming_each_error(editor):
    article = ArticleFactory(draft=True, dek="", body=LONG_BODY + "\n\n![](https://x.org/a.png)")
    with pytest.raises(services.TransitionError) as refused:
        services.article_publish(article=article, by=editor)
    assert "Write a standfirst" in refused.value.messages[0]
    assert "has no alt text" in refused.value.messages[1]
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_scheduling_runs_the_checks_too(editor):
    import datetime

    from django.utils import timezone

    article = ArticleFactory(draft=True, rights="republished", source_outlet="", source_url="")
    with pytest.raises(services.TransitionError, match="needs the source outlet"):
        services.article_schedule(
            article=article, by=editor, publish_at=timezone.now() + datetime.timedelta(days=1)
        )


def test_warnings_do_not_refuse_publishing(editor):
    article = ArticleFactory(draft=True, title="T" * 120, body="Short.")
    services.article_publish(article=article, by=editor)
    assert article.status == Article.Status.PUBLISHED


def test_the_change_form_refuses_publishing_with_the_failure_named(editor_client):
    article = ArticleFactory(draft=True, body="Text with ![](https://example.org/map.png).")
    url = f"/admin/articles/article/{article.pk}/change/"
    page = editor_client.get(url)
    assert "The image https://example.org/map.png in the body has no alt text" in page.text
    data = form_as_shown(page.text, "article_form") | {"_transition": ["publish"]}
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "The image https://example.org/map.png in the body has no alt text" in response.text
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_the_editor_preview_renders_with_the_sites_pipeline_and_checks(editor_client):
    response = editor_client.post(
        "/admin/articles/article/preview/",
        {
            "title": "A title",
            "dek": "",
            "body": "## Heading\r\n\r\nText <script>alert(1)</script> and ![](https://x.org/a.png)",
            "kind": "analysis",
            "topics": [str(TopicFactory().pk)],
            "regions": [str(RegionFactory().pk)],
        },
    )
    data = response.json()
    assert '<h2 id="heading">Heading</h2>' in data["html"]
    assert "<script" not in data["html"]
    assert data["words"] >= 3 and data["reading_minutes"] == 1
    codes = {check["code"]: check["level"] for check in data["checks"]}
    assert codes == {
        "incomplete": "error",  # no author in the byline
        "no_standfirst": "error",
        "body_image_without_alt": "error",
        "short_analysis": "warning",
    }
    assert "no-store" in response["Cache-Control"]


def test_the_preview_is_for_staff_only(client):
    response = client.post("/admin/articles/article/preview/", {"body": "Hello"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(UserFactory(is_staff=True))  # staff, but neither writer nor editor
    assert client.post("/admin/articles/article/preview/", {"body": "x"}).status_code == 403


def test_writers_see_the_checks_before_sending_to_review(writer, writer_client):
    article = ArticleFactory(draft=True, dek="", created_by=writer, authors=[AuthorFactory()])
    page = writer_client.get(f"/admin/articles/article/{article.pk}/change/")
    assert "Write a standfirst" in page.text
