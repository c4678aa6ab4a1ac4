import pytest
from django.contrib.auth.models import Permission

from articles.models import Article, TermProposal, Topic
from tests.factories import UserFactory

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


def test_the_import_screens_list_records_and_old_addresses(vocabulary, run_import, client):
    run_import(WXR, media_dir=UPLOADS)
    client.force_login(UserFactory(is_superuser=True))

    records = client.get("/admin/articles/importrecord/")
    redirects = client.get("/admin/articles/redirect/?q=khaybar")

    assert records.status_code == 200
    assert "wordpress:https://blog.caucasus-center.example:101" in records.content.decode()
    assert "/2021/10/04/khaybar-drills" in redirects.content.decode()


def test_topics_have_editable_keywords_in_the_admin(db, client):
    topic = Topic.objects.create(name="Drones", slug="drones")
    client.force_login(UserFactory(is_superuser=True))

    response = client.post(
        f"/admin/articles/topic/{topic.pk}/change/",
        {"name": "Drones", "slug": "drones", "description": "", "keywords": "drone\nUAV"},
    )

    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.keywords == "drone\nUAV"
