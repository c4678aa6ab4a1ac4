"""Publishing at hand: the checks panel lists what publishing refuses (one list), a refused
publish keeps the chosen image, a new article is signed by its editor, moves that cannot be
undone at once ask first, and the preview is the article page."""

import datetime
import html
import io
import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles import kept_image
from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory
from tests.forms import form_as_shown

pytestmark = pytest.mark.django_db

_PANEL_ERROR = re.compile(r'<li class="content-check content-check--error">(.*?)</li>', re.S)


def _panel_errors(page_html: str) -> set[str]:
    return {html.unescape(text.strip()) for text in _PANEL_ERROR.findall(page_html)}


def _png(name: str = "map.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (15, 76, 92)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    "change",
    [
        {"body": ""},
        {"bylines-0-DELETE": "on"},
        {"body": "", "bylines-0-DELETE": "on", "dek": ""},
        {"body": "See ![](https://example.org/map.png)."},
        {"rights": "republished", "source_outlet": "", "source_url": ""},
    ],
    ids=["no body", "no author", "three at once", "body image", "no source"],
)
def test_every_blocker_publishing_refuses_is_listed_in_the_checks_panel_first(
    editor_client, change
):
    article = ArticleFactory(draft=True, authors=[AuthorFactory()])
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_as_shown(editor_client.get(url).text, "article_form")
    data |= {name: [value] for name, value in change.items()}

    # The panel, live: what the editor's preview answers for the form as it stands.
    live = editor_client.post(
        "/admin/articles/article/preview/", data | {"_article": [str(article.pk)]}
    ).json()
    live_errors = {check["message"] for check in live["checks"] if check["level"] == "error"}

    refused = editor_client.post(url, data | {"_transition": ["publish"]})
    assert refused.status_code == 200
    reasons = set(refused.context["adminform"].form.non_field_errors())
    assert reasons, "publishing should have been refused"
    assert reasons <= live_errors
    # …and the panel of the page that says "refused" names the same things.
    assert reasons <= _panel_errors(refused.text)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_the_panel_of_a_saved_article_names_a_missing_author_and_body(editor_client):
    article = ArticleFactory(draft=True, body="", authors=[])
    article.bylines.all().delete()
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").text
    assert "To publish, the article needs a body and at least one author." in _panel_errors(page)


def test_a_refused_publish_keeps_the_chosen_featured_image_and_both_lists_name_its_alt_text(
    editor_client, media
):
    author = AuthorFactory()
    data = form_as_shown(editor_client.get("/admin/articles/article/add/").text, "article_form")
    data |= {
        "title": ["Drones over the Aras"],
        "dek": ["What the border saw."],
        "body": ["## The border\r\n\r\nText."],
        "bylines-0-author": [str(author.pk)],
        "image_alt": [""],
    }
    refused = editor_client.post(
        "/admin/articles/article/add/", data | {"image": _png(), "_transition": ["publish"]}
    )
    assert refused.status_code == 200
    form = refused.context["adminform"].form
    alt_missing = "The featured image has no alt text"
    assert any(alt_missing in error for error in form.non_field_errors())
    assert any(alt_missing in error for error in _panel_errors(refused.text))
    assert "Kept from your last try: map.png" in refused.text
    token = re.search(r'name="kept_image" value="([^"]+)"', refused.text).group(1)
    assert list((media / "pending" / "images").iterdir())

    # Shown again, the form still has the image: the live checks know it too.
    again = form_as_shown(refused.text, "article_form")
    assert again["kept_image"] == [token]
    live = editor_client.post("/admin/articles/article/preview/", again).json()
    assert any(alt_missing in check["message"] for check in live["checks"])
    assert re.search(r'<img src="/media/pending/images/\w+\.png"', live["page"])  # shown too

    # Alt text typed, published without choosing the file again.
    again |= {"image_alt": ["A drone over the river"], "_transition": ["publish"]}
    response = editor_client.post("/admin/articles/article/add/", again)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(title="Drones over the Aras")
    assert article.status == Article.Status.PUBLISHED
    assert article.image.name.endswith(".png")
    with article.image.open("rb") as saved:
        assert Image.open(saved).size == (40, 30)
    assert not list((media / "pending" / "images").iterdir())  # the waiting copy is gone


def test_a_forged_kept_image_token_is_ignored(editor_client, media):
    data = form_as_shown(editor_client.get("/admin/articles/article/add/").text, "article_form")
    forged = kept_image.keep(_png()).replace(":", ";", 1)
    data |= {"title": ["Forged"], "body": ["Text."], "dek": ["D."], "kept_image": [forged]}
    response = editor_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302
    assert not Article.objects.get(title="Forged").image


def test_a_new_article_is_signed_by_the_editors_own_author_profile(editor, editor_client):
    mine = AuthorFactory(name="Eddie Editor", user=editor)
    AuthorFactory(name="Someone Else")
    page = editor_client.get("/admin/articles/article/add/").text
    data = form_as_shown(page, "article_form")
    assert data["bylines-0-author"] == [str(mine.pk)]
    # No "needs at least one author" on the new page: the editor already signs it.
    assert not any("at least one author" in error for error in _panel_errors(page))
    data |= {"title": ["Signed by default"], "dek": ["D."], "body": ["Text."]}
    assert editor_client.post("/admin/articles/article/add/", data).status_code == 302
    article = Article.objects.get(title="Signed by default")
    assert article.ordered_authors() == [mine]


def test_an_editor_without_an_author_profile_starts_with_an_empty_byline(editor_client):
    AuthorFactory(name="Someone Else")
    data = form_as_shown(editor_client.get("/admin/articles/article/add/").text, "article_form")
    assert data.get("bylines-0-author", [""]) == [""]


def _submit_buttons(page_html: str) -> list[str]:
    """The workflow moves a click submits at once (outside a confirmation dialog)."""
    outside = re.sub(r"<dialog\b.*?</dialog>", "", page_html, flags=re.S)
    return re.findall(r'<button type="submit" name="_transition" value="(\w+)"', outside)


@pytest.mark.parametrize(
    ("status", "confirmed"),
    [("published", ["unpublish", "archive"]), ("draft", ["archive"]), ("review", ["archive"])],
)
def test_archive_and_unpublish_ask_for_confirmation_first(editor_client, status, confirmed):
    article = ArticleFactory(status=status, title="Border posts")
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").text
    for move in confirmed:
        assert move not in _submit_buttons(page)
        assert f'data-confirm="confirm-{move}"' in page
        dialog = re.search(rf'<dialog id="confirm-{move}".*?</dialog>', page, re.S).group(0)
        assert "Border posts" in dialog
        assert f'name="_transition" value="{move}"' in dialog
        assert "Cancel" in dialog


def test_a_new_article_is_not_offered_archiving(editor_client):
    page = editor_client.get("/admin/articles/article/add/").text
    assert "Archive" not in page
    assert _submit_buttons(page) == ["submit", "publish", "schedule"]
    data = form_as_shown(page, "article_form") | {
        "title": ["Never saved"],
        "body": ["Text."],
        "_transition": ["archive"],
    }
    response = editor_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 200
    assert "Save the article first" in response.text
    assert not Article.objects.filter(title="Never saved").exists()


def test_one_row_of_actions_with_one_save_button(editor_client):
    article = ArticleFactory(draft=True)
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").text
    assert page.count("data-action-bar") == 1
    assert page.count('name="_continue"') == 1
    assert 'name="_save"' not in page and 'name="_addanother"' not in page
    assert "submit-row" not in page


def test_the_preview_is_the_article_page_with_title_standfirst_and_byline(editor_client):
    author = AuthorFactory(name="Leyla Aliyeva", title="Senior Fellow")
    response = editor_client.post(
        "/admin/articles/article/preview/",
        {
            "title": "Gas through Georgia",
            "dek": "Pipelines and politics.",
            "body": "## Routes\n\nThe pipeline runs west.",
            "kind": "report",
            "key_takeaways": "Routes matter\nPrices follow",
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-author": str(author.pk),
        },
    )
    page = response.json()["page"]
    assert '<article class="article' in page
    assert "<h1>Gas through Georgia</h1>" in page
    assert '<p class="dek">Pipelines and politics.</p>' in page
    assert "Leyla Aliyeva" in page and "Senior Fellow" in page
    assert "Key takeaways" in page and "<li>Routes matter</li>" in page
    assert '<h2 id="routes">Routes</h2>' in page
    assert "Cite this" not in page
    assert not Article.objects.exists()  # nothing saved


def test_a_draft_can_be_seen_as_readers_will_see_it_by_the_newsroom_only(client, editor_client):
    draft = ArticleFactory(draft=True, title="Unseen yet", authors=[AuthorFactory(name="Ana")])
    url = f"/admin/articles/article/{draft.pk}/as-readers/"
    response = editor_client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "<h1>Unseen yet</h1>" in text and "Ana" in text
    assert "Only the newsroom can open this page" in text
    assert 'href="/static/css/site.css"' in text or "site." in text
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert client.get(url).status_code == 302  # to the admin's login
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_preview_link_is_shown_whole_with_a_copy_button(editor_client, settings):
    settings.SITE_URL = "https://newsroom.example.org"
    draft = ArticleFactory(draft=True)
    link = draft.preview_links.create()
    page = editor_client.get(f"/admin/articles/article/{draft.pk}/change/").text
    address = f"https://newsroom.example.org{link.get_absolute_url()}"
    assert f'href="{address}"' in page
    assert f'data-copy="{address}"' in page and "Copy link" in page


def test_kept_images_of_forms_never_sent_again_are_deleted_after_a_day(media):
    fresh = kept_image.read(kept_image.keep(_png("fresh.png")))
    old = kept_image.read(kept_image.keep(_png("old.png")))
    two_days_ago = (timezone.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(media / old.name, (two_days_ago, two_days_ago))
    assert kept_image.forget_stale(now=timezone.now()) == 1
    assert (media / fresh.name).exists() and not (media / old.name).exists()
    assert kept_image.forget_stale(now=timezone.now()) == 0


@pytest.mark.parametrize("move", ["archive", "unpublish"])
def test_archiving_or_unpublishing_from_the_list_asks_first(editor_client, move):
    article = ArticleFactory(title="Border posts")
    chosen = {"action": move, "_selected_action": [article.pk]}
    page = editor_client.post("/admin/articles/article/", chosen)
    assert page.status_code == 200
    assert "Border posts" in page.text and "1 article?" in page.text
    assert 'name="apply" value="1"' in page.text
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    editor_client.post("/admin/articles/article/", chosen | {"apply": "1"})
    article.refresh_from_db()
    assert article.status == {"archive": "archived", "unpublish": "draft"}[move]
