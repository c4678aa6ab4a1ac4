"""The article admin's side of the translation lifecycle: a piece's editions on the change
form ("Translate into…", stale, proposals, outside translators' links), the side-by-side
page of a translation and its source's changes, and the translation status page."""

import datetime
import difflib
import html

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from base.diff import DiffBudget, word_diff_html
from base.roles import is_editor, translator_languages

from .. import services
from ..models import Article, TranslationInvite, TranslationProposal
from ..revisions import folded_diff_html
from ..services import translations
from ..services.edits import SHARED_FIELDS, SHARED_PARTS
from ..translation_engines import TranslationEngineError, get_engine, machine_draft

# The cells of the status page, in the order of its filter.
STATES = {
    "missing": "missing",
    "draft": "draft",
    "review": "in review",
    "published": "published",
    "stale": "stale",
}
STATUS_PAGE_SIZE = 50


def language_label(code: str) -> str:
    """'Russian (Русский)': the admin speaks English, the edition its own language."""
    english = dict(settings.LANGUAGES).get(code, code)
    own = translations.language_name(code)
    return english if own.lower() == str(english).lower() else f"{english} ({own})"


def edition_languages() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def state_of(edition: Article | None) -> str:
    if edition is None:
        return "missing"
    if edition.translation_of_id is not None and edition.stale_since is not None:
        return "stale"
    if edition.status in (Article.Status.PUBLISHED, Article.Status.SCHEDULED):
        return "published"
    return edition.status if edition.status in STATES else "draft"


def stale_days(edition: Article) -> int:
    return max(0, (timezone.now() - edition.stale_since).days)


def side_by_side(source: Article, translation: Article) -> list[dict]:
    """The source and the translation paragraph by paragraph, for reading one against the
    other. A source paragraph that changed since the revision the translation follows shows
    its words' differences (<del>, <ins>) and is marked; one that is new is all <ins>."""
    followed = (
        translation.source_revision.field_dict.get("body", "")
        if translation.source_revision
        else None
    )
    left = _paragraphs(source.body)
    right = _paragraphs(translation.body)
    marks: list[tuple[str, str]] = [("same", html.escape(p)) for p in left]
    if followed is not None and translation.stale_since is not None:
        budget = DiffBudget()
        old = _paragraphs(followed)
        for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=old, b=left).get_opcodes():
            for offset, index in enumerate(range(b1, b2)):
                if op == "equal":
                    continue
                before = old[a1 + offset] if op == "replace" and a1 + offset < a2 else ""
                marks[index] = (
                    "changed" if before else "new",
                    word_diff_html(before, left[index], budget=budget),
                )
    size = max(len(left), len(right))
    return [
        {
            "state": marks[i][0] if i < len(left) else "same",
            "source_html": marks[i][1] if i < len(left) else "",
            "translation": right[i] if i < len(right) else "",
        }
        for i in range(size)
    ]


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


class ArticleTranslationsMixin:
    # --- Who may do what -----------------------------------------------------------------

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.translation_of_id is not None:
            # Kept in step with the source: shown, never taken from a translation's form.
            fields += [*SHARED_FIELDS, "topics", "regions", "doi", "report_number"]
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": list(options["fields"])})
            for name, options in super().get_fieldsets(request, obj)
        ]
        content = fieldsets[0][1]["fields"]
        if obj is not None and obj.translation_of_id is not None:
            content.insert(content.index("body") + 1, "machine_translated")
        elif obj is not None and any(
            e.translation_of_id == obj.pk for e in _editions(request, obj).values()
        ):
            content.insert(content.index("body") + 1, "minor_edit")
        return fieldsets

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if obj is not None and obj.translation_of_id is not None:
            # The byline is the source's (kept in step); the panel names it.
            inlines = [inline for inline in inlines if inline.__name__ != "BylineInline"]
        return inlines

    # --- Pages -----------------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "translations/",
                view(self.translation_status_view),
                name="articles_article_translations",
            ),
            path(
                "<path:object_id>/translate/",
                view(require_POST(self.translate_view)),
                name="articles_article_translate",
            ),
            path(
                "<path:object_id>/translation/",
                view(self.translation_view),
                name="articles_article_translation",
            ),
            path(
                "<path:object_id>/translation/invite/",
                view(require_POST(self.invite_view)),
                name="articles_article_translation_invite",
            ),
            path(
                "translation/invites/<int:invite_id>/revoke/",
                view(require_POST(self.invite_revoke_view)),
                name="articles_article_translation_invite_revoke",
            ),
            path(
                "translation/proposals/<int:proposal_id>/<str:decision>/",
                view(require_POST(self.proposal_view)),
                name="articles_article_translation_proposal",
            ),
            *super().get_urls(),
        ]

    def translate_view(self, request: HttpRequest, object_id: str):
        source = get_object_or_404(Article, pk=object_id)
        if not self.has_view_permission(request, source):
            raise PermissionDenied
        language = request.POST.get("language", "")
        if language not in edition_languages():
            self.message_user(request, "Choose a language to translate into.", messages.ERROR)
            return self._to_change(source)
        prefill = None
        if request.POST.get("machine"):
            prefill = self._machine_prefill(request, source, language)
        try:
            edition = translations.translation_start(
                source=source, language=language, by=request.user, prefill=prefill
            )
        except services.TransitionError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return self._to_change(source)
        self.message_user(
            request,
            f"The {language_label(language)} edition is started as a draft with the source's "
            "text to translate over."
            + (
                " The text is a machine translation: review it before it goes to review."
                if prefill
                else ""
            ),
        )
        return self._to_change(edition)

    def _machine_prefill(self, request, source: Article, language: str) -> dict | None:
        try:
            engine = get_engine()
            if engine is None:
                return None
            return {
                name: machine_draft(
                    getattr(source, name), source=source.language, target=language, engine=engine
                )
                for name in ("title", "dek", "body")
            }
        except TranslationEngineError as error:
            self.message_user(
                request,
                f"The translation engine did not answer ({error}); the edition starts with "
                "the source's text instead.",
                messages.WARNING,
            )
            return None

    def translation_view(self, request: HttpRequest, object_id: str):
        translation = get_object_or_404(
            Article.objects.select_related("translation_of", "source_revision"), pk=object_id
        )
        if translation.translation_of_id is None or not self.has_view_permission(
            request, translation
        ):
            raise PermissionDenied
        may_follow = self.has_change_permission(request, translation) or is_editor(request.user)
        if request.method == "POST":
            if not may_follow:
                raise PermissionDenied
            translations.translation_follow(translation=translation, by=request.user)
            self.message_user(
                request,
                f"“{translation}” now follows its source as it stands: no longer stale.",
            )
            return self._to_change(translation)
        source = translation.translation_of
        return TemplateResponse(
            request,
            "admin/articles/article/translation.html",
            {
                **self.admin_site.each_context(request),
                "title": f"“{translation}” beside its source",
                "subtitle": None,
                "opts": self.model._meta,
                "original": translation,
                "translation": translation,
                "source": source,
                "language": language_label(translation.language),
                "source_language": language_label(source.language),
                "stale_days": stale_days(translation) if translation.stale_since else None,
                "changes": translations.source_changes(translation),
                "rows": side_by_side(source, translation),
                "may_follow": may_follow,
            },
        )

    def invite_view(self, request: HttpRequest, object_id: str):
        translation = get_object_or_404(Article, pk=object_id)
        name = request.POST.get("translator_name", "").strip()
        email = request.POST.get("translator_email", "").strip()
        days = request.POST.get("days", "")
        if not name:
            self.message_user(request, "Name the translator the link is for.", messages.ERROR)
            return self._to_change(translation)
        expires_at = None
        if days.isdigit() and 1 <= int(days) <= 90:
            expires_at = timezone.now() + datetime.timedelta(days=int(days))
        try:
            invite = translations.invite_create(
                translation=translation, name=name, email=email, by=request.user,
                expires_at=expires_at,
            )  # fmt: skip
        except services.TransitionError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return self._to_change(translation)
        self.message_user(
            request,
            f"A link for {invite.translator_name}, valid until {invite.expires_at:%d %B %Y}: "
            + request.build_absolute_uri(invite.get_absolute_url()),
        )
        return self._to_change(translation)

    def invite_revoke_view(self, request: HttpRequest, invite_id: int):
        invite = get_object_or_404(TranslationInvite, pk=invite_id)
        try:
            translations.invite_revoke(invite=invite, by=request.user)
        except services.TransitionError as error:
            raise PermissionDenied(" ".join(error.messages)) from error
        self.message_user(request, f"The link for {invite.translator_name} no longer works.")
        return self._to_change(invite.article)

    def proposal_view(self, request: HttpRequest, proposal_id: int, decision: str):
        proposal = get_object_or_404(
            TranslationProposal.objects.select_related("article", "invite"), pk=proposal_id
        )
        try:
            if decision == "apply":
                translations.proposal_apply(proposal=proposal, by=request.user)
                self.message_user(request, "The proposed translation is now the edition's text.")
            elif decision == "decline":
                translations.proposal_decline(proposal=proposal, by=request.user)
                self.message_user(request, "The proposed translation was declined.")
            else:
                raise PermissionDenied
        except services.TransitionError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        return self._to_change(proposal.article)

    def _to_change(self, article: Article):
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    # --- The change form's panel ------------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["translation_panel"] = self._panel(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _panel(self, request, article: Article) -> dict:
        editions = _editions(request, article)
        startable = [
            {"code": code, "label": language_label(code)}
            for code in edition_languages()
            if code not in editions and translations.may_start(request.user, code)
        ]
        rows = [
            {
                "code": code,
                "label": language_label(code),
                "edition": editions[code],
                "state": state_of(editions[code]),
                "is_this": editions[code].pk == article.pk,
                "is_source": editions[code].translation_of_id is None,
                "stale_days": stale_days(editions[code]) if editions[code].stale_since else None,
            }
            for code in edition_languages()
            if code in editions
        ]
        is_translation = article.translation_of_id is not None
        proposals = []
        if is_translation:
            for proposal in article.translation_proposals.filter(
                outcome=TranslationProposal.Outcome.PENDING
            ).select_related("invite", "submitted_by"):
                proposals.append(
                    {
                        "proposal": proposal,
                        "diff_html": folded_diff_html(article.body, proposal.body),
                        "title_diff": word_diff_html(article.title, proposal.title),
                    }
                )
        return {
            "rows": rows,
            "startable": startable,
            "is_translation": is_translation,
            "source": article.translation_of,
            "shared": ", ".join(
                services.field_label(name) for name in [*SHARED_PARTS, *SHARED_FIELDS[:4]]
            ),
            "stale_days": stale_days(article) if is_translation and article.stale_since else None,
            "source_changes": (
                translations.source_changes(article)
                if is_translation and article.stale_since
                else []
            ),
            "proposals": proposals,
            "invites": list(article.translation_invites.all()[:10]) if is_translation else [],
            "can_invite": is_translation and is_editor(request.user),
            "has_engine": _has_engine(),
            "now": timezone.now(),
        }

    # --- The status page --------------------------------------------------------------------

    def translation_status_view(self, request: HttpRequest):
        if not self.has_view_permission(request):
            raise PermissionDenied
        languages = edition_languages()
        wanted_language = request.GET.get("language", "")
        wanted_state = request.GET.get("state", "")
        query = request.GET.get("q", "").strip()
        mine = request.GET.get("mine") == "1"
        sources = Article.objects.filter(translation_of=None).exclude(
            status=Article.Status.ARCHIVED
        )
        if query:
            sources = sources.filter(Q(title__icontains=query) | Q(slug__icontains=query))
        sources = sources.order_by("-updated_at", "-pk").only(
            "pk", "title", "language", "status", "translation_key", "updated_at"
        )
        editions_by_key: dict = {}
        for edition in (
            Article.objects.exclude(translation_of=None)
            .only("pk", "language", "status", "stale_since", "translation_key", "translation_of_id")
            .order_by()
        ):
            editions_by_key.setdefault(edition.translation_key, {})[edition.language] = edition
        counts = {code: dict.fromkeys(STATES, 0) for code in languages}
        rows = []
        own = translator_languages(request.user)
        filtering = bool(wanted_language or wanted_state or mine)

        def wanted(cell: dict) -> bool:
            return (
                (not wanted_language or cell["code"] == wanted_language)
                and (not wanted_state or cell["state"] == wanted_state)
                and (not mine or cell["code"] in own)
            )

        for source in sources:
            editions = editions_by_key.get(source.translation_key, {})
            cells = []
            for code in languages:
                if code == source.language:
                    cells.append({"code": code, "state": "source", "edition": source})
                    continue
                edition = editions.get(code)
                state = state_of(edition)
                counts[code][state] += 1
                cells.append(
                    {
                        "code": code,
                        "state": state,
                        "label": STATES[state],
                        "edition": edition,
                        "stale_days": stale_days(edition) if state == "stale" else None,
                    }
                )
            if not filtering or any(c["state"] != "source" and wanted(c) for c in cells):
                rows.append({"source": source, "cells": cells})
        page = Paginator(rows, STATUS_PAGE_SIZE).get_page(request.GET.get("page"))
        return TemplateResponse(
            request,
            "admin/articles/article/translations.html",
            {
                **self.admin_site.each_context(request),
                "title": "Translations",
                "subtitle": None,
                "opts": self.model._meta,
                "languages": [{"code": c, "label": language_label(c)} for c in languages],
                "states": STATES,
                "counts": [
                    {"code": c, "label": language_label(c), "counts": counts[c]}
                    for c in languages
                    if c != settings.LANGUAGE_CODE
                ],
                "page": page,
                "found": len(rows),
                "wanted_language": wanted_language,
                "wanted_state": wanted_state,
                "query": query,
                "mine": mine,
                "own_languages": sorted(own),
            },
        )


def _editions(request, article: Article) -> dict[str, Article]:
    """The piece's editions by language (one query per request: the fieldsets and the
    panel both read them)."""
    memo = getattr(request, "_piece_editions", None)
    if memo is None or memo[0] != article.pk:
        rows = (
            Article.objects.filter(translation_key=article.translation_key)
            .select_related("translation_of")
            .only(
                "pk",
                "title",
                "language",
                "status",
                "stale_since",
                "translation_of_id",
                "translation_key",
                "translation_of__title",
                "translation_of__language",
            )
        )
        memo = (article.pk, {edition.language: edition for edition in rows})
        request._piece_editions = memo
    return memo[1]


def _has_engine() -> bool:
    """Whether the form offers a machine's pre-fill: an engine is configured (a wrong setting
    is told when the pre-fill is asked for, not here)."""
    return bool(settings.TRANSLATION_ENGINE)
