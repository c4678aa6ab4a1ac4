"""Editors issue API keys in the admin and revoke them; a new key is shown once."""

import pytest
from django.contrib.messages import get_messages

from base.models import ApiKey, hash_key
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_an_editor_issues_a_key_sees_it_once_and_revokes_it(editor_client, editor):
    assert editor_client.get("/admin/newsroom/apikey/add/").status_code == 200
    response = editor_client.post("/admin/newsroom/apikey/add/", {"name": "Baku Policy Review"})

    # The key is on its own page, in this response only.
    assert response.status_code == 200
    key = ApiKey.objects.get()
    raw = response.context["raw_key"]
    assert key.key_hash == hash_key(raw) and key.created_by == editor
    assert f'<code class="issued-key__value" aria-labelledby="issued-key-label">{raw}</code>' in (
        response.text
    )
    assert "no-store" in response["Cache-Control"]
    assert all(raw not in cookie.value for cookie in response.cookies.values())
    assert all(raw not in cookie.value for cookie in editor_client.cookies.values())
    assert all(raw not in str(m) for m in get_messages(response.wsgi_request))
    assert raw not in editor_client.get("/admin/newsroom/apikey/").text
    assert raw not in editor_client.get(f"/admin/newsroom/apikey/{key.pk}/change/").text

    ArticleFactory()
    assert editor_client.get("/api/v1/articles/", HTTP_X_API_KEY=raw).status_code == 200
    editor_client.post(
        "/admin/newsroom/apikey/",
        {"action": "revoke", "_selected_action": [key.pk]},
    )
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert editor_client.get("/api/v1/articles/", HTTP_X_API_KEY=raw).status_code == 401


def test_writers_cannot_issue_keys(writer_client):
    assert writer_client.get("/admin/newsroom/apikey/add/").status_code == 403
    assert writer_client.post("/admin/newsroom/apikey/add/", {"name": "X"}).status_code == 403
    assert not ApiKey.objects.exists()
