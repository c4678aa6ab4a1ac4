"""The page an outside translator opens from their link: the source paragraph by paragraph,
a box for each, the source's changes when the translation is stale, and the translation
memory's offers. What they send lands as a revision of the draft for review, or, for an
edition readers already see, as a proposal an editor applies (services/translations.py)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from base.languages import language_name, text_direction

from .admin.forms import ArticleTextForm
from .models import Article, TranslationInvite
from .services import TransitionError, translations
from .translation_memory import memory_suggest

TEMPLATE = "articles/translate.html"


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _boxes(source: Article, translation: Article) -> list[str]:
    """What each paragraph's box starts with: the translation's paragraph at that place
    (its extra paragraphs go into the last box, so nothing it has is hidden)."""
    count = len(_paragraphs(source.body))
    have = _paragraphs(translation.body)
    boxes = have[:count] + [""] * (count - len(have))
    if len(have) > count and count:
        boxes[-1] = "\n\n".join(have[count - 1 :])
    return boxes


def _offers(paragraphs: list[str], source: Article, translation: Article) -> list:
    return memory_suggest(
        paragraphs, source_language=source.language, target_language=translation.language
    )


@never_cache
def translate_page(request: HttpRequest, token: str) -> HttpResponse:
    invite = TranslationInvite.from_token(token)
    if invite is None:
        return _refused(request, "This link is not valid.", status=404)
    if invite.revoked_at is not None:
        return _refused(request, "This link has been revoked.", status=410)
    if not invite.is_open:
        return _refused(request, f"This link expired on {invite.expires_at:%d %B %Y}.", 410)
    translation = Article.objects.select_related("translation_of", "source_revision").get(
        pk=invite.article_id
    )
    if translation.status == Article.Status.ARCHIVED:
        return _refused(request, "This translation is no longer wanted.", status=410)
    source = translation.translation_of
    paragraphs = _paragraphs(source.body)
    errors: list[str] = []
    sent = None
    if request.method == "POST":
        title = " ".join(request.POST.get("title", "").split())
        dek = request.POST.get("dek", "").strip()
        boxes = [request.POST.get(f"p{i}", "").strip() for i in range(len(paragraphs))]
        if not title:
            errors.append("Translate the title.")
        empty = [str(i + 1) for i, text in enumerate(boxes) if not text]
        if empty:
            errors.append("Translate every paragraph; empty: " + ", ".join(empty) + ".")
        errors += _field_errors(translation, title=title, dek=dek, body="\n\n".join(boxes))
        if not errors:
            try:
                sent = translations.translation_submit(
                    translation=translation,
                    text=translations.TranslatedText(title=title, dek=dek, body="\n\n".join(boxes)),
                    by=None,
                    invite=invite,
                )
            except TransitionError as error:
                errors.extend(error.messages)
        if sent is not None:
            return render(
                request,
                TEMPLATE,
                {"invite": invite, "translation": translation, "sent": True},
                status=200,
            )
    else:
        title, dek, boxes = translation.title, translation.dek, _boxes(source, translation)
        if translation.title == source.title:
            title = ""  # not translated yet
        if translation.dek == source.dek:
            dek = ""
        boxes = ["" if box in paragraphs else box for box in boxes]
    offers = _offers(paragraphs, source, translation)
    rows = [
        {"number": i + 1, "name": f"p{i}", "source": text, "box": boxes[i], "offer": offers[i]}
        for i, text in enumerate(paragraphs)
    ]
    for row in rows:  # an exact match fills an empty box; the translator sees it marked
        offer = row["offer"]
        if offer is not None and offer.exact and not row["box"]:
            row["box"], row["filled_from_memory"] = offer.text, True
    context = {
        "invite": invite,
        "translation": translation,
        "source": source,
        "target_language": language_name(translation.language),
        "direction": text_direction(translation.language),
        "source_direction": text_direction(source.language),
        "changes": translations.source_changes(translation) if translation.stale_since else [],
        "title": title,
        "dek": dek,
        "rows": rows,
        "errors": errors,
        "published": translation.is_public,
    }
    return render(request, TEMPLATE, context, status=400 if errors else 200)


def _field_errors(translation: Article, **values: str) -> list[str]:
    """Save's own rules for the text (length caps, no control characters: the form autosave
    and Save use), one message each."""
    form = ArticleTextForm(data=values, instance=translation)
    if form.is_valid():
        return []
    labels = {"dek": "standfirst"}
    return [
        f"The {labels.get(name, name)}: {message}"
        for name, messages in form.errors.items()
        for message in messages
    ]


def _refused(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    return render(request, TEMPLATE, {"refused": reason}, status=status)
