"""An accepted simulation becomes a draft article: every field the contributor gave lands."""

import pytest
from reversion.models import Version

from articles.models import Article
from submissions import services
from submissions.forms import SimulationFields
from submissions.intake import article_create_from_submission
from submissions.models import Attachment, Call, Submission, SubmissionMove
from tests.factories import RegionFactory, SeriesFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(django_capture_on_commit_callbacks):
    call = Call.objects.create(
        title="Corridors", slug="corridors", brief="Brief.", deadline="2099-01-01T00:00Z",
        series=SeriesFactory(title="Transit wars"),
    )  # fmt: skip
    submission = Submission.objects.create(
        call=call,
        status=Submission.Status.IN_REVIEW,
        full_name="Nare Hakobyan",
        email="Nare@Example.org",
        phone="+37410123456",
        professional_title="Research Associate",
        affiliation="Yerevan Transit Institute",
        bio="Nare studies transit politics.",
        title="A month without the Meghri road",
        summary="What happens if the road south closes for a month. " * 15,
        scenario="## Setting\n\nA landslide closes the road.",
        actors_other="Trucking associations, Lorry drivers' union",
        assumptions="No side wants a war.",
        outcomes="Trade falls; politics matter more than economics.",
    )
    submission.actor_regions.set([RegionFactory(name="Armenia"), RegionFactory(name="Iran")])
    submission.proposed_topics.set([TopicFactory(name="Transport corridors")])
    SubmissionMove.objects.create(
        submission=submission, position=0, phase="Day 1", actor="Armenia",
        action="Opens a detour", expected_response="Iran sends engineers",
    )  # fmt: skip
    Attachment.objects.create(
        submission=submission, file="x/annex.pdf", original_name="annex.pdf", kind="pdf", size=9
    )
    return submission


def test_every_field_of_the_contributors_form_lands_in_the_draft(submission, editor):
    article = services.submission_accept(submission=submission, by=editor, message="Yes.")
    article.refresh_from_db()
    author = article.ordered_authors()[0]
    body = article.body
    # form field -> where it is found once the simulation is a draft
    lands = {
        "full_name": author.name == "Nare Hakobyan",
        "email": author.email == "nare@example.org",  # private: recognises them next time
        "phone": article.origin_submission.phone == "+37410123456",  # stays on the submission
        "professional_title": author.title == "Research Associate",
        "affiliation": author.affiliation == "Yerevan Transit Institute",
        "bio": author.bio == "Nare studies transit politics.",
        "title": article.title == "A month without the Meghri road",
        "summary": article.dek == submission.summary,  # whole, not cut at 500 characters
        "scenario": body.startswith("## Setting\n\nA landslide closes the road."),
        "actor_regions": {r.name for r in article.regions.all()} == {"Armenia", "Iran"}
        and "## Actors\n\nArmenia, Iran, Trucking associations" in body,
        "actors_other": "Trucking associations, Lorry drivers' union" in body,
        "assumptions": "## Assumptions\n\nNo side wants a war." in body,
        "outcomes": "## Outcomes\n\nTrade falls; politics matter more than economics." in body,
        "proposed_topics": [t.name for t in article.topics.all()] == ["Transport corridors"],
        "moves": [(m.phase, m.actor, m.action, m.expected_response) for m in article.moves.all()]
        == [("Day 1", "Armenia", "Opens a detour", "Iran sends engineers")],
        "attachments": "annex.pdf" in article.notes.get().text,
        "call": article.series.title == "Transit wars",
    }
    assert set(SimulationFields.Meta.fields) | {"email", "moves", "attachments"} <= set(lands)
    assert [field for field, landed in lands.items() if not landed] == []
    assert (article.kind, article.status) == (Article.Kind.SIMULATION, Article.Status.DRAFT)
    assert article.origin_submission == submission and article.created_by == editor


def test_the_accepted_draft_has_its_first_revision_with_who_and_why(submission, editor):
    article = services.submission_accept(submission=submission, by=editor, message="Yes.")
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 1
    revision = versions.get().revision
    assert revision.user == editor
    assert submission.title in revision.get_comment()
    kept = {v.content_type.model for v in revision.version_set.all()}
    assert {"article", "byline", "move", "taggedtopic", "taggedregion"} <= kept


def test_a_second_simulation_with_the_same_title_gets_its_own_slug(submission, editor):
    first = article_create_from_submission(submission=submission, by=editor)
    submission.pk, submission.article = None, None  # a copy, as a second contributor's submission
    submission.confirm_secret, submission.tracking_secret = "c2", "t2"
    submission.save()
    second = article_create_from_submission(submission=submission, by=editor)
    assert (first.slug, second.slug) == (
        "a-month-without-the-meghri-road",
        "a-month-without-the-meghri-road-2",
    )
