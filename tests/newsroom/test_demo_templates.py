"""The demo's editors find an acceptance message to start from on the Accept step."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from submissions.models import MessageTemplate
from tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db

DEMO_ACCEPTANCE = "Accepted for the call&#x27;s series"


def _load_demo() -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_accept_step_offers_an_acceptance_template():
    _load_demo()
    submission = SubmissionFactory()  # in review
    editor = Client()
    editor.force_login(get_user_model().objects.get(username="editor"))
    step = editor.get(f"/admin/submissions/submission/{submission.pk}/move/accept/").text
    picker = step[step.index('<select name="template"') : step.index("</select>")]
    assert f">{DEMO_ACCEPTANCE}</option>" in picker
    assert "Thank you for answering our call." in picker  # its text, to fill the message


def test_a_reworded_demo_template_is_kept_on_the_next_load():
    _load_demo()
    template = MessageTemplate.objects.get(name="Accepted for the call's series")
    template.body = "Our own words."
    template.save()
    _load_demo()
    assert MessageTemplate.objects.filter(purpose="accept").count() == 2
    template.refresh_from_db()
    assert template.body == "Our own words."
