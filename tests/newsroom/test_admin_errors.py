"""A refusal inside the admin is an admin page with a way back; the public site keeps its own."""

import pytest
from django.test import RequestFactory

from newsroom import urls
from tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db


def test_a_refusal_in_the_admin_is_an_admin_page_with_a_way_back(writer_client):
    submission = SubmissionFactory()
    came_from = f"http://testserver/admin/submissions/submission/{submission.pk}/change/"
    response = writer_client.get(
        f"/admin/submissions/submission/{submission.pk}/move/accept/", HTTP_REFERER=came_from
    )
    assert response.status_code == 403
    assert "Caucasus Center Newsroom" in response.text  # the admin's header
    assert 'id="site-name"' in response.text
    assert f'href="{came_from}"' in response.text
    assert 'href="/admin/"' in response.text
    assert "Go to the latest analyses" not in response.text  # not the public page


def test_a_way_back_never_leads_off_the_site(writer_client):
    response = writer_client.get("/admin/auth/user/", HTTP_REFERER="https://evil.example/")
    assert response.status_code == 403
    assert "evil.example" not in response.text
    assert 'href="/admin/"' in response.text


def test_a_refusal_on_the_public_site_keeps_the_public_page(writer):
    request = RequestFactory().get("/submissions/track/x/")
    request.user = writer
    response = urls.handler403(request, PermissionError())
    assert response.status_code == 403
    assert "Go to the latest analyses" in response.content.decode()
