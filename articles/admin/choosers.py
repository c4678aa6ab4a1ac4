"""The editor's choosers that name something by id: a link to one of our articles (found
by its title, whatever its status) and a video of an allowed host to embed. The body's
syntax for both is in `articles/models/body.py`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import HttpRequest, JsonResponse
from django.urls import path

from ..models import VIDEO_HOSTS, Article, validate_video_url

LINK_CHOOSER_LENGTH = 20


class ArticleChoosersMixin:
    """Adds the link chooser's search and the embed's check to the article admin."""

    def get_urls(self):
        return [
            path(
                "link-chooser/",
                self.admin_site.admin_view(self.link_chooser_view),
                name="articles_article_link_chooser",
            ),
            path(
                "embed/",
                self.admin_site.admin_view(self.embed_view),
                name="articles_article_embed",
            ),
            *super().get_urls(),
        ]

    def link_chooser_view(self, request: HttpRequest) -> JsonResponse:
        """Articles whose title or slug holds every word of `q`, public ones first; each with
        its status, so the editor knows a draft's link shows as plain text until it is out."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        found = Article.objects.only("pk", "title", "slug", "status", "publish_at")
        for word in request.GET.get("q", "").split()[:8]:
            found = found.filter(Q(title__icontains=word) | Q(slug__icontains=word))
        exclude = request.GET.get("exclude", "")
        if exclude.isdigit():
            found = found.exclude(pk=int(exclude))
        newest = found.order_by(F("publish_at").desc(nulls_last=True), "-pk")
        rows = list(newest[: LINK_CHOOSER_LENGTH * 5])
        public = set(
            Article.objects.published()
            .filter(pk__in=[row.pk for row in rows])
            .values_list("pk", flat=True)
        )
        rows.sort(key=lambda article: article.pk not in public)  # stable: newest first in each
        return JsonResponse(
            {
                "articles": [
                    {
                        "id": article.pk,
                        "title": article.title,
                        "status": article.status,
                        "status_label": str(article.get_status_display()),
                        "public": article.pk in public,
                        "url": article.get_absolute_url(),
                        "reference": f"article:{article.pk}",
                    }
                    for article in rows[:LINK_CHOOSER_LENGTH]
                ]
            }
        )

    def embed_view(self, request: HttpRequest) -> JsonResponse:
        """The Markdown of an embed for a video address, or why it cannot be embedded."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        url = request.GET.get("url", "").strip()
        title = " ".join(request.GET.get("title", "").replace("[", "(").replace("]", ")").split())
        try:
            if not url:
                raise ValidationError("Paste the address of the video.")
            validate_video_url(url)
        except ValidationError as error:
            hosts = ", ".join(sorted({host.removeprefix("www.") for host in VIDEO_HOSTS}))
            return JsonResponse(
                {"ok": False, "error": f"{' '.join(error.messages)} Allowed: {hosts}."}
            )
        return JsonResponse({"ok": True, "markdown": f"![{title or 'Video'}]({url})"})
