import html
import re

import pytest

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    RegionFactory,
    SeriesFactory,
    TopicFactory,
)
from tests.forms import form_as_shown

pytestmark = pytest.mark.django_db


def test_article_list_shows_columns_and_filters(editor_client):
    for title in ("Drones over Karabakh", "The Lachin road"):
        ArticleFactory(
            title=title,
            authors=[AuthorFactory(name=f"Author of {title}")],
            series=SeriesFactory(),
            topics=[TopicFactory()],
            regions=[RegionFactory()],
        )
    page = editor_client.get("/admin/articles/article/").text
    assert "Drones over Karabakh" in page and "Author of The Lachin road" in page
    for filter_title in ("status", "kind", "series", "topic", "region", "author"):
        assert f"By {filter_title}" in page
    assert editor_client.get("/admin/articles/article/?q=Karabakh").status_code == 200


def test_topics_are_picked_by_autocomplete(editor_client):
    TopicFactory(name="Drones")
    TopicFactory(name="Diplomacy")
    response = editor_client.get(
        "/admin/autocomplete/",
        {"term": "dro", "app_label": "articles", "model_name": "article", "field_name": "topics"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Drones"]


def _new_article_form(**fields) -> dict:
    return {
        "kind": "analysis",
        "dek": "Short.",
        "body": "## Heading\n\nText.",
        "regions": [],
        "status": "draft",
        "rights": "exclusive",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "moves-TOTAL_FORMS": "0",
        "moves-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "notes-TOTAL_FORMS": "0",
        "notes-INITIAL_FORMS": "0",
        "preview_links-TOTAL_FORMS": "0",
        "preview_links-INITIAL_FORMS": "0",
        **fields,
    }


def test_titles_in_the_regions_scripts_get_readable_addresses_that_never_collide(editor_client):
    """An Armenian title got the slug "2023" (the admin's script knows no Armenian letter),
    and the next title naming that year collided with it."""
    add = editor_client.get("/admin/articles/article/add/").text
    # No slug prefilled by the admin's script: the server makes it, for every script.
    assert 'data-prepopulated-fields="[]"' in add
    titles = {
        "Ղարաբաղը 2023-ից հետո": "gharabaghy-2023-its-heto",
        "Ղարաբաղը 2023-ից հետո ": "gharabaghy-2023-its-heto-2",
        "Карабах после 2023 года": "karabakh-posle-2023-goda",
        "قره‌باغ پس از ۲۰۲۳": "qrhbgh-ps-z-2023",
        "2023": "analysis-2023",
    }
    for title, slug in titles.items():
        response = editor_client.post(
            "/admin/articles/article/add/", _new_article_form(title=title, slug="")
        )
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert Article.objects.get(slug=slug).title == title.strip()
    typed = editor_client.post(
        "/admin/articles/article/add/",
        _new_article_form(title="Another", slug="Карабах после 2023 года"),
    )
    assert "belongs to another article" in typed.text
    assert "Карабах после 2023 года" in typed.text  # what was typed stays in the form


def test_editor_creates_an_article_with_authors_topics_and_regions(editor_client):
    author = AuthorFactory()
    topic = TopicFactory()
    response = editor_client.post(
        "/admin/articles/article/add/",
        {
            "title": "A new analysis",
            "slug": "a-new-analysis",
            "kind": "analysis",
            "dek": "Short.",
            "body": "## Heading\n\nText.",
            "topics": [topic.pk],
            "regions": [],
            "status": "draft",
            "rights": "exclusive",
            "bylines-TOTAL_FORMS": "1",
            "bylines-INITIAL_FORMS": "0",
            "bylines-0-author": author.pk,
            "bylines-0-position": "0",
            "moves-TOTAL_FORMS": "0",
            "moves-INITIAL_FORMS": "0",
            "corrections-TOTAL_FORMS": "0",
            "corrections-INITIAL_FORMS": "0",
            "notes-TOTAL_FORMS": "0",
            "notes-INITIAL_FORMS": "0",
            "preview_links-TOTAL_FORMS": "0",
            "preview_links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="a-new-analysis")
    assert list(article.topics.all()) == [topic]
    assert article.ordered_authors() == [author]
    assert '<h2 id="heading">Heading</h2>' in article.body_html


def test_video_from_an_unknown_host_is_refused_and_kept_in_the_form(editor_client):
    article = ArticleFactory(kind="briefing", video_url="https://www.youtube.com/watch?v=abc123")
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_as_shown(editor_client.get(url).text, "article_form")
    data["video_url"] = ["https://evil.example/video.mp4"]
    response = editor_client.post(url, data)
    assert response.status_code == 200
    # The field's own error: its help text ("YouTube or Vimeo only.") is on every form.
    assert response.context["adminform"].form.errors["video_url"] == [
        "Videos can only come from YouTube or Vimeo."
    ]
    assert 'value="https://evil.example/video.mp4"' in response.text
    article.refresh_from_db()
    assert article.video_url == "https://www.youtube.com/watch?v=abc123"


def test_every_article_can_be_viewed_as_readers_will_see_it(editor_client):
    public = ArticleFactory()
    draft = ArticleFactory(draft=True)
    page = editor_client.get(f"/admin/articles/article/{public.pk}/change/").text
    assert f'href="{public.get_absolute_url()}"' in page
    assert "View as readers will see it" in page
    page = editor_client.get(f"/admin/articles/article/{draft.pk}/change/").text
    assert "View as readers will see it" in page
    assert f'href="/admin/articles/article/{draft.pk}/as-readers/"' in page


def test_a_body_over_the_cap_is_refused_and_kept(editor_client):
    from articles.models import BODY_MAX_CHARS

    assert f'maxlength="{BODY_MAX_CHARS}"' in editor_client.get("/admin/articles/article/add/").text
    body = "## Heading\n\n" + "A sentence of the body. " * 2_500  # 60,012 characters
    response = editor_client.post(
        "/admin/articles/article/add/",
        {
            "title": "Too long", "slug": "too-long", "kind": "analysis", "dek": "Short.",
            "body": body, "status": "draft", "rights": "exclusive",
            "bylines-TOTAL_FORMS": "0", "bylines-INITIAL_FORMS": "0",
            "moves-TOTAL_FORMS": "0", "moves-INITIAL_FORMS": "0",
            "corrections-TOTAL_FORMS": "0", "corrections-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "at most 60000 characters (it has 60011)" in response.text
    assert response.text.count("A sentence of the body.") == 2_500
    assert not Article.objects.filter(slug="too-long").exists()


def test_the_text_fields_follow_their_editions_direction(editor_client):
    source = ArticleFactory(title="Tehran and the route", dek="A road.")
    persian = ArticleFactory(
        language="fa",
        translation_key=source.translation_key,
        translation_of=source,
        title="تهران و مسیر",
        dek="یک جاده.",
    )

    def text_fields(article):
        page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").text
        fields = {
            name: re.search(rf'<textarea name="{name}"[^>]*>', page).group(0)
            for name in ("title", "dek", "body")
        }
        frame = html.unescape(page.split('srcdoc="', 1)[1].split('"></iframe>', 1)[0])
        preview = re.search(r"<html ([^>]*)>", frame).group(1)
        return fields, preview

    fields, preview = text_fields(persian)
    assert all('lang="fa"' in tag and 'dir="rtl"' in tag for tag in fields.values()), fields
    assert preview == 'lang="fa" dir="rtl"'
    fields, preview = text_fields(source)
    assert all('lang="en"' in tag and 'dir="ltr"' in tag for tag in fields.values()), fields
    assert preview == 'lang="en" dir="ltr"'
