"""An article's history: the list of revisions, the comparison of two, and revert."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion.models import Version

from .. import services
from ..models import Article
from ..revisions import CONTENT_FIELDS, compare, snapshot, versions_of


class ArticleRevisionsMixin:
    """The history pages of the article admin."""

    # --- History: revisions, compare, revert ---------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/revisions/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:version_id>/revert/",
                self.admin_site.admin_view(self.revert_view),
                name="articles_article_revert",
            ),
            *super().get_urls(),
        ]

    def _article_for(self, request: HttpRequest, object_id: str) -> Article:
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return article

    def history_view(self, request, object_id, extra_context=None):
        article = self._article_for(request, object_id)
        return TemplateResponse(
            request,
            self.object_history_template,
            {
                **self.admin_site.each_context(request),
                "title": f"History of “{article}”",
                "subtitle": None,
                "object": article,
                "opts": self.model._meta,
                "versions": _with_readable_comments(versions_of(article)),
                "can_revert": self.has_change_permission(request, article),
            },
        )

    def compare_view(self, request, object_id):
        article = self._article_for(request, object_id)
        versions = versions_of(article)
        try:
            chosen = [versions.get(pk=int(request.GET[key])) for key in ("from", "to")]
        except (KeyError, ValueError, Version.DoesNotExist):
            self.message_user(request, "Choose two revisions to compare.", messages.WARNING)
            return HttpResponseRedirect(
                reverse("admin:articles_article_history", args=[article.pk])
            )
        older, newer = sorted(chosen, key=lambda v: (v.revision.date_created, v.pk))
        return TemplateResponse(
            request,
            "admin/articles/article/compare.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Changes to “{article}”",
                "object": article,
                "opts": self.model._meta,
                "older": older,
                "newer": newer,
                "changes": compare(snapshot(older), snapshot(newer)),
                "can_revert": self.has_change_permission(request, article),
            },
        )

    def revert_view(self, request, object_id, version_id):
        """What reverting would change; the button opens the change form filled with the
        revision's content, to be reviewed and saved as an ordinary edit."""
        article = self._article_for(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        version = get_object_or_404(versions_of(article), pk=version_id)
        current = versions_of(article).first()
        return TemplateResponse(
            request,
            "admin/articles/article/revert.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Revert “{article}”?",
                "object": article,
                "opts": self.model._meta,
                "version": version,
                "changes": compare(snapshot(current), snapshot(version)) if current else [],
            },
        )

    def reverting_to(self, request, article: Article | None) -> Version | None:
        """The revision the change form is being filled from (`?revert=<id>`), if any."""
        wanted = request.GET.get("revert", "")
        if article is None or request.method != "GET" or not wanted.isdigit():
            return None
        return versions_of(article).filter(pk=int(wanted)).first()

    def response_change(self, request, obj):
        """Once a revert is saved, the form opens on the article as it now is: the admin's
        "Save and continue" keeps the address's `?revert=`, which would fill the form from
        the revision again, under its "review it and press Save" banner."""
        response = super().response_change(request, obj)
        if isinstance(response, HttpResponseRedirect) and "revert=" in response.url:
            response["Location"] = _without_revert(response.url)
        return response

    def revert_initial(self, version: Version) -> dict:
        """The change form's fields as the revision held them (the image stays as it is)."""
        shot = snapshot(version)
        initial = {
            name.removesuffix("_id"): shot.fields[name]
            for name in CONTENT_FIELDS
            if name != "image"
        }
        initial |= {"topics": shot.topic_ids, "regions": shot.region_ids}
        return initial | {"reverted_from": version.pk}


def _with_readable_comments(versions) -> list[Version]:
    """Older revisions were commented with column names ("Edited: dek, body"); show every
    comment with the form's labels ("Edited: Standfirst, Body")."""
    versions = list(versions)
    for version in versions:
        comment = version.revision.comment
        if comment.startswith("Edited: "):
            names = comment.removeprefix("Edited: ").split(", ")
            comment = services.describe_changes(names)
        version.readable_comment = comment
    return versions


def _without_revert(url: str) -> str:
    parts = urlsplit(url)
    query = [(name, value) for name, value in parse_qsl(parts.query) if name != "revert"]
    return urlunsplit(parts._replace(query=urlencode(query)))
