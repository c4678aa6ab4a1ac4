import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from base.httpcache import (
    LIST_ARTICLES,
    article_key,
    author_key,
    edition_key,
    list_key,
    object_keys,
    region_key,
    series_key,
    tag,
    topic_key,
)
from base.languages import current_language, language_codes, language_name
from base.pagecache import cached_fragment, use_page_number

from . import list_counts, rendering, search, search_help
from .models import (
    PREVIEW_SALT,
    Article,
    Author,
    PreviewLink,
    Region,
    Series,
    TaggedTopic,
    Topic,
    published_q,
)
from .models.vocabulary import by_name_in


class _KeptCount(Paginator):
    """A list's count read from what the writes kept (`list_counts`): one lookup by its key,
    never a count, whatever the list's size."""

    def __init__(self, *args, count_key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        return list_counts.list_count(self.count_key, current_language())

    def page(self, number) -> Page:
        # Not cut at the count: a scheduled article is listed from its time on, and counted
        # only once `publish_due` records it (the lag in `list_counts`).
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


def _page(request: HttpRequest, rows, count_key: str = "") -> Page:
    per_page = settings.ARTICLES_PER_PAGE
    paginator = (
        _KeptCount(rows, per_page, count_key=count_key) if count_key else Paginator(rows, per_page)
    )
    page = paginator.get_page(request.GET.get("page"))
    use_page_number(request, page.number)
    return page


def _listing(
    request: HttpRequest,
    template: str,
    articles,
    count_key: str = "",
    cache_tags: tuple[str, ...] = (),
    **context,
) -> HttpResponse:
    """A page of a list: the count, then the page's cards as plain values (one query).
    Tagged for the HTTP cache with `cache_tags` and every article it shows."""
    page = _page(request, articles.values_list(*rendering.CARD_COLUMNS), count_key)
    cards = rendering.cards_of_rows(page.object_list)
    response = render(request, template, {"page": page, "cards": cards_html(cards), **context})
    tag(response, *cache_tags, *(article_key(card["id"]) for card in cards))
    return response


def cards_html(cards: list[dict], *, level: int = 2, big: bool = False) -> str:
    """These cards (`rendering.card_of`), rendered: a part of a page."""
    context = {"items": cards, "level": level, "big": big}
    return mark_safe(render_to_string("articles/_cards.html", context))


# What an article page reads: its rendered parts, and what says whether they are current.
_PAGE_COLUMNS = (
    "pk", "lock_version", "title", "dek", "updated_at", "rendering__release",
    "rendering__version", "rendering__head", "rendering__top", "rendering__bottom",
    "rendering__related", "rendering__cache_tags", "rendering__editions", "language",
    "translation_key",
)  # fmt: skip


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One query for the page (its parts were rendered on write), one for its related cards."""
    now = timezone.now()
    page = Article.objects.published(now=now).filter(slug=slug).values(*_PAGE_COLUMNS).first()
    if page is None:
        if Article.objects.filter(slug=slug, status=Article.Status.ARCHIVED).exists():
            return render(request, "articles/gone.html", status=410)
        raise Http404("No such article.")
    if page["language"] != current_language():  # an edition lives in its language's part
        edition = Article(slug=slug, language=page["language"])
        moved = HttpResponsePermanentRedirect(edition.get_absolute_url())
        tag(moved, article_key(page["pk"]))
        return moved
    names = ("head", "top", "bottom", "related", "cache_tags", "editions")
    parts = {name: page[f"rendering__{name}"] for name in names}
    current = (
        page["rendering__release"] == rendering.rendering_release()
        and page["rendering__version"] == page["lock_version"]
    )
    if not current:  # never rendered (an import), rendered by other code, or before a save
        made = rendering.article_render(article_id=page["pk"])
        parts = {name: getattr(made, name) for name in parts}
    related = rendering.cards(parts["related"], now=now)
    editions = parts["editions"]
    response = render(
        request,
        "articles/article_detail.html",
        {
            "title": page["title"],
            "description": page["dek"] or page["title"],
            **{name: mark_safe(parts[name]) for name in ("head", "top", "bottom")},
            "related": related,
            "editions": editions,
        },
    )
    response["Last-Modified"] = http_date(page["updated_at"].timestamp())
    tag(response, *parts["cache_tags"], *(article_key(card["id"]) for card in related))
    # Another edition published or withdrawn changes this page's switcher and hreflang; so
    # does a first translation (the translation key's tag).
    tag(response, *(article_key(e["id"]) for e in editions), edition_key(page["translation_key"]))
    return response


@never_cache
def article_preview(request: HttpRequest, token: str) -> HttpResponse:
    """An unpublished article exactly as it will look, for whoever holds a valid link."""
    try:
        link_id = int(signing.Signer(salt=PREVIEW_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return _preview_refused(request, "This preview link is not valid.", status=404)
    link = PreviewLink.objects.filter(pk=link_id).first()
    if link is None or link.revoked_at is not None:
        return _preview_refused(request, "This preview link has been revoked.", status=410)
    if link.is_expired:
        return _preview_refused(
            request, f"This preview link expired on {link.expires_at:%d %B %Y}.", status=410
        )
    if not Article.objects.previewable().filter(pk=link.article_id).exists():
        article = Article.objects.only("slug").get(pk=link.article_id)
        if article.is_public:
            return redirect(article)
        return _preview_refused(request, "This article is no longer published.", status=410)
    article = get_object_or_404(rendering.for_rendering(), pk=link.article_id)
    return unpublished_page(request, article, preview=link)


def unpublished_page(
    request: HttpRequest,
    article: Article,
    *,
    preview,
    template: str = "articles/article_detail.html",
    **context,
) -> HttpResponse:
    """An article's page rendered now, for a preview (a link, or the newsroom's own view):
    never indexed, never cached."""
    parts = rendering.page_parts(article, preview=preview)
    response = render(
        request,
        template,
        {
            "title": article.title,
            "description": article.dek or article.title,
            "preview": preview,
            "article": article,
            **{name: mark_safe(value) for name, value in parts.items()},
            "related": [],
            **context,
        },
        using="jinja2",
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, no_store=True)
    return response


def _preview_refused(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    response = render(request, "articles/preview_refused.html", {"reason": reason}, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _with_published_count(tags):
    return tags.with_published_count()


def _tag_index(
    request: HttpRequest, tags, heading: str, intro: str, *, other: str, other_heading: str
) -> HttpResponse:
    # In the alphabetical order of the names shown: the page's language's.
    tags = by_name_in(_with_published_count(tags), current_language())
    response = render(
        request,
        "articles/tag_index.html",
        {
            "tags": tags,
            "heading": heading,
            "intro": intro,
            "other_url": reverse(f"articles:{other}"),
            "other_heading": other_heading,
        },
    )
    # The counts move with every publication; the names with an edit of the tag.
    tag(response, LIST_ARTICLES, *(key for item in tags for key in object_keys(item)))
    return response


def topic_index(request: HttpRequest) -> HttpResponse:
    intro = _("The subjects we follow across the region.")
    return _tag_index(
        request,
        Topic.objects.all(),
        _("Topics"),
        intro,
        other="regions",
        other_heading=_("Regions"),
    )


def region_index(request: HttpRequest) -> HttpResponse:
    intro = _("The countries and territories our analyses cover.")
    return _tag_index(
        request,
        Region.objects.all(),
        _("Regions"),
        intro,
        other="topics",
        other_heading=_("Topics"),
    )


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    articles = Article.objects.published().in_language().tagged_topic(topic).latest_first()
    return _listing(
        request,
        "articles/tag_detail.html",
        articles,
        count_key=f"topic:{topic.pk}",
        cache_tags=(topic_key(topic.pk), list_key("topic", topic.pk)),
        tag=topic,
        tag_kind="Topic",
        feed_url=reverse("articles:topic_feed", args=[topic.slug]),
        feed_title=f"{_('Caucasus Center')} — {topic.name_in(current_language())} (RSS)",
    )


def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    region = get_object_or_404(Region, slug=slug)
    articles = Article.objects.published().in_language().tagged_region(region).latest_first()
    return _listing(
        request,
        "articles/tag_detail.html",
        articles,
        count_key=f"region:{region.pk}",
        cache_tags=(region_key(region.pk), list_key("region", region.pk)),
        tag=region,
        tag_kind="Region",
        feed_url=reverse("articles:region_feed", args=[region.slug]),
        feed_title=f"{_('Caucasus Center')} — {region.name_in(current_language())} (RSS)",
    )


def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Author.objects.public(), slug=slug)
    articles = Article.objects.published().in_language().by_author(author).latest_first()
    return _listing(
        request,
        "articles/author_detail.html",
        articles,
        count_key=f"author:{author.pk}",
        cache_tags=(author_key(author.pk), list_key("author", author.pk)),
        author=author,
        feed_url=reverse("articles:author_feed", args=[author.slug]),
        feed_title=f"{_('Caucasus Center')} — {author.name_in(current_language())} (RSS)",
    )


def series_detail(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(Series, slug=slug)
    articles = (
        Article.objects.published()
        .in_language()
        .filter(series=series)
        .order_by("series_position", "publish_at", "id")
    )
    return _listing(
        request,
        "articles/series_detail.html",
        articles,
        count_key=f"series:{series.pk}",
        cache_tags=(series_key(series.pk), list_key("series", series.pk)),
        series=series,
    )


def archive_index(request: HttpRequest) -> HttpResponse:
    years = Article.objects.published().in_language().dates("publish_at", "year", order="DESC")
    response = render(request, "articles/archive_index.html", {"years": years})
    tag(response, LIST_ARTICLES)
    return response


def _months_of(year: int) -> list[datetime.date]:
    """The months of `year` with something published, kept with the pages."""
    published = Article.objects.published().in_language().filter(publish_at__year=year)
    return cached_fragment(
        "months",
        f"{year}:{current_language()}",
        lambda: list(published.dates("publish_at", "month")),
    )


def archive_year(request: HttpRequest, year: int) -> HttpResponse:
    months = _months_of(year)
    if not months:
        raise Http404("Nothing was published that year.")
    return _listing(
        request,
        "articles/archive.html",
        Article.objects.published().in_language().filter(publish_at__year=year).latest_first(),
        count_key=f"year:{year}",
        cache_tags=(LIST_ARTICLES,),
        year=year,
        months=months,
        heading=str(year),
    )


def archive_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    if not 1 <= month <= 12:
        raise Http404("No such month.")
    articles = (
        Article.objects.published()
        .in_language()
        .filter(publish_at__year=year, publish_at__month=month)
    )
    months = _months_of(year)
    if datetime.date(year, month, 1) not in months:
        raise Http404("Nothing was published that month.")
    return _listing(
        request,
        "articles/archive.html",
        articles.latest_first(),
        count_key=f"month:{year}:{month}",
        cache_tags=(LIST_ARTICLES,),
        year=year,
        month=month,
        months=months,
        heading=date_format(datetime.date(year, month, 1), "F Y"),  # the language's month
    )


def search_page(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("q", "")
    chosen = {name: request.GET.get(name, "")[:60] for name in ("topic", "region", "kind", "year")}
    # The page's language by default; every language when the reader asks (?language=all).
    everywhere = request.GET.get("language") == "all"
    language = None if everywhere else current_language()
    results = search.search(raw, **chosen, language=language)
    page = _search_results_page(request, results) if not results.query.is_empty else None
    articles = list(page.object_list) if page else []
    found = search.snippets(articles, results.query)
    for article in articles:
        article.snippet = found.get(article.pk, "")
    params = {k: v for k, v in chosen.items() if v}
    scope = {"language": "all"} if everywhere else {}
    suggestion = (
        search_help.suggest(
            results.query, found=results.total, filters={**chosen, "language": language}
        )
        if not results.query.is_empty
        else None
    )
    # Nothing in this language: the editions in other languages that the query finds.
    elsewhere = (
        _search_elsewhere(results.query, chosen, params, language=language)
        if language and not results.total and not results.query.is_empty
        else []
    )
    return render(
        request,
        "articles/search.html",
        {
            "q": results.query.text,
            "query": results.query,
            "too_long": len(raw) > search.MAX_QUERY_LENGTH,
            "capped": results.capped,
            "page": page,
            "articles": articles,
            "facets": results.facets,
            "chosen": chosen,
            "everywhere": everywhere,
            "language_names": {code: language_name(code) for code in language_codes()},
            "base_query": urlencode({"q": results.query.text, **params, **scope}),
            "facet_links": _facet_links(results.query.text, chosen, results.facets, scope),
            "suggestion": suggestion,
            "suggestion_query": urlencode({"q": suggestion.text, **params, **scope})
            if suggestion
            else "",
            "unfiltered_query": urlencode({"q": results.query.text, **scope}),
            "elsewhere": elsewhere,
            # Nothing found (or nothing asked): somewhere to go from here.
            "explore": ""
            if articles
            # One per language: its words and its latest cards are the page's language's.
            else cached_fragment("search-explore", current_language(), _search_explore),
        },
    )


def _search_elsewhere(query: search.Query, chosen: dict, params: dict, *, language: str):
    """Each other language whose editions the query finds: its name, how many, and the
    same search on that language's page."""
    found = search.elsewhere(query, language=language, **chosen)
    # Counted among the most recent matches: when those are all counted, each is a floor.
    floor = sum(count for _, count in found) >= search.CANDIDATES
    rows = []
    for code, count in found:
        with translation.override(code):
            url = reverse("articles:search")
        rows.append(
            {
                "language": code,
                "name": language_name(code),
                "count": count,
                "or_more": floor,
                "url": url + "?" + urlencode({"q": query.text, **params}),
            }
        )
    return rows


def _search_results_page(request: HttpRequest, results: search.Results) -> Page:
    paginator = Paginator(results.articles.for_listing(), settings.ARTICLES_PER_PAGE)
    paginator.count = results.total  # counted when the results were chosen: no second count
    page = paginator.get_page(request.GET.get("page"))
    use_page_number(request, page.number)
    return page


# What an empty search offers: the topics with something published, the latest articles.
EXPLORE_LATEST = 5


def _search_explore() -> str:
    # Whether a topic has a public article, not how many: at 100,000 articles counting them
    # all took 110 ms, asking each topic for one takes 3.
    public = TaggedTopic.objects.filter(published_q("content_object__"), tag=OuterRef("pk"))
    topics = Topic.objects.filter(Exists(public)).order_by("name")
    latest = (
        Article.objects.published()
        .in_language()
        .latest_first()
        .values_list(*rendering.CARD_COLUMNS)
    )
    cards = rendering.cards_of_rows(latest[:EXPLORE_LATEST])
    context = {"topics": topics, "latest": cards_html(cards, level=3)}
    return mark_safe(render_to_string("articles/_search_explore.html", context))


def _facet_links(q: str, chosen: dict, facets: dict, scope: dict) -> dict:
    """Each facet value with the URL that adds it (or, when chosen, removes it); `scope`
    keeps a search in every language so."""
    links = {}
    for name, rows in facets.items():
        links[name] = []
        for value, label, count in rows:
            selected = chosen.get(name) == value
            params = {k: v for k, v in chosen.items() if v and k != name}
            if not selected:
                params[name] = value
            url = "?" + urlencode({"q": q, **params, **scope})
            links[name].append({"label": label, "count": count, "url": url, "selected": selected})
    return links
