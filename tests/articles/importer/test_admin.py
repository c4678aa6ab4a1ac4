import pytest
from django.contrib.auth.models import Permission

from articles.models import Article, TermProposal, Topic

from .conftest import UPLOADS, WXR

pytestmark = pytest.mark.django_db


def test_an_editor_accepts_a_proposed_topic_and_its_articles_get_it(
    vocabulary, run_import, editor_client
):
    run_import(WXR, media_dir=UPLOADS)
    proposal = TermProposal.objects.get(name="Araz river")

    response = editor_client.post(
        "/admin/articles/termproposal/",
        {"action": "accept", "_selected_action": [proposal.pk]},
        follow=True,
    )

    assert "“Araz river” is a topic now." in response.content.decode()
    topic = Topic.objects.get(name="Araz river")
    assert [a.slug for a in Article.objects.tagged_topic(topic)] == ["drills-on-the-araz"]
    proposal.refresh_from_db()
    assert proposal.status == "accepted"


def test_a_writer_cannot_accept_a_proposed_topic(vocabulary, run_import, writer, writer_client):
    run_import(WXR, media_dir=UPLOADS)
    proposal = TermProposal.objects.get(name="Araz river")
    writer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_termproposal", "change_termproposal"])
    )

    writer_client.post(
        "/admin/articles/termproposal/", {"action": "accept", "_selected_action": [proposal.pk]}
    )

    assert not Topic.objects.filter(name="Araz river").exists()


def test_the_import_screens_list_records_and_old_addresses(vocabulary, run_import, admin_client):
    run_import(WXR, media_dir=UPLOADS)

    records = admin_client.get("/admin/articles/importrecord/")
    redirects = admin_client.get("/admin/articles/redirect/?q=khaybar")

    assert records.status_code == 200
    assert "wordpress:https://blog.caucasus-center.example:101" in records.content.decode()
    assert "/2021/10/04/khaybar-drills" in redirects.content.decode()


def test_topics_have_editable_keywords_in_the_admin(admin_client):
    topic = Topic.objects.create(name="Drones", slug="drones")

    response = admin_client.post(
        f"/admin/articles/topic/{topic.pk}/change/",
        {"name": "Drones", "slug": "drones", "description": "", "keywords": "drone\nUAV"},
    )

    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.keywords == "drone\nUAV"


def test_accepting_a_proposed_topic_tells_partners_the_public_article_changed(
    vocabulary, run_import, editor_client, django_capture_on_commit_callbacks
):
    """The topic is added through the article's edit service: a revision, and
    `article.updated` for partners, as for any other edit readers see."""
    from reversion.models import Version

    from notifications.models import WebhookEndpoint
    from outbox.models import Notification

    run_import(WXR, media_dir=UPLOADS, publish=True)
    WebhookEndpoint.objects.create(
        name="Partner", url="https://partner.example.org/hooks", events=["article.updated"]
    )
    article = Article.objects.get(slug="drills-on-the-araz")
    proposal = TermProposal.objects.get(name="Araz river")

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            "/admin/articles/termproposal/", {"action": "accept", "_selected_action": [proposal.pk]}
        )

    sent = Notification.objects.filter(event="article.updated", channel="webhook")
    assert [row.context["payload"]["article"]["slug"] for row in sent] == ["drills-on-the-araz"]
    assert "Araz river" in sent.get().context["payload"]["article"]["topics"][0]["name"] or any(
        topic["name"] == "Araz river"
        for topic in sent.get().context["payload"]["article"]["topics"]
    )
    latest = Version.objects.get_for_object(article).first()
    assert "Araz river" in latest.revision.get_comment()
