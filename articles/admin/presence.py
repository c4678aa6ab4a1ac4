"""Editing together: who else has an article open in the editor, and what to show when
someone saved it after this page was opened.

While the change form is open, static/js/editor/presence.js pings
`<pk>/presence/` every `PING_SECONDS` (and when the tab comes back into view) with an id of
its own tab. Who is there is kept in the cache, not the database: plain data under a key
that carries the release, each tab forgotten `PRESENCE_SECONDS` after its last ping or at
once when it closes. The answer says who else is there: another person ("Nino Beridze is
also editing this article (since 14:02 UTC)") or the same person in another tab.

`<pk>/conflict/` answers, for the text in a form opened at an older version, both versions
and the differences (the same answer autosave gives when it meets a newer save), so that
the editor can keep theirs over the other one knowingly.
"""

import datetime
import re
import time

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.decorators.http import require_POST

from base.diff import word_diff_html
from base.release import release

from .. import services
from ..models import Article

PING_SECONDS = 25
# Long enough to outlast a ping that a browser delays in a background tab (Chromium runs
# timers of a hidden tab about once a minute).
PRESENCE_SECONDS = 75
TAB_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
TEXT_LABELS = {"title": "Title", "dek": "Standfirst", "body": "Body"}


class ArticlePresenceMixin:
    """The presence and conflict endpoints of the article admin."""

    def get_urls(self):
        return [
            path(
                "<int:object_id>/presence/",
                self.admin_site.admin_view(require_POST(self.presence_view)),
                name="articles_article_presence",
            ),
            path(
                "<int:object_id>/conflict/",
                self.admin_site.admin_view(require_POST(self.conflict_view)),
                name="articles_article_conflict",
            ),
            *super().get_urls(),
        ]

    def presence_view(self, request: HttpRequest, object_id: int) -> JsonResponse:
        article = get_object_or_404(
            Article.objects.only("pk", "status", "created_by"), pk=object_id
        )
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        tab = request.POST.get("tab", "")
        if not TAB_ID.match(tab):
            return JsonResponse({"error": "A tab id of 8 to 64 letters and digits."}, status=400)
        editing = self.has_change_permission(request, article)
        here = presence_ping(
            article_pk=article.pk,
            user=request.user,
            tab=tab,
            leaving=request.POST.get("leaving") == "1" or not editing,
        )
        return JsonResponse({"others": here, "ping_seconds": PING_SECONDS})

    def conflict_view(self, request: HttpRequest, object_id: int) -> JsonResponse:
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        try:
            opened = int(request.POST.get("opened_version", ""))
        except ValueError:
            return JsonResponse({"conflict": None})
        if opened == article.lock_version:
            return JsonResponse({"conflict": None})
        yours = {
            name: services.normalize_newlines(request.POST[name])
            for name in services.AUTOSAVE_FIELDS
            if name in request.POST
        }
        if "title" in yours:
            yours["title"] = " ".join(yours["title"].split())
        article = Article.objects.select_related("last_edited_by").get(pk=article.pk)
        return JsonResponse({"conflict": conflict_json(article, yours, by=request.user)})


def _key(article_pk: int) -> str:
    return f"presence:{release()}:article:{article_pk}"


def presence_ping(
    *, article_pk: int, user, tab: str, leaving: bool = False, now: float | None = None
) -> list[dict]:
    """Record that `user` has the article open in `tab` (or closed it: `leaving`); return
    who else has it open, one entry a person (their earliest tab), oneself in another tab
    first."""
    now = time.time() if now is None else now
    key = _key(article_pk)
    present = {
        tab_key: seen
        for tab_key, seen in (cache.get(key) or {}).items()
        if now - seen["seen"] < PRESENCE_SECONDS
    }
    mine = f"{user.pk}:{tab}"
    if leaving:
        present.pop(mine, None)
    else:
        since = present.get(mine, {}).get("since", now)
        present[mine] = {
            "user": user.pk,
            "name": user.get_full_name() or user.username,
            "since": since,
            "seen": now,
        }
    if present:
        cache.set(key, present, PRESENCE_SECONDS)
    else:
        cache.delete(key)
    return _others(present, user=user, mine=mine)


def _others(present: dict[str, dict], *, user, mine: str) -> list[dict]:
    people: dict[int, dict] = {}
    for tab_key, seen in present.items():
        if tab_key == mine:
            continue
        person = people.setdefault(seen["user"], dict(seen))
        person["since"] = min(person["since"], seen["since"])
    found = []
    for pk, person in people.items():
        since = datetime.datetime.fromtimestamp(person["since"], tz=datetime.UTC)
        own = pk == user.pk
        found.append(
            {
                "own_tab": own,
                "name": person["name"],
                "since": since.isoformat(),
                "notice": (
                    "You have this article open in another tab."
                    if own
                    else f"{person['name']} is also editing this article (since {since:%H:%M} UTC)."
                ),
            }
        )
    found.sort(key=lambda person: (not person["own_tab"], person["since"]))
    return found


def conflict_json(current: Article, yours: dict[str, str], *, by) -> dict:
    """Both versions of the text and the differences from theirs to yours, for the editor
    to show before it offers to keep yours: who saved (`own`: `by` in another tab), when,
    and the version to save over (`lock_version`)."""
    own = services.saved_by_self(current, by)
    return {
        "error": services.stale_edit_message(current, by),
        "by": "you, in another tab" if own else services.saved_by_name(current),
        "own": own,
        "saved_at": current.updated_at.isoformat(),
        "lock_version": current.lock_version,
        "fields": [
            {
                "name": name,
                "label": TEXT_LABELS[name],
                "theirs": getattr(current, name),
                "yours": yours[name],
                "diff_html": word_diff_html(getattr(current, name), yours[name]),
            }
            for name in services.AUTOSAVE_FIELDS
            if name in yours and yours[name] != getattr(current, name)
        ],
    }
