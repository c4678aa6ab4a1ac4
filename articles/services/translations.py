"""The translation lifecycle: starting a translation, following the source again, and the
translations of public editions that wait for an editor.

A translation is an edition with a source (`translation_of`) and the source's revision it
follows (`source_revision`). An edit of the source's text makes it stale (`stale_since`,
set by `edits._reach_translations`) unless that edit was marked minor; it is current again
when someone brings it up to date (`translation_follow`).
"""

import dataclasses

import reversion
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from base.diff import DiffBudget, word_diff_html
from base.languages import language_name
from base.roles import can_edit, is_editor, translator_languages

from .. import rendering
from ..models import Article, TranslationInvite, TranslationProposal
from ..revisions import folded_diff_html, versions_of
from ..translation_memory import memory_record
from .edits import SHARED_FIELDS, ArticleParts, User, article_create, article_update
from .workflow import SUBMIT, TransitionError, article_apply_transition, available_transitions

# Copied from the source when a translation starts, then translated with the rest.
COPIED_FIELDS = ("title", "dek", "body", "image_alt", "key_takeaways", "recommendations")


def source_of(article: Article) -> Article | None:
    return article.translation_of


def latest_version(article: Article) -> Version | None:
    return versions_of(article).first()


def followed_version(source: Article) -> Version:
    """The source's revision a translation starts from: its latest, or one made now for a
    source that has none yet (an imported or loaded article), so that what the translation
    followed is always known."""
    version = latest_version(source)
    if version is None:
        with reversion.create_revision():
            reversion.add_to_revision(source)
            reversion.set_comment("The text its translations start from")
        version = latest_version(source)
    return version


def may_start(by: User, language: str) -> bool:
    return is_editor(by) or language in translator_languages(by)


def translation_start(
    *, source: Article, language: str, by: User, prefill: dict[str, str] | None = None
) -> Article:
    """A draft edition of `source` in `language`: its text copied (or `prefill`ed, e.g. by a
    translation engine, then marked as such), its shared facts and timeline the source's.
    Refused when the piece has that edition already or `by` may not translate into it."""
    if source.translation_of_id is not None:
        source = source.translation_of  # a translation starts from the piece's source
    if language == source.language:
        raise TransitionError("That is the language of the source.")
    if not may_start(by, language):
        raise TransitionError(f"You do not translate into {language_name(language)}.")
    taken = Article.objects.filter(translation_key=source.translation_key, language=language)
    if taken.exists():
        raise TransitionError(
            f"This piece has a {language_name(language)} edition already: open it instead."
        )
    edition = Article(
        language=language,
        translation_key=source.translation_key,
        translation_of=source,
        source_revision=followed_version(source),
        status=Article.Status.DRAFT,
        **{name: getattr(source, name) for name in COPIED_FIELDS},
        **{_column(name): getattr(source, _column(name)) for name in SHARED_FIELDS},
    )
    if prefill:
        for name, text in prefill.items():
            setattr(edition, name, text)
        edition.machine_translated = True
    parts = ArticleParts(
        authors=list(source.ordered_authors()),
        topics=list(source.topics.all()),
        regions=list(source.regions.all()),
        moves=list(
            source.moves.order_by("position").values(
                "phase", "actor", "action", "expected_response"
            )
        ),
    )
    with transaction.atomic():
        article_create(
            article=edition,
            by=by,
            parts=parts,
            comment=f"Started as the {language_name(language)} translation of “{source.title}”",
        )
    return edition


def _column(name: str) -> str:
    return f"{name}_id" if name == "series" else name


def translation_follow(*, translation: Article, by: User) -> Article:
    """The translation follows its source's current text again: not stale any more, and its
    paragraphs go to the translation memory."""
    if translation.translation_of_id is None:
        raise TransitionError("This edition is not a translation.")
    if not (can_edit(by, translation) or is_editor(by)):
        raise TransitionError("You cannot change this translation.")
    version = followed_version(translation.translation_of)
    Article.objects.filter(pk=translation.pk).update(source_revision=version, stale_since=None)
    translation.source_revision = version
    translation.stale_since = None
    _remember(translation)
    _page_says_so(translation)
    return translation


def _page_says_so(translation: Article) -> None:
    """A public translation's page says whether its original was revised after it."""
    if translation.status in rendering.RENDERED_STATUSES:
        rendering.articles_render(ids=[translation.pk], purge_after=True)


def _remember(translation: Article) -> None:
    """Give the translation's paragraphs to the translation memory."""
    memory_record(translation)


def source_changes(translation: Article) -> list[dict]:
    """What changed in the source's title, standfirst and body since the revision the
    translation follows: [{label, diff_html}] (nothing known: the whole text as added)."""
    source = translation.translation_of
    followed = translation.source_revision.field_dict if translation.source_revision else {}
    budget = DiffBudget()
    changes = []
    for name, label in (("title", "Title"), ("dek", "Standfirst"), ("body", "Body")):
        before, after = followed.get(name, ""), getattr(source, name)
        if before == after:
            continue
        diff = (
            folded_diff_html(before, after, budget=budget)
            if name != "title"
            else word_diff_html(before, after, budget=budget)
        )
        changes.append({"label": label, "diff_html": diff})
    return changes


# --- A translator's text: as a revision of a draft, or proposed for a public edition -------


@dataclasses.dataclass(frozen=True)
class TranslatedText:
    title: str
    dek: str
    body: str
    follows_source: bool = True


def translation_submit(
    *,
    translation: Article,
    text: TranslatedText,
    by: User | None,
    invite: TranslationInvite | None = None,
) -> TranslationProposal | Article:
    """What a translator sends from the side-by-side form. A draft (or one in review) takes
    it as a revision and goes to review; an edition readers see keeps its text until an
    editor applies the proposal."""
    source_revision = followed_version(translation.translation_of) if text.follows_source else None
    if translation.status in (Article.Status.DRAFT, Article.Status.REVIEW):
        translation.title, translation.dek, translation.body = text.title, text.dek, text.body
        name = invite.translator_name if invite else None
        actor = by or invite.created_by
        with transaction.atomic():
            article_update(
                article=translation,
                by=actor,
                changed=["title", "dek", "body"],
                comment=f"Translation sent by {name}" if name else "Translation sent for review",
            )
            if source_revision is not None:
                translation_follow(translation=translation, by=actor)
            moves = {move.name for move in available_transitions(translation, actor)}
            if translation.status == Article.Status.DRAFT and SUBMIT.name in moves:
                article_apply_transition(article=translation, name=SUBMIT.name, by=actor)
        _touch(invite)
        return translation
    proposal = TranslationProposal.objects.create(
        article=translation,
        title=text.title,
        dek=text.dek,
        body=text.body,
        source_revision=source_revision,
        submitted_by=by if by is not None and by.is_authenticated else None,
        invite=invite,
    )
    _touch(invite)
    return proposal


def _touch(invite: TranslationInvite | None) -> None:
    if invite is not None:
        TranslationInvite.objects.filter(pk=invite.pk).update(last_submitted_at=timezone.now())


def proposal_apply(*, proposal: TranslationProposal, by: User) -> Article:
    """An editor makes a proposed translation the edition's text (a revision of its own)."""
    if not is_editor(by):
        raise TransitionError("Only editors change a public translation.")
    if proposal.outcome != TranslationProposal.Outcome.PENDING:
        raise TransitionError("This proposal was decided already.")
    article = proposal.article
    article.title, article.dek, article.body = proposal.title, proposal.dek, proposal.body
    with transaction.atomic():
        article_update(
            article=article,
            by=by,
            changed=["title", "dek", "body"],
            comment=f"Applied the translation sent by {proposal.submitter_name}",
        )
        followed = proposal.source_revision
        if followed is not None:
            source = Article.objects.get(pk=article.translation_of_id)
            moved_since = (
                source.text_changed_at is not None
                and source.text_changed_at > followed.revision.date_created
            )
            stale_since = source.text_changed_at if moved_since else None
            Article.objects.filter(pk=article.pk).update(
                source_revision=followed, stale_since=stale_since
            )
            article.refresh_from_db(fields=["source_revision", "stale_since"])
            if not moved_since:
                _remember(article)
            _page_says_so(article)
        _decide(proposal, by, TranslationProposal.Outcome.APPLIED)
    return article


def proposal_decline(*, proposal: TranslationProposal, by: User) -> None:
    if not is_editor(by):
        raise TransitionError("Only editors decide on a proposed translation.")
    _decide(proposal, by, TranslationProposal.Outcome.DECLINED)


def _decide(proposal: TranslationProposal, by: User, outcome: str) -> None:
    proposal.outcome, proposal.decided_by, proposal.decided_at = outcome, by, timezone.now()
    proposal.save(update_fields=["outcome", "decided_by", "decided_at"])


# --- Outside translators ------------------------------------------------------------------


def invite_create(
    *, translation: Article, name: str, email: str, by: User, expires_at=None
) -> TranslationInvite:
    if not is_editor(by):
        raise TransitionError("Only editors send a translation link.")
    if translation.translation_of_id is None:
        raise TransitionError("Only a translation is sent to a translator.")
    invite = TranslationInvite(
        article=translation, translator_name=name.strip(), translator_email=email.strip(),
        created_by=by,
    )  # fmt: skip
    if expires_at is not None:
        invite.expires_at = expires_at
    invite.save()
    return invite


def invite_revoke(*, invite: TranslationInvite, by: User) -> None:
    if not is_editor(by):
        raise TransitionError("Only editors revoke a translation link.")
    TranslationInvite.objects.filter(pk=invite.pk, revoked_at=None).update(
        revoked_at=timezone.now()
    )
