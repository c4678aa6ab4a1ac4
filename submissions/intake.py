"""An accepted contributor simulation becomes a draft article.

Every field the contributor filled in lands somewhere an editor will find it: the person in
an Author (name, title, affiliation, bio; the e-mail kept privately to recognise them next
time), the simulation in the article (title, summary as standfirst, scenario, actors,
assumptions and outcomes in the body, moves, regions, proposed topics, the call's series),
and the attachments named in an internal note (the files stay private on the submission).
The phone number stays on the submission, which the article links back to.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from articles import services
from articles.models import Article, Author
from base.slugs import free_slug

from .models import Submission


@transaction.atomic
def article_create_from_submission(*, submission: Submission, by: AbstractBaseUser) -> Article:
    """A draft of kind `simulation`, signed by the contributor, with its first revision.

    Saved by `article_create`, like every other new article: the revision, the byline, the
    tags, the timeline and the page cache are the service's business, not this module's.
    """
    files = [a.original_name for a in submission.attachments.filter(removed_in_round=None)]
    note = (
        f"The contributor attached {', '.join(files)}; the files stay, private, on the submission."
    )

    article = Article(
        title=submission.title,
        slug=_free_slug(Article, submission.title, "simulation"),
        kind=Article.Kind.SIMULATION,
        dek=submission.summary,
        body=_article_body(submission),
        series=submission.call.series if submission.call else None,
    )
    parts = services.ArticleParts(
        authors=[_contributor_author(submission)],
        topics=list(submission.proposed_topics.all()),
        regions=list(submission.actor_regions.all()),
        moves=[
            {
                "phase": move.phase,
                "actor": move.actor,
                "action": move.action,
                "expected_response": move.expected_response,
            }
            for move in submission.moves.order_by("position")
        ],
        notes=[note] if files else [],
    )
    article = services.article_create(
        article=article,
        by=by,
        parts=parts,
        comment=f"Draft made from the accepted submission “{submission.title}”",
    )
    submission.article = article
    submission.save(update_fields=["article"])
    return article


def _contributor_author(submission) -> Author:
    """The contributor as an Author: the one they were before, matched by e-mail, or new."""
    author = Author.objects.filter(email__iexact=submission.email).first()
    if author is None:
        author = Author.objects.create(
            name=submission.full_name,
            slug=_free_slug(Author, submission.full_name, "contributor"),
            email=submission.email.lower(),
            is_contributor=True,
        )
    author.title = submission.professional_title
    author.affiliation = submission.affiliation or author.affiliation
    author.bio = submission.bio or author.bio
    author.save()
    return author


def _article_body(submission) -> str:
    actors = [region.name for region in submission.actor_regions.all()]
    if submission.actors_other.strip():
        actors.append(submission.actors_other.strip())
    sections = [
        submission.scenario.strip(),
        "## Actors\n\n" + ", ".join(actors) if actors else "",
        "## Assumptions\n\n" + submission.assumptions.strip(),
        "## Outcomes\n\n" + submission.outcomes.strip(),
    ]
    return "\n\n".join(section for section in sections if section.strip())


def _free_slug(model, text: str, fallback: str) -> str:
    """A slug for `text` that no row of `model` has yet: "name", "name-2", "name-3"…"""
    return free_slug(text, model, fallback=fallback, max_length=180)
