"""The article editor's live parts: the Markdown body with its preview, and the endpoint
that renders it with the site's own pipeline (the HTML readers will get)."""

import dataclasses

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template import loader
from django.urls import path, reverse, reverse_lazy
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from base.limits import body_too_large, checked_before_the_body
from base.slugs import free_slug, readable_slug

from .. import content_checks, kept_image, rendering, services
from ..models import BODY_MAX_CHARS, Article, render_body
from ..views import unpublished_page
from . import page_preview
from .forms import ArticleTextForm, authors_in_post
from .presence import conflict_json
from .read_only import page_as_readers


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
        autosave = checked_before_the_body(_autosave_size_guard)(require_POST(self.autosave_view))
        return [
            path(
                "preview/",
                self.admin_site.admin_view(require_POST(self.preview_view)),
                name="articles_article_preview",
            ),
            path(
                "autosave/",
                self.admin_site.admin_view(autosave),
                name="articles_article_autosave_new",
            ),
            path(
                "<int:object_id>/autosave/",
                self.admin_site.admin_view(autosave),
                name="articles_article_autosave",
            ),
            path(
                "<int:object_id>/as-readers/",
                self.admin_site.admin_view(self.as_readers_view),
                name="articles_article_as_readers",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest) -> JsonResponse:
        """The article as readers will see it (`page`: the article page's main column, from
        the form as it stands), the body alone (`html`), its word count and reading time,
        and the content checks of the form (sent whole, without files)."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        saved = self._saved_in(request)
        content = self._content_in(request, saved)
        rendered = render_body(content.body).rendered
        form_class = self.get_form(
            request, saved, form=forms.ModelForm, fields=page_preview.SHOWN_FIELDS
        )
        form = form_class(data=request.POST, instance=saved or Article())
        article = page_preview.article_from_form(form, request.POST, saved)
        return JsonResponse(
            {
                "page": page_as_readers(article),
                "html": rendered.html,
                "words": rendered.words,
                "reading_minutes": rendered.reading_minutes,
                "checks": [f.as_dict() for f in content_checks.run_checks(content)],
            }
        )  # the admin's views are never cached

    def as_readers_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """The article's page as it stands saved, whatever its status, for the newsroom:
        "View as readers will see it" on every article."""
        article = get_object_or_404(rendering.for_rendering(), pk=object_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return unpublished_page(
            request,
            article,
            preview=True,
            template="articles/as_readers.html",
            public_url=article.get_absolute_url() if article.is_public else "",
            change_url=reverse("admin:articles_article_change", args=[article.pk]),
        )

    def autosave_view(self, request: HttpRequest, object_id: int | None = None) -> JsonResponse:
        """Keep the text being typed (see `services.article_autosave`).

        Always 200 (a browser logs any error status as a console error), with `saved`:
        true and the new version; or false with the other person's version (`conflict`)
        when someone saved in between, or with the reason (`error`) it was not saved, and
        for text refused by Save's own checks, the messages per field (`fields`).
        """
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            article = Article(kind=request.POST.get("kind") or Article.Kind.ANALYSIS)
            if article.kind not in Article.Kind.values:
                article.kind = Article.Kind.ANALYSIS
        else:
            article = get_object_or_404(Article, pk=object_id)
            if not self.has_change_permission(request, article):
                raise PermissionDenied
        if article.pk is None and not request.POST.get("title", "").strip():
            return _not_saved("Type a title first.")
        form = self._autosave_form(request, article)
        if not form.is_valid():
            return _refused(form)
        changes = {name: form.cleaned_data[name] for name in form.fields}
        if article.pk is None:
            typed = request.POST.get("slug", "").strip()
            if typed:
                slug = readable_slug(typed, fallback=article.kind)
                if Article.objects.filter(slug=slug).exists():
                    return _not_saved(f"Not saved: the slug “{slug}” is taken; change it.")
                article.slug = slug
            else:
                article.slug = free_slug(changes.get("title", ""), Article, fallback=article.kind)
        try:
            opened = int(request.POST.get("opened_version", ""))
        except ValueError:
            opened = None
        try:
            services.article_autosave(
                article=article,
                by=request.user,
                changes=changes,
                opened_version=opened,
                keep_over=request.POST.get("keep_mine") == "1",
                tab=request.POST.get("tab", ""),
            )
        except services.StaleEditError as conflict:
            return JsonResponse(
                {
                    "saved": False,
                    "conflict": conflict_json(conflict.current, changes, by=request.user),
                }
            )
        except services.TransitionError as error:
            return _not_saved(" ".join(error.messages))
        return JsonResponse(
            {
                "saved": True,
                "article": article.pk,
                "lock_version": article.lock_version,
                "saved_at": article.updated_at.isoformat(),
                "change_url": reverse("admin:articles_article_change", args=[article.pk]),
                "autosave_url": reverse("admin:articles_article_autosave", args=[article.pk]),
            }
        )

    def _autosave_form(self, request: HttpRequest, article: Article) -> ArticleTextForm:
        """The typed text in the change form's own fields (same caps, same validators).

        Bound to a blank article of the same kind, not to `article`: autosave changes only
        the text, so the rules about the whole article (an image's alt text, a source for
        a republished piece) are left to Save, which has every field in its form.
        """
        sent = [name for name in services.AUTOSAVE_FIELDS if name in request.POST]
        form_class = self.get_form(request, None, form=ArticleTextForm, fields=sent)
        return form_class(data=request.POST, instance=Article(kind=article.kind))

    def _saved_in(self, request: HttpRequest) -> Article | None:
        """The saved article the editor's form edits (`_article`), if the person may see it."""
        wanted = request.POST.get("_article", "")
        if not wanted.isdigit():
            return None
        saved = Article.objects.filter(pk=int(wanted)).select_related("series").first()
        if saved is None or not self.has_view_permission(request, saved):
            return None
        return saved

    def _content_in(
        self, request: HttpRequest, saved: Article | None = None
    ) -> content_checks.Content:
        data = request.POST
        if saved is not None and saved.translation_of_id is not None:
            # A translation's form holds its text; its shared facts are its source's, kept
            # in step and not in the form.
            return dataclasses.replace(
                content_checks.Content.of(saved),
                title=" ".join(data.get("title", "").split()),
                dek=services.normalize_newlines(data.get("dek", "")),
                body=services.normalize_newlines(data.get("body", "")),
                image_alt=data.get("image_alt", ""),
                machine_unreviewed=bool(data.get("machine_translated")),
            )
        saved_image = bool(saved and saved.image) and not data.get("image-clear")
        chosen = data.get("_new_image") == "1" or kept_image.is_valid(data.get("kept_image", ""))
        return content_checks.Content(
            title=" ".join(data.get("title", "").split()),
            dek=services.normalize_newlines(data.get("dek", "")),
            body=services.normalize_newlines(data.get("body", "")),
            kind=data.get("kind") or Article.Kind.ANALYSIS,
            rights=data.get("rights") or Article.Rights.EXCLUSIVE,
            source_outlet=data.get("source_outlet", ""),
            source_url=data.get("source_url", ""),
            has_image=saved_image or chosen,
            image_alt=data.get("image_alt", ""),
            topic_count=len([v for v in data.getlist("topics") if v]),
            region_count=len([v for v in data.getlist("regions") if v]),
            slug=data.get("slug", ""),
            author_count=authors_in_post(data),
        )


def _not_saved(reason: str) -> JsonResponse:
    return JsonResponse({"saved": False, "error": reason})


def _refused(form: ArticleTextForm) -> JsonResponse:
    """Save's messages for the text it would refuse, per field and as one sentence."""
    fields = {name: list(errors) for name, errors in form.errors.items()}
    said = " ".join(
        f"{form.fields[name].label if name in form.fields else 'Article'}: {' '.join(errors)}"
        for name, errors in fields.items()
    )
    return JsonResponse(
        {
            "saved": False,
            "error": f"Not saved. {said} Your text is still here and kept in this browser.",
            "fields": fields,
        }
    )


def _autosave_size_guard(request: HttpRequest) -> HttpResponse | None:
    """Django will not read a request over DATA_UPLOAD_MAX_MEMORY_SIZE (it answers a 400
    page the editor's script cannot read); refuse it first, in JSON, before it is read."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None or not body_too_large(request, limit):
        return None
    return _not_saved(
        f"Not saved: this is far longer than an article can be (the body takes up to "
        f"{BODY_MAX_CHARS:,} characters). Your text is still here and kept in this browser."
    )
