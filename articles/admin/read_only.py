"""An article the person may read but not change (a writer opening a colleague's piece, or
a public one): the page as readers will see it, and the rest of its fields to read, with
nothing about saving or autosave."""

from django.conf import settings
from django.template.loader import render_to_string

from ..models import Article

READ_ONLY_TEMPLATE = "admin/articles/article/read_only.html"


class ArticleReadOnlyMixin:
    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            response.template_name = READ_ONLY_TEMPLATE
            response.context_data["page"] = page_as_readers(obj)
            response.context_data["why_read_only"] = _why(obj)
        return response


def page_as_readers(article: Article) -> str:
    """The article page's main column for the saved article, from the site's templates."""
    context = {
        "article": article,
        "preview": True,  # no "Cite this": a draft has no address to cite
        "SITE_URL": settings.SITE_URL,
        "SITE_NAME": settings.SITE_NAME,
    }
    return render_to_string("articles/_page_top.html", context, using="jinja2")


def _why(article: Article) -> str:
    if article.status in (Article.Status.DRAFT, Article.Status.REVIEW):
        return (
            "You can read this article but not change it: a draft or an article in review "
            "is changed by the writer who started it, its authors and the editors."
        )
    return (
        "You can read this article but not change it: once an article is scheduled, "
        "published or archived, only editors change it."
    )
