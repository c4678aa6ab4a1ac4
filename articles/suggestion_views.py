"""Suggested topics and regions for the article editor, as JSON, for staff only.

`GET  /admin-tools/articles/<pk>/suggestions/` — for a saved article, the tags seen in its
text that it does not have yet.
`POST /admin-tools/suggestions/` — for the text in the editor now (title, dek, body, and
the ids of the topics and regions already chosen), saved or not.
"""

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from base.roles import can_edit

from .models import Article
from .suggest import Suggester, suggestions_for_article

MAX_TEXT = 200_000  # characters of title, standfirst and body read for suggestions


def _refused(request: HttpRequest) -> JsonResponse | None:
    user = request.user
    if not (user.is_authenticated and user.is_staff and user.has_perm("articles.change_article")):
        return JsonResponse({"error": "Sign in to the editors' admin first."}, status=403)
    return None


@never_cache
@require_GET
def article_suggestions(request: HttpRequest, pk: int) -> JsonResponse:
    if (refused := _refused(request)) is not None:
        return refused
    article = get_object_or_404(Article, pk=pk)
    if not can_edit(request.user, article):
        return JsonResponse({"error": "You cannot edit this article."}, status=403)
    found = suggestions_for_article(article)
    return JsonResponse({"suggestions": [suggestion.as_json() for suggestion in found]})


@never_cache
@require_POST
def text_suggestions(request: HttpRequest) -> JsonResponse:
    if (refused := _refused(request)) is not None:
        return refused
    title = request.POST.get("title", "")
    dek = request.POST.get("dek", "")
    body = request.POST.get("body", "")
    if len(title) + len(dek) + len(body) > MAX_TEXT:
        return JsonResponse(
            {"error": f"The text is too long for suggestions (over {MAX_TEXT:,} characters)."},
            status=400,
        )
    chosen = {("topic", value) for value in request.POST.getlist("topics") if value.isdigit()} | {
        ("region", value) for value in request.POST.getlist("regions") if value.isdigit()
    }
    found = [
        suggestion
        for suggestion in Suggester.from_database().suggest(title=title, dek=dek, body=body)
        if (suggestion.vocabulary, str(suggestion.pk)) not in chosen and suggestion.shown
    ]
    return JsonResponse({"suggestions": [suggestion.as_json() for suggestion in found]})
