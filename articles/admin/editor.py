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

from .. import services


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
        """The body as readers will see it, with its word count and reading time."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        body = services.normalize_newlines(request.POST.get("body", ""))
        rendered = render_markdown(body)
        response = JsonResponse(
            {
                "html": rendered.html,
                "words": rendered.words,
                "reading_minutes": rendered.reading_minutes,
            }
        )
        response["Cache-Control"] = "no-store"
        return response
