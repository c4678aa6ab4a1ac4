"""The admin's front page: the person's work and what needs an editor, in a fixed number of
queries whatever the amount of data. Each block is shown only to whoever may open the list
it links to; writers see their own articles."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.db.models import Count, F, Q, Window
from django.db.models.functions import TruncMonth
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, TranslationProposal
from base.roles import is_editor, translator_languages
from notifications.models import WebhookEndpoint
from outbox.models import Notification
from outbox.purges import PURGE
from submissions.models import Submission

Status = Article.Status
LIST_LENGTH = 5
CHART_MONTHS = 12
AGES = (7, 14, 30)  # the "waiting more than" columns, as the moderation queue filters them


def index(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    user = request.user
    context = {
        **admin.site.each_context(request),
        "title": admin.site.index_title,
        "subtitle": None,
        "app_list": admin.site.get_app_list(request),
    }
    if user.has_perm("articles.add_article"):
        context["new_article_url"] = reverse("admin:articles_article_add")
    if user.has_perm("articles.view_article"):
        context["articles"] = _articles(user, now)
        context["published_chart"] = _published_chart(now)
    translation_work = _translation_work(user)
    if translation_work is not None:
        context["translation_work"] = translation_work
    if user.has_perm("articles.view_importrecord"):
        context["imported"] = _imported_drafts()
    if user.has_perm("submissions.view_submission"):
        context["waiting"] = _waiting(now)
        context["status_chart"] = _status_chart()
    if user.has_perm("outbox.view_notification"):
        context["outbox_failed"] = {
            "count": Notification.objects.filter(status=Notification.Status.FAILED).count(),
            "url": _admin_list("outbox_notification", status__exact="failed"),
        }
    if user.has_perm("notifications.view_webhookendpoint"):
        failing = list(WebhookEndpoint.objects.failing().order_by("name"))
        context["webhooks_failing"] = {
            "endpoints": failing,
            "url": _admin_list("notifications_webhookendpoint", health="failing"),
        }
    if settings.HTTP_CACHE_PURGE and user.has_perm("outbox.view_notification"):
        context["purges_failing"] = _purges_failing()
    return TemplateResponse(request, "admin/dashboard.html", context)


def _purges_failing() -> dict:
    """Purges of the HTTP cache not delivered: being retried, or given up (one query)."""
    rows = (
        Notification.objects.filter(channel=PURGE, last_error__gt="")
        .exclude(status=Notification.Status.SENT)
        .annotate(total=Window(Count("pk")))
        .order_by("-updated_at")
        .values("total", "last_error", "updated_at")[:1]
    )
    latest = next(iter(rows), None)
    return {
        "count": latest["total"] if latest else 0,
        "latest": latest,
        "url": _admin_list("outbox_notification", channel__exact=PURGE),
    }


def _admin_list(name: str, **filters) -> str:
    url = reverse(f"admin:{name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


# --- Articles -----------------------------------------------------------------------------------


def _articles(user, now: datetime.datetime) -> dict:
    """My drafts, in review and scheduled for the coming week: counts in one query, and the
    first few of each (three more)."""
    editor = is_editor(user)
    mine = Article.objects.mine(user)
    start = now.replace(second=0, microsecond=0)
    week = {"publish_at__gte": start, "publish_at__lt": start + datetime.timedelta(days=7)}
    querysets = {
        "drafts": mine.filter(status=Status.DRAFT).order_by("-updated_at", "-id"),
        "review": (Article.objects.all() if editor else mine)
        .filter(status=Status.REVIEW)
        .order_by("updated_at", "id"),
        "scheduled": (Article.objects.all() if editor else mine)
        .filter(status=Status.SCHEDULED, **week)
        .order_by("publish_at", "id"),
    }
    counts = Article.objects.aggregate(
        **{
            name: Count("pk", filter=Q(pk__in=queryset.order_by().values("pk")))
            for name, queryset in querysets.items()
        }
    )
    own = {} if editor else {"queue": "mine"}
    links = {
        "drafts": _admin_list("articles_article", queue="mine", status__exact=Status.DRAFT),
        "review": _admin_list("articles_article", **own, status__exact=Status.REVIEW),
        "scheduled": _admin_list(
            "articles_article",
            **own,
            status__exact=Status.SCHEDULED,
            **{key: value.isoformat() for key, value in week.items()},
        ),
    }
    return {
        name: {
            "count": counts[name],
            "items": list(queryset.only("pk", "title", "publish_at", "updated_at")[:LIST_LENGTH]),
            "url": links[name],
        }
        for name, queryset in querysets.items()
    }


def _translation_work(user) -> dict | None:
    """A translator's editions to work on (stale first, then drafts and those in review),
    in their languages; an editor's, in every language, with the proposed translations of
    public editions waiting for them. Two queries."""
    editor = is_editor(user)
    languages = set() if editor else translator_languages(user)
    if not languages and not editor:
        return None
    editions = Article.objects.exclude(translation_of=None).exclude(status=Status.ARCHIVED)
    if not editor:
        editions = editions.filter(language__in=languages)
    items = list(
        editions.filter(Q(stale_since__isnull=False) | Q(status__in=[Status.DRAFT, Status.REVIEW]))
        .annotate(total=Window(Count("pk")))
        .order_by(F("stale_since").asc(nulls_last=True), "-updated_at", "-id")
        .only("pk", "title", "language", "status", "stale_since", "updated_at")[:LIST_LENGTH]
    )
    status_page = reverse("admin:articles_article_translations")
    return {
        "count": items[0].total if items else 0,
        "items": items,
        "languages": sorted(languages),
        "url": status_page + ("" if editor else "?mine=1"),
        "proposals": (
            TranslationProposal.objects.filter(outcome=TranslationProposal.Outcome.PENDING)
            .select_related("article")
            .order_by("submitted_at")[:LIST_LENGTH]
            if editor
            else []
        ),
    }


def _imported_drafts() -> dict:
    """Drafts the archive importer made, latest first, and how many there are: one query."""
    drafts = list(
        Article.objects.imported()
        .filter(status=Status.DRAFT)
        .annotate(total=Window(Count("pk")))
        .order_by("-updated_at", "-id")
        .only("pk", "title", "updated_at")[:LIST_LENGTH]
    )
    return {
        "count": drafts[0].total if drafts else 0,
        "items": drafts,
        "url": _admin_list("articles_article", queue="imported"),
        "records_url": _admin_list("articles_importrecord"),
    }


def _month_starts(now: datetime.datetime, count: int) -> list[datetime.datetime]:
    year, month = now.year, now.month
    starts = []
    for _ in range(count):
        starts.append(now.replace(year=year, month=month, day=1, hour=0, minute=0, second=0,
                                  microsecond=0))  # fmt: skip
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


@dataclass
class Bar:
    label: str
    value: int
    url: str
    description: str
    key: str = ""
    # geometry, in the chart's own units (its viewBox)
    x: int = 0
    y: int = 0
    width: int = 0
    height: int = 0


def _published_chart(now: datetime.datetime) -> dict:
    """Articles published per month over the last twelve months: one query."""
    months = _month_starts(now, CHART_MONTHS)
    counts = {
        row["month"].date(): row["n"]
        for row in Article.objects.published()
        .filter(publish_at__gte=months[0])
        .annotate(month=TruncMonth("publish_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    bars = []
    for start in months:
        value = counts.get(start.date(), 0)
        bars.append(
            Bar(
                label=start.strftime("%b"),
                value=value,
                url=_admin_list(
                    "articles_article",
                    publish_at__year=start.year,
                    publish_at__month=start.month,
                    status__exact=Status.PUBLISHED,
                ),
                description=f"{start:%B %Y}: {value} published",
            )
        )
    top = max([bar.value for bar in bars] + [1])
    slot, plot = 50, 150  # each month's width, the tallest bar's height
    for i, bar in enumerate(bars):
        bar.width, bar.x = 34, i * slot + 8
        bar.height = round(bar.value / top * plot)
        bar.y = 20 + plot - bar.height
    return {
        "bars": bars,
        "total": sum(b.value for b in bars),
        "width": slot * len(bars),
        "months": CHART_MONTHS,
        "url": _admin_list("articles_article", status__exact=Status.PUBLISHED),
    }


# --- Submissions --------------------------------------------------------------------------------


def _waiting(now: datetime.datetime) -> dict:
    """Submissions waiting for a decision, by assignee and age: one query."""
    ages = {
        f"over_{days}": Count("pk", filter=Q(confirmed_at__lt=now - datetime.timedelta(days=days)))
        for days in AGES
    }
    rows = (
        Submission.objects.waiting()
        .values("assignee", "assignee__username", "assignee__first_name", "assignee__last_name")
        .annotate(total=Count("pk"), **ages)
        .order_by(F("assignee__username").asc(nulls_first=True))  # nobody first
    )
    table = []
    for row in rows:
        who = (
            {"assignee__id__exact": row["assignee"]}
            if row["assignee"]
            else {"assignee__isnull": "True"}
        )
        name = " ".join(filter(None, [row["assignee__first_name"], row["assignee__last_name"]]))
        table.append(
            {
                "assignee": (name or row["assignee__username"]) if row["assignee"] else "Nobody",
                "cells": [
                    {
                        "count": row[key],
                        "url": _admin_list("submissions_submission", waiting=days, **who),
                    }
                    for key, days in [("total", 0)] + [(f"over_{d}", d) for d in AGES]
                ],
            }
        )
    return {
        "rows": table,
        "total": sum(r["cells"][0]["count"] for r in table),
        "url": _admin_list("submissions_submission", waiting=0),
        "ages": AGES,
    }


def _status_chart() -> dict:
    """Confirmed submissions by status: one query."""
    counts = dict(
        Submission.objects.exclude(status=Submission.Status.UNCONFIRMED)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    statuses = [s for s in Submission.Status if s != Submission.Status.UNCONFIRMED]
    top = max([*counts.values(), 1])
    row, plot = 46, 500  # each status: its name above a bar
    bars = []
    for i, status in enumerate(statuses):
        value = counts.get(status.value, 0)
        bar = Bar(
            label=status.label,
            value=value,
            url=_admin_list("submissions_submission", status__exact=status.value),
            description=f"{status.label}: {value}",
            key=status.value,
            x=0,
            y=i * row + 24,
            width=max(round(value / top * plot), 2),
            height=14,
        )
        bars.append(bar)
    return {
        "bars": bars,
        "total": sum(counts.values()),
        "height": row * len(statuses),
        "width": plot + 60,
    }
