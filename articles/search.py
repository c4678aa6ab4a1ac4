"""Searching published articles: web-search syntax, ranked, with snippets and facet counts.

On PostgreSQL: full-text search over the stored `search_vector` (GIN index), ranked with
title > standfirst > body, snippets from `ts_headline`. Each edition is indexed with its
language's configuration and the query is read with the same one (articles/search_text.py);
a search is in one language (the page's), or in every language, each edition matched
against the query as its own language reads it. Elsewhere (SQLite, the embedded run): the
same query syntax over `icontains`, ranked by where the words are found.
"""

import html
import re
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchRank
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractYear

from base.languages import current_language, language_codes

from .models import Article, Region, Topic
from .search_text import (
    fold_in_place,
    lexeme_prefix,
    normalise,
    persian_letters,
    search_config,
)

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
    # Read with Persian letters and without diacritics, which are no word characters to a
    # regular expression: "مَرز" is one word, not "م" and "رز".
    for phrase, token in re.findall(r'"([^"]*)"|(\S+)', persian_letters(text)):
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


def search(
    raw: str,
    *,
    topic: str = "",
    region: str = "",
    kind: str = "",
    year: str = "",
    language: str | None = None,
):
    """The public articles `raw` finds: the editions in `language`, or in every language
    when it is None."""
    query = parse(raw)
    if query.is_empty:
        return Results(query, Article.objects.none(), {})
    languages = _languages(language)
    matched = _matching(query, topic=topic, region=region, kind=kind, year=year, language=language)
    postgres = connection.vendor == "postgresql"
    ids = list(
        matched.order_by("-publish_at", "-id").values_list("pk", flat=True)[: CANDIDATES + 1]
    )
    capped = len(ids) > CANDIDATES
    ids = ids[:CANDIDATES]
    candidates = Article.objects.filter(pk__in=ids)
    ranked = (
        _postgres_rank(candidates, query, languages)
        if postgres
        else _fallback_rank(candidates, query)
    )
    return Results(query, ranked, _facets(ids), total=len(ids), capped=capped)


def finds_anything(query: Query, **filters: str | None) -> bool:
    """Whether this query, with these filters (and `language`), finds a public article."""
    return not query.is_empty and _matching(query, **filters).exists()


def elsewhere(query: Query, *, language: str, **filters: str) -> list[tuple[str, int]]:
    """How many public editions in each other language the query finds with these filters:
    (language, count) in the site's order, counted among the CANDIDATES most recent, in
    one query."""
    if query.is_empty:
        return []
    others = [code for code in language_codes() if code != language]
    matched = _matching(query, **filters, languages=others).order_by("-publish_at", "-id")
    sample = Article.objects.filter(pk__in=matched.values("pk")[:CANDIDATES]).order_by()
    counts = dict(sample.values_list("language").annotate(n=Count("pk")))
    return [(code, counts[code]) for code in others if code in counts]


def _languages(language: str | None) -> list[str]:
    return [language] if language else language_codes()


def _matching(
    query: Query,
    *,
    topic: str = "",
    region: str = "",
    kind: str = "",
    year: str = "",
    language: str | None = None,
    languages: list[str] | None = None,
) -> QuerySet:
    languages = languages if languages is not None else _languages(language)
    found = Article.objects.published().filter(language__in=languages)
    if topic:
        found = found.filter(tagged_topics__tag__slug=topic)
    if region:
        found = found.filter(tagged_regions__tag__slug=region)
    if kind:
        found = found.filter(kind=kind)
    if year.isdigit() and len(year) == 4:
        found = found.filter(publish_at__year=int(year))
    if connection.vendor == "postgresql":
        return _postgres_match(found, query, languages)
    return _fallback_match(found, query)


class _WordsQuery(SearchQuery):
    """A tsquery written by `_tsquery_sql`, usable wherever Django takes a SearchQuery."""

    def __init__(self, sql: str, params: tuple):
        self.sql, self.sql_params = sql, params
        Func.__init__(self, output_field=SearchQueryField())

    def as_sql(self, compiler, connection, **extra):
        return self.sql, list(self.sql_params)


# A tsquery's lexemes in its text form ('word', a quote inside doubled), to be prefixed.
_LEXEME = r"'((?:[^']|'')*)'"


def _tsquery(query: Query, languages: list[str]) -> SearchQuery:
    """The query read in each language's way, each reading's lexemes prefixed with its
    language as the vectors' are (`lexeme_prefix`): one tsquery for one language or all."""
    parts, params = [], []
    for language in languages:
        sql, ps = _tsquery_sql(query, "%s::regconfig", [search_config(language)])
        parts.append(f"regexp_replace(({sql})::text, %s, %s, 'g')::tsquery")
        params += [*ps, _LEXEME, f"'{lexeme_prefix(language)}\\1'"]
    return _WordsQuery("(" + " || ".join(parts) + ")", tuple(params))


def _tsquery_sql(query: Query, config_sql: str, config_params: list) -> tuple[str, list]:
    """The query as a tsquery: each word (or phrase) as its language's stemmer reads it, or
    as written. A stemmer reads some names' dictionary forms unlike their other forms
    (Russian: "Карабах" is 'караб', "Карабаха" is 'карабах'); the vectors also hold the
    words as written (`update_search_vectors`), so either side meets the other. A word the
    stemmer drops (a stop word) stays dropped: it never has to be in the text."""

    # Only fixed SQL is written into the text (a function's name, the configuration's
    # column or placeholder); the words are parameters. No subquery: on constants the
    # whole expression is folded before planning, so PostgreSQL estimates how many rows a
    # word matches (a common word: walk the dates and stop at CANDIDATES; a rare one: the
    # GIN index), as it did for websearch_to_tsquery.
    def either(text: str, phrase: bool) -> tuple[str, list]:
        read = "phraseto_tsquery" if phrase else "plainto_tsquery"
        stem = f"{read}({config_sql}, %s)"
        sql = f"(CASE WHEN numnode({stem}) = 0 THEN {stem} ELSE {stem} || {read}('simple', %s) END)"
        return sql, [*config_params, text] * 3 + [text]

    positive = [either(normalise(p), True) for p in query.phrases]
    positive += [either(normalise(w), False) for w in query.words]
    joined = (" || " if query.any_of else " && ").join(sql for sql, _ in positive)
    params = [param for _, ps in positive for param in ps]
    for word in query.excluded:
        sql, ps = either(normalise(word), False)
        joined += f" && !!{sql}"
        params += ps
    return f"({joined})", params


def _postgres_match(articles: QuerySet, query: Query, languages: list[str]) -> QuerySet:
    return articles.filter(search_vector=_tsquery(query, languages))


def _postgres_rank(articles: QuerySet, query: Query, languages: list[str]) -> QuerySet:
    rank = SearchRank(F("search_vector"), _tsquery(query, languages))
    return articles.annotate(rank=rank).order_by("-rank", "-publish_at", "-id")


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
    # Kind and year in one query (a query is a round trip, the counting itself is cheap).
    by_kind, by_year = Counter(), Counter()
    pairs = found.annotate(year=ExtractYear("publish_at")).values_list("kind", "year")
    for kind, year, n in pairs.annotate(n=Count("pk")):
        by_kind[kind] += n
        by_year[year] += n
    # Labelled in the page's language (a tag's name in each language is on its row).
    language = current_language()
    topics, regions = (
        [
            (tag.slug, tag.name_in(language), tag.n)
            for tag in model.objects.filter(tagged_articles__content_object__in=ids)
            .annotate(n=Count("tagged_articles"))
            .only("slug", "name", "names")
        ]
        for model in (Topic, Region)
    )

    def largest_first(rows):
        return sorted(rows, key=lambda row: (-row[2], row[1]))

    return {
        "topic": largest_first(topics),
        "region": largest_first(regions),
        "kind": largest_first((k, kinds[k], n) for k, n in by_kind.items()),
        "year": sorted(((str(y), str(y), n) for y, n in by_year.items()), reverse=True),
    }


def snippets(articles: list[Article], query: Query) -> dict[int, str]:
    """A short extract of each article around the words found, as safe HTML: whole words
    only, with "…" where text was left out before or after."""
    if not articles:
        return {}
    rows = Article.objects.filter(pk__in=[a.pk for a in articles])
    if connection.vendor == "postgresql":
        found = rows.values_list("pk", "language", "plain_text")
        texts = {pk: text for pk, _, text in found}
        configs = {pk: search_config(language) for pk, language, _ in found}
        raw = _postgres_snippets(texts, configs, query)
    else:
        texts = dict(rows.values_list("pk", "plain_text"))
        raw = {pk: _extract(text, query.terms) for pk, text in texts.items()}
    return {pk: _marked(text) for pk, text in raw.items()}


# PostgreSQL's headline reads and stems every word of the text it is given: some 40 ms for a
# page of 20 long articles. It is given a window of the text instead, from a little before
# the query's words first appear (found by their first letters, so that "monitors" finds
# "monitoring"), and picks and highlights the best passage in it, stemming as search does.
# It reads the text with letters folded in place (`fold_in_place`: "ي" is "ی", "ı" is "i",
# as the index has them), and the reader is shown the letters as written.
WINDOW_BEFORE, WINDOW = 300, 1500
HEADLINE_OPTIONS = f"StartSel={START}, StopSel={STOP}, MaxWords=40, MinWords=20"


def _postgres_snippets(
    texts: dict[int, str], configs: dict[int, str], query: Query
) -> dict[int, str]:
    folded = {pk: fold_in_place(text) for pk, text in texts.items()}
    terms = [fold_in_place(term) for term in query.terms]
    windows = {pk: _window(text, terms) for pk, text in folded.items()}
    headlines = _headlines(windows, configs, query)
    # Where the window held no match (a word found by a stem not spelt like the query, or
    # found in the title alone), the whole text is read, as before windows.
    missed = {
        pk: folded[pk]
        for pk, headline in headlines.items()
        if START not in headline and windows[pk] != folded[pk]
    }
    if missed:
        headlines |= _headlines(missed, configs, query)
    return {pk: _whole_words(headline, texts[pk], folded[pk]) for pk, headline in headlines.items()}


def _headlines(texts: dict[int, str], configs: dict[int, str], query: Query) -> dict[int, str]:
    """PostgreSQL's headline of each text, each in its language's configuration, in one
    query."""
    pks = list(texts)
    tsquery, tsquery_params = _tsquery_sql(query, "w.config::regconfig", [])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ts_headline(w.config::regconfig, w.window_text, {tsquery}, %s) "  # noqa: S608
            "FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS w(window_text, config, n) "
            "ORDER BY n",
            [
                *tsquery_params,
                HEADLINE_OPTIONS,
                [texts[pk] for pk in pks],
                [configs[pk] for pk in pks],
            ],
        )
        return dict(zip(pks, (headline for (headline,) in cursor.fetchall()), strict=True))


def _window(text: str, terms: list[str]) -> str:
    start = max(_first_mention(text, terms) - WINDOW_BEFORE, 0)
    start, end = _word_edges(text, start, min(start + WINDOW, len(text)))
    return text[start:end]


def _first_mention(text: str, terms: list[str]) -> int:
    """Where one of the query's words first appears, spelt as typed or else beginning like
    it ("monitors": "monitoring"); 0 if none does."""
    lowered = text.lower()
    found = []
    for word in set(re.findall(r"\w+", " ".join(terms).lower())):
        stem = word[: max(4, len(word) - 3)]
        match = re.search(rf"\b{re.escape(word)}\b", lowered) or re.search(
            rf"\b{re.escape(stem)}", lowered
        )
        if match:
            found.append(match.start())
    return min(found, default=0)


# How far a cut moves to reach the edge of a word; a longer "word" (an address) is cut.
WORD_REACH = 40


def _word_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """`text[start:end]` widened to begin and end between words."""
    limit = max(start - WORD_REACH, 0)
    while start > limit and not text[start - 1].isspace():
        start -= 1
    limit = min(end + WORD_REACH, len(text))
    while end < limit and not text[end].isspace():
        end += 1
    return start, end


def _with_ellipses(text: str, start: int, end: int, extract: str) -> str:
    return ("… " if start > 0 else "") + extract.strip() + (" …" if end < len(text) else "")


def _whole_words(headline: str, text: str, folded: str) -> str:
    """PostgreSQL's headline, completed to whole words, in the letters of `text`.

    Its parser splits a hyphenated word into parts ("think-tanks": "think", "tanks"), and a
    headline may begin or end on a part: "tanks who agreed…", "…the well". The headline is
    the text from one token to another, so it is found in the text and widened there. It
    was made from `folded` (the text folded in place), so each of its characters is put
    back as the text has it."""
    plain = headline.replace(START, "").replace(STOP, "")
    at = folded.find(plain)
    if at < 0:  # not expected; shown as PostgreSQL made it rather than guessed at
        return headline
    start, end = _word_edges(text, at, at + len(plain))
    written = iter(text[at : at + len(plain)])
    restored = "".join(c if c in (START, STOP) else next(written) for c in headline)
    extract = text[start:at] + restored + text[at + len(plain) : end]
    return _with_ellipses(text, start, end, extract)


def _extract(text: str, terms: list[str], width: int = 220) -> str:
    start = max(_first_mention(text, terms) - width // 3, 0)
    start, end = _word_edges(text, start, min(start + width, len(text)))
    extract = text[start:end]
    for term in sorted(terms, key=len, reverse=True):
        extract = re.sub(f"({re.escape(term)})", f"{START}\\1{STOP}", extract, flags=re.I)
    return _with_ellipses(text, start, end, extract)


# Footnotes' way back to the text: a bare arrow in an extract.
_BACK_ARROW = re.compile("\u21a9\ufe0e?")


def _marked(text: str) -> str:
    text = _BACK_ARROW.sub("", text)
    return html.escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
