"""Search that helps: "did you mean", from the words of the public articles only.

PostgreSQL: the words live in a table (`SearchWord`, trigram-indexed by pg_trgm), added to
when an article is published or a public one edited (`articles/services.py`) and counted
again in full by `manage.py search_words` (or the `rebuild_search_words` task). SQLite (the
embedded run): the words are read from the public articles themselves, kept until the content
changes, and compared with difflib; a demo-sized archive makes that cheap.

Whatever the list holds, a suggestion is offered only when its search finds a public article
with the reader's filters: a stale word cannot reveal what is no longer public.
"""

import difflib
import re
from collections import Counter
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction
from django.db.models import Count, QuerySet

from base.pagecache import cached_fragment

from . import search
from .models import Article
from .models.search_words import SearchWord, words_of

# A word is doubtful when it is in at most RARE public articles (0: nowhere); another word is
# offered in its place when it is in more of them (FACTOR times more when the doubtful word
# found something itself: "Azerbajan" in one old dispatch, "Azerbaijan" in hundreds).
RARE = 2
FACTOR = 10
MIN_SIMILARITY = 0.4  # trigram similarity (0 to 1): "drnes" and "drones" are at 0.44
DIFFLIB_CUTOFF = 0.75  # difflib's ratio, its own measure of the same thing
MAX_WORDS = 6  # of a query, looked at; each doubtful one costs a lookup


@dataclass
class Suggestion:
    text: str  # the query to run instead
    parts: list[tuple[str, bool]]  # the same, in pieces, True where a word was replaced


def suggest(query: search.Query, *, found: int, filters: dict[str, str]) -> Suggestion | None:
    """A better spelling of the query, in the site's own words, if one finds something."""
    if found > RARE and not query.any_of:
        # Every word is in more than RARE articles (each result holds them all; a word
        # matched only through its stem is no typo either): nothing to look up.
        return None
    words = list(dict.fromkeys(w for term in query.terms for w in words_of(term)))[:MAX_WORDS]
    if not words:
        return None
    known = _TableWords() if connection.vendor == "postgresql" else _ArticleWords()
    counts = known.counts(words)
    replacements = {}
    for word in words:
        own = counts.get(word, 0)
        if own > RARE or (found and own == 0):
            # Common enough; or, among results, a form the stemmer found ("sanctioning").
            continue
        better = known.neighbour(word, needed=own * FACTOR if own else 1)
        if better:
            replacements[word] = better
    if not replacements:
        return None
    suggestion = _rewrite(query.text, replacements)
    if not search.finds_anything(search.parse(suggestion.text), **filters):
        return None
    return suggestion


class _TableWords:
    """PostgreSQL: the word table, neighbours by trigram similarity (its GIN index)."""

    def counts(self, words: list[str]) -> dict[str, int]:
        return dict(SearchWord.objects.filter(word__in=words).values_list("word", "articles"))

    def neighbour(self, word: str, *, needed: int) -> str | None:
        """The most similar listed word in at least `needed` public articles."""
        rows = (
            SearchWord.objects.filter(word__trigram_similar=word, articles__gte=needed)
            .annotate(similarity=TrigramSimilarity("word", word))
            .filter(similarity__gte=MIN_SIMILARITY)
            .order_by("-similarity", "-articles")
            .values_list("word", flat=True)[:1]
        )
        return next(iter(rows), None)


class _ArticleWords:
    """Elsewhere: the words of the public articles, read from them and kept with the pages
    (emptied on every change of content), neighbours by difflib."""

    def __init__(self) -> None:
        self.vocabulary: dict[str, int] = cached_fragment(
            "search-words", "", lambda: dict(count_public_words(Article.objects.published()))
        )

    def counts(self, words: list[str]) -> dict[str, int]:
        return {word: self.vocabulary[word] for word in words if word in self.vocabulary}

    def neighbour(self, word: str, *, needed: int) -> str | None:
        candidates = [w for w, n in self.vocabulary.items() if n >= needed and w != word]
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=DIFFLIB_CUTOFF)
        return close[0] if close else None


def _rewrite(text: str, replacements: dict[str, str]) -> Suggestion:
    """The reader's query with the doubtful words replaced, in the reader's own case; words
    left out with a minus sign are left as typed."""
    parts: list[tuple[str, bool]] = []
    for piece in _pieces(text):
        if piece.lstrip('"').startswith("-"):
            parts.append((piece, False))
            continue
        parts.extend(_replace_words(piece, replacements))
    merged: list[tuple[str, bool]] = []
    for piece, changed in parts:
        if merged and not changed and not merged[-1][1]:
            merged[-1] = (merged[-1][0] + piece, False)
        else:
            merged.append((piece, changed))
    return Suggestion(text="".join(p for p, _ in merged), parts=merged)


def _pieces(text: str) -> list[str]:
    return [p for p in re.split(r"(\s+)", text) if p]


def _replace_words(piece: str, replacements: dict[str, str]) -> list[tuple[str, bool]]:
    # Longest first, so that a compound is replaced whole before its parts are tried.
    names = sorted(replacements, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, names)) + r")(?!\w)", re.I)
    parts, last = [], 0
    for match in pattern.finditer(piece):
        parts.append((piece[last : match.start()], False))
        parts.append((_same_case(match.group(), replacements[match.group().lower()]), True))
        last = match.end()
    parts.append((piece[last:], False))
    return [part for part in parts if part[0]]


def _same_case(typed: str, word: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    if typed[0].isupper():
        return "-".join(part.capitalize() for part in word.split("-"))
    return word


# --- The word list -----------------------------------------------------------------------------


def count_public_words(articles: QuerySet) -> Counter:
    """How many of these articles use each word, in their text or their topics and regions.

    `articles` must hold public articles only (callers pass `published()`, or in a migration
    the same filter)."""
    counts: Counter = Counter()
    texts = articles.values_list("title", "dek", "plain_text").order_by()
    for row in texts.iterator(chunk_size=2000):
        counts.update(words_of(" ".join(row)))
    for relation in ("tagged_topics__tag__name", "tagged_regions__tag__name"):
        tags = articles.order_by().values_list(relation).annotate(n=Count("pk", distinct=True))
        for name, n in tags:
            for word in words_of(name or ""):
                counts[word] = max(counts[word], n)
    return counts


def search_words_add(*, article: Article) -> None:
    """Add the words of an article just published or edited, if it is public.

    New words count 1 until the next full count; words already listed are left as they are
    (an edit must not count an article twice)."""
    if connection.vendor != "postgresql":
        return  # elsewhere the words are read from the articles (see the module's docstring)
    public = Article.objects.published().filter(pk=article.pk)
    counts = count_public_words(public)
    # Sorted, so that two publications at once take the rows' locks in the same order.
    SearchWord.objects.bulk_create(
        [SearchWord(word=word, articles=1) for word in sorted(counts)],
        ignore_conflicts=True,
        batch_size=1000,
    )


def search_words_rebuild() -> int:
    """Count every public article's words again; words no public article uses go. Returns
    how many words are kept."""
    if connection.vendor != "postgresql":
        return 0
    counts = count_public_words(Article.objects.published())
    with transaction.atomic():
        SearchWord.objects.all().delete()
        SearchWord.objects.bulk_create(
            [SearchWord(word=word, articles=n) for word, n in sorted(counts.items())],
            batch_size=5000,
        )
    return len(counts)
