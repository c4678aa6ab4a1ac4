"""The article editor's live parts: the Markdown body with its preview, and the endpoint
that renders it with the site's own pipeline (the HTML readers will get)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.template import loader
from django.urls import path, reverse_lazy
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from newsroom.markdown import render_markdown

from .. import checks, services
from ..models import Article


class MarkdownEditor(forms.Textarea):
    """The body: a formatting toolbar, the text, its live preview, words and reading time."""

    template_name = "admin/articles/widgets/markdown_editor.html"

    def __init__(self, attrs=None):
        super().__init__(
            {"rows": 28, "class": "md-editor__text", "spellcheck": "true", **(attrs or {})}
        )

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates (templates/admin/…), not the form renderer's own folders.
        context = self.get_context(name, value, attrs)
        return mark_safe(loader.render_to_string(self.template_name, context))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["preview_url"] = reverse_lazy("admin:articles_article_preview")
        return context


class ArticleEditorMixin:
    """Adds the preview endpoint to the article admin."""

    def get_urls(self):
        return [
            path(
                "preview/",
                self.admin_site.admin_view(require_POST(self.preview_view)),
                name="articles_article_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest) -> JsonResponse:
        """The body as readers will see it, its word count and reading time, and the
        content checks of the form as it stands (sent whole, without files)."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        content = self._content_in(request)
        rendered = render_markdown(content.body)
        return JsonResponse(
            {
                "html": rendered.html,
                "words": rendered.words,
                "reading_minutes": rendered.reading_minutes,
                "checks": [f.as_dict() for f in checks.run_checks(content)],
            }
        )  # the admin's views are never cached

    def _content_in(self, request: HttpRequest) -> checks.Content:
        data = request.POST
        saved = None
        if data.get("_article", "").isdigit():
            saved = Article.objects.filter(pk=int(data["_article"])).only("pk", "image").first()
            if saved is not None and not self.has_view_permission(request, saved):
                saved = None
        kept_image = bool(saved and saved.image) and not data.get("image-clear")
        return checks.Content(
            title=" ".join(data.get("title", "").split()),
            dek=services.normalize_newlines(data.get("dek", "")),
            body=services.normalize_newlines(data.get("body", "")),
            kind=data.get("kind") or Article.Kind.ANALYSIS,
            rights=data.get("rights") or Article.Rights.EXCLUSIVE,
            source_outlet=data.get("source_outlet", ""),
            source_url=data.get("source_url", ""),
            has_image=kept_image or data.get("_new_image") == "1",
            image_alt=data.get("image_alt", ""),
            topic_count=len([v for v in data.getlist("topics") if v]),
            region_count=len([v for v in data.getlist("regions") if v]),
            slug=data.get("slug", ""),
        )
