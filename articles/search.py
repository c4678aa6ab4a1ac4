"""Searching published articles: web-search syntax, ranked, with snippets and facet counts.

On PostgreSQL: full-text search over the stored `search_vector` (GIN index), ranked with
title > standfirst > body, snippets from `ts_headline`. Elsewhere (SQLite, the embedded run):
the same query syntax over `icontains`, ranked by where the words are found.
"""

import html
import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear

from .models import SEARCH_CONFIG, Article, Region, Topic

MAX_QUERY_LENGTH = 200
START, STOP = "\x02", "\x03"  # marks around matches, turned into <mark> after escaping


@dataclass
class Query:
    """A reader's query, parsed the way web search engines read one."""

    text: str
    phrases: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    any_of: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.phrases or self.words)

    @property
    def terms(self) -> list[str]:
        return self.phrases + self.words


def parse(raw: str) -> Query:
    text = " ".join(raw.split())[:MAX_QUERY_LENGTH]
    query = Query(text=text)
    for phrase, token in re.findall(r'"([^"]*)"|(\S+)', text):
        if phrase:
            words = _words(phrase)
            if words:
                query.phrases.append(" ".join(words))
            continue
        if token.lower() == "or":
            query.any_of = True
            continue
        negative = token.startswith("-")
        words = _words(token)
        if not words:
            continue
        (query.excluded if negative else query.words).extend(words)
    return query


def _words(text: str) -> list[str]:
    return re.findall(r"\w+(?:['’-]\w+)*", text)


@dataclass
class Results:
    query: Query
    articles: QuerySet
    facets: dict[str, list[tuple]]
    total: int = 0
    capped: bool = False


# A common word can match most of the archive. Results and facet counts are computed among
# the most recent CANDIDATES matches, so that a search costs the same at 1,000 articles and
# at 100,000; rare words, where ranking matters most, are always ranked in full.
CANDIDATES = 200


def search(raw: str, *, topic: str = "", region: str = "", kind: str = "", year: str = ""):
    query = parse(raw)
    if query.is_empty:
        return Results(query, Article.objects.none(), {})
    found = Article.objects.published()
    if topic:
        found = found.filter(tagged_topics__tag__slug=topic)
    if region:
        found = found.filter(tagged_regions__tag__slug=region)
    if kind:
        found = found.filter(kind=kind)
    if year.isdigit() and len(year) == 4:
        found = found.filter(publish_at__year=int(year))
    postgres = connection.vendor == "postgresql"
    matched = _postgres_match(found, query) if postgres else _fallback_match(found, query)
    ids = list(
        matched.order_by("-publish_at", "-id").values_list("pk", flat=True)[: CANDIDATES + 1]
    )
    capped = len(ids) > CANDIDATES
    ids = ids[:CANDIDATES]
    candidates = Article.objects.filter(pk__in=ids)
    ranked = _postgres_rank(candidates, query) if postgres else _fallback_rank(candidates, query)
    return Results(query, ranked, _facets(ids), total=len(ids), capped=capped)


def _tsquery(query: Query) -> SearchQuery:
    return SearchQuery(_websearch_text(query), search_type="websearch", config=SEARCH_CONFIG)


def _postgres_match(articles: QuerySet, query: Query) -> QuerySet:
    return articles.filter(search_vector=_tsquery(query))


def _postgres_rank(articles: QuerySet, query: Query) -> QuerySet:
    return articles.annotate(rank=SearchRank(F("search_vector"), _tsquery(query))).order_by(
        "-rank", "-publish_at", "-id"
    )


def _websearch_text(query: Query) -> str:
    """Our parsed query back in websearch_to_tsquery's syntax (cleaned of stray symbols)."""
    positive = [f'"{p}"' for p in query.phrases] + query.words
    joined = " or ".join(positive) if query.any_of else " ".join(positive)
    return " ".join([joined, *(f"-{w}" for w in query.excluded)])


def _anywhere(term: str) -> Q:
    return Q(title__icontains=term) | Q(dek__icontains=term) | Q(plain_text__icontains=term)


def _fallback_match(articles: QuerySet, query: Query) -> QuerySet:
    matches = [_anywhere(term) for term in query.terms]
    combined = matches[0]
    for match in matches[1:]:
        combined = (combined | match) if query.any_of else (combined & match)
    articles = articles.filter(combined)
    for word in query.excluded:
        articles = articles.exclude(_anywhere(word))
    return articles


def _fallback_rank(articles: QuerySet, query: Query) -> QuerySet:
    score = Value(0)
    for term in query.terms:
        score = score + Case(
            When(title__icontains=term, then=Value(3)),
            When(dek__icontains=term, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    return articles.annotate(rank=score).order_by("-rank", "-publish_at", "-id")


def _facets(ids: list[int]) -> dict[str, list[tuple]]:
    """How many results each filter would keep: (value, label, count), largest first."""
    if not ids:
        return {}
    found = Article.objects.filter(pk__in=ids).order_by()
    kinds = dict(Article.Kind.choices)
    by_kind = found.values_list("kind").annotate(n=Count("pk"))
    by_year = (
        found.annotate(year=ExtractYear("publish_at")).values_list("year").annotate(n=Count("pk"))
    )
    topics = (
        Topic.objects.filter(tagged_articles__content_object__in=ids)
        .annotate(n=Count("tagged_articles"))
        .values_list("slug", "name", "n")
    )
    regions = (
        Region.objects.filter(tagged_articles__content_object__in=ids)
        .annotate(n=Count("tagged_articles"))
        .values_list("slug", "name", "n")
    )

    def largest_first(rows):
        return sorted(rows, key=lambda row: (-row[2], row[1]))

    return {
        "topic": largest_first(topics),
        "region": largest_first(regions),
        "kind": largest_first((k, kinds[k], n) for k, n in by_kind),
        "year": sorted(((str(y), str(y), n) for y, n in by_year), reverse=True),
    }


def snippets(articles: list[Article], query: Query) -> dict[int, str]:
    """A short extract of each article around the words found, as safe HTML."""
    if not articles:
        return {}
    if connection.vendor == "postgresql":
        tsquery = SearchQuery(_websearch_text(query), search_type="websearch", config=SEARCH_CONFIG)
        rows = Article.objects.filter(pk__in=[a.pk for a in articles]).annotate(
            headline=SearchHeadline(
                "plain_text",
                tsquery,
                config=SEARCH_CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=40,
                min_words=20,
            )
        )
        raw = dict(rows.values_list("pk", "headline"))
    else:
        texts = Article.objects.filter(pk__in=[a.pk for a in articles]).values_list(
            "pk", "plain_text"
        )
        raw = {pk: _extract(text, query.terms) for pk, text in texts}
    return {pk: _marked(text) for pk, text in raw.items()}


def _extract(text: str, terms: list[str], width: int = 220) -> str:
    lowered = text.lower()
    positions = [lowered.find(t.lower()) for t in terms if lowered.find(t.lower()) >= 0]
    start = max(min(positions, default=0) - width // 3, 0)
    extract = text[start : start + width]
    for term in sorted(terms, key=len, reverse=True):
        extract = re.sub(f"({re.escape(term)})", f"{START}\\1{STOP}", extract, flags=re.I)
    return ("… " if start else "") + extract + (" …" if start + width < len(text) else "")


def _marked(text: str) -> str:
    return html.escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
