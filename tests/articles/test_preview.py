import datetime
import html

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article, PreviewLink
from tests.factories import ArticleFactory, TopicFactory
from tests.forms import form_as_shown

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return ArticleFactory(draft=True, title="Secret draft", topics=[TopicFactory(slug="drones")])


def test_editor_creates_a_preview_link_in_the_admin(editor, editor_client, draft):
    url = f"/admin/articles/article/{draft.pk}/change/"
    data = form_as_shown(editor_client.get(url).text, "article_form")
    data["preview_links-TOTAL_FORMS"] = ["1"]
    expires = timezone.now() + datetime.timedelta(days=7)
    data["preview_links-0-expires_at_0"] = [f"{expires:%Y-%m-%d}"]
    data["preview_links-0-expires_at_1"] = [f"{expires:%H:%M:%S}"]
    assert editor_client.post(url, data).status_code == 302
    link = draft.preview_links.get()
    assert link.created_by == editor
    assert link.get_absolute_url() in editor_client.get(url).text


def test_preview_link_shows_the_draft_as_it_will_look(client, draft):
    link = PreviewLink.objects.create(article=draft)
    response = client.get(link.get_absolute_url())
    assert response.status_code == 200
    assert "Secret draft" in response.text
    assert "<strong>Preview</strong>" in response.text
    assert '<meta name="robots" content="noindex, nofollow">' in response.text
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_default_preview_link_lasts_seven_days(client, draft):
    link = PreviewLink.objects.create(article=draft)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=6, hours=23)):
        assert client.get(link.get_absolute_url()).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        response = client.get(link.get_absolute_url())
    assert response.status_code == 410
    assert "This preview link expired on" in response.text
    assert "Secret draft" not in response.text


def test_revoked_preview_link_stops_working(client, editor_client, draft):
    link = PreviewLink.objects.create(article=draft)
    url = f"/admin/articles/article/{draft.pk}/change/"
    data = form_as_shown(editor_client.get(url).text, "article_form")
    data["preview_links-0-revoke"] = ["on"]
    assert editor_client.post(url, data).status_code == 302
    response = client.get(link.get_absolute_url())
    assert response.status_code == 410
    assert "revoked" in response.text and "Secret draft" not in response.text


@pytest.mark.parametrize("token", ["abc", "1:tampered:signature", "x" * 300])
def test_forged_preview_token_shows_nothing(client, draft, token):
    PreviewLink.objects.create(article=draft)
    response = client.get(f"/preview/{token}/")
    assert response.status_code == 404
    assert "not valid" in response.text and "Secret draft" not in response.text


def test_draft_with_a_preview_link_stays_out_of_every_public_list(client, draft):
    PreviewLink.objects.create(article=draft)
    ArticleFactory(title="Public piece", topics=[draft.topics.get()])
    year = timezone.now().year
    for url in ("/", "/topics/drones/", f"/archive/{year}/", draft.get_absolute_url()):
        assert "Secret draft" not in client.get(url).text, url


def _add_link_as_the_page_does(data: dict[str, list[str]]) -> dict[str, list[str]]:
    """What "Add another Preview link" sends: a copy of the empty form, defaults untouched."""
    data = dict(data)
    for name, value in list(data.items()):
        if "preview_links-__prefix__-" in name:  # the fields and their hidden initial values
            data[name.replace("__prefix__", "0")] = value
    data["preview_links-TOTAL_FORMS"] = ["1"]
    return data


def test_a_preview_link_saves_with_its_default_expiry(editor_client, draft):
    url = f"/admin/articles/article/{draft.pk}/change/"
    data = _add_link_as_the_page_does(form_as_shown(editor_client.get(url).text, "article_form"))
    assert editor_client.post(url, data).status_code == 302
    link = draft.preview_links.get()
    lifetime = link.expires_at - timezone.now()
    assert datetime.timedelta(days=6, hours=23) < lifetime <= datetime.timedelta(days=7)


def test_a_writer_shares_their_own_draft_with_a_preview_link(client, writer, writer_client):
    from tests.factories import AuthorFactory

    draft = ArticleFactory(
        draft=True, title="Wanda's draft", created_by=writer, authors=[AuthorFactory(user=writer)]
    )
    url = f"/admin/articles/article/{draft.pk}/change/"
    data = _add_link_as_the_page_does(form_as_shown(writer_client.get(url).text, "article_form"))
    assert writer_client.post(url, data).status_code == 302
    link = draft.preview_links.get()
    assert link.created_by == writer
    assert link.get_absolute_url() in writer_client.get(url).text
    assert "Wanda's draft" in html.unescape(client.get(link.get_absolute_url()).text)


def test_preview_link_of_an_archived_article_shows_nothing(client, draft):
    link = PreviewLink.objects.create(article=draft)
    draft.status = Article.Status.ARCHIVED
    draft.save()
    response = client.get(link.get_absolute_url())
    assert response.status_code == 410
    assert "no longer published" in response.text and "Secret draft" not in response.text


@pytest.mark.parametrize("status", ["review", "scheduled"])
def test_preview_link_shows_work_in_review_or_scheduled(client, draft, status):
    link = PreviewLink.objects.create(article=draft)
    draft.status = status
    draft.publish_at = timezone.now() + datetime.timedelta(days=2)
    draft.save()
    assert "Secret draft" in client.get(link.get_absolute_url()).text


def test_preview_link_of_a_published_article_leads_to_the_article(client, draft):
    link = PreviewLink.objects.create(article=draft)
    draft.status = Article.Status.PUBLISHED
    draft.publish_at = timezone.now()
    draft.save()
    response = client.get(link.get_absolute_url())
    assert response.status_code == 302 and response.url == draft.get_absolute_url()
