"""The translation memory: paragraphs translated before, offered again.

When a translation is saved up to date with its source, `memory_record` pairs the source's
Markdown blocks with the translation's and keeps each pair (`TranslationUnit`), per
language pair. The side-by-side translation form asks `memory_suggest` for each source
paragraph: the earlier translation of the same paragraph (exact), else of the closest
earlier one (marked, with its similarity), so a rights notice or an about-the-author line
is never typed twice.

A pair is kept only when the alignment can be trusted: both texts have the same blocks,
kind for kind (a translator who merged two paragraphs shifts every pair after them, and a
memory of wrong pairs is worse than none).
"""

import difflib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.fields import IntegerField
from reversion.errors import RevertError

from .models import Article, TranslationUnit
from .models.translation_memory import normalise_source, source_hash

# The closest earlier paragraph is offered from this similarity on. Measured on the demo's
# 281 paragraphs (docs/languages.md): of the 37,000 pairs from different articles, the
# closest two that say different things reach 0.48 by trigrams (pg_trgm) and 0.36 by words
# (difflib) (the one pair above is a real near-repeat: two footnotes citing the 2020
# statement, 0.72); boilerplate with a changed year, name, outlet or clause scores 0.52 to
# 0.95 by trigrams and 0.72 to 0.92 by words.
TRIGRAM_MIN_SIMILARITY = 0.5
WORDS_MIN_SIMILARITY = 0.55
# SQLite has no trigram index: difflib compares with the most recently kept units of the
# language pair, no more (a site on SQLite is a small one).
DIFFLIB_MAX_UNITS = 2000
# A block whose translation is this much shorter or longer than its source (once both are
# long enough for lengths to mean something) is not trusted as its translation.
LENGTH_RATIO_BOUNDS = (0.4, 2.5)
LENGTH_RATIO_MIN_CHARS = 80

# Blocks whose words a translator types; code, HTML and rules are carried over as they are.
TRANSLATED_KINDS = {"heading", "list", "table", "paragraph", "footnote", "quote"}

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_FOOTNOTE = re.compile(r"^ {0,3}\[\^[^\]\s]+\]:[ \t]*")
_QUOTE = re.compile(r"^ {0,3}>[ \t]?")
_TABLE_DELIMITER = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_HTML = re.compile(r"^ {0,3}<(?:/?[A-Za-z][\w-]*[\s/>]|!--)")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Block:
    """A block of a Markdown body: its kind, the Markdown marker it opens with (heading
    hashes, list marker, footnote label, quote mark; "" for others) and its words."""

    kind: str
    marker: str
    text: str
    # What follows the words: a setext heading's underline.
    suffix: str = ""

    @property
    def markdown(self) -> str:
        return f"{self.marker}{self.text}{self.suffix}"


@dataclass(frozen=True)
class Suggestion:
    """An earlier translation offered for a source paragraph: `exact` when that very
    paragraph was translated before, else the closest one's, `similarity` saying how close
    (0 to 1). `text` is ready to put in the box, with the source paragraph's own marker."""

    text: str
    exact: bool
    similarity: float
    article_id: int | None


def split_blocks(markdown: str) -> list[Block]:
    """The blocks of a Markdown body, in order: paragraphs, headings, each list item, each
    footnote definition, tables, quotes, code and HTML blocks, rules.

    Blocks end at blank lines, and where Markdown starts a new one without a blank line (a
    heading, a list item, a footnote definition, a fence). Lines are kept as written, so
    `"\\n\\n".join(block.markdown …)` gives the body back up to blank lines.
    """
    blocks: list[Block] = []
    lines: list[str] = []
    kind = ""

    def flush() -> None:
        nonlocal lines, kind
        if lines:
            blocks.append(_block(kind, lines))
        lines, kind = [], ""

    fence = ""
    for line in (markdown or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if fence:
            lines.append(line)
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = ""
                flush()
            continue
        if not line.strip():
            flush()
            continue
        if match := _FENCE.match(line):
            flush()
            fence, kind, lines = match.group(1), "code", [line]
            continue
        if kind == "paragraph" and _SETEXT.match(line):
            lines.append(line)
            kind = "heading"
            flush()
            continue
        if _RULE.match(line):
            flush()
            blocks.append(Block("rule", "", line))
            continue
        if _HEADING.match(line):
            flush()
            blocks.append(_block("heading", [line]))
            continue
        if _FOOTNOTE.match(line):
            flush()
            kind, lines = "footnote", [line]
            continue
        if (
            kind == "paragraph"
            and len(lines) == 1
            and "|" in lines[0]
            and _TABLE_DELIMITER.match(line)
        ):
            kind = "table"
            lines.append(line)
            continue
        if _LIST_ITEM.match(line) and kind not in ("code", "html", "table"):
            flush()
            kind, lines = "list", [line]
            continue
        if _QUOTE.match(line) and kind != "quote":
            flush()
            kind, lines = "quote", [line]
            continue
        if not kind:
            kind = "html" if _HTML.match(line) else "paragraph"
        lines.append(line)
    flush()
    return blocks


def _block(kind: str, lines: list[str]) -> Block:
    text = "\n".join(lines)
    if kind == "heading" and len(lines) > 1:  # setext: the words, then the underline
        return Block(kind, "", "\n".join(lines[:-1]), "\n" + lines[-1])
    pattern = {
        "heading": _HEADING,
        "list": _LIST_ITEM,
        "footnote": _FOOTNOTE,
        "quote": _QUOTE,
    }.get(kind)
    match = pattern.match(text) if pattern else None
    if match:
        return Block(kind, match.group(), text[match.end() :])
    return Block(kind, "", text)


def _has_words(text: str) -> bool:
    return bool(_LETTER.search(text))


def aligned_pairs(source: str, translation: str) -> list[tuple[Block, Block]]:
    """The (source block, translated block) pairs worth keeping, or none at all when the two
    texts do not have the same blocks, kind for kind."""
    source_blocks, translated_blocks = split_blocks(source), split_blocks(translation)
    if [b.kind for b in source_blocks] != [b.kind for b in translated_blocks]:
        return []
    low, high = LENGTH_RATIO_BOUNDS
    pairs = []
    for original, translated in zip(source_blocks, translated_blocks, strict=True):
        if not _wanted(original):
            continue
        if not _has_words(translated.text):
            continue
        before, after = normalise_source(original.text), normalise_source(translated.text)
        if before == after:  # left untranslated: nothing to learn
            continue
        if min(len(before), len(after)) >= LENGTH_RATIO_MIN_CHARS and not (
            low <= len(after) / len(before) <= high
        ):
            continue
        pairs.append((original, translated))
    return pairs


def _source_text(translation: Article) -> str:
    """The source's text the translation followed: the body of the recorded source
    revision, else the source's body as it is now."""
    source = translation.translation_of
    version = translation.source_revision
    if version is not None and str(version.object_id) == str(source.pk):
        try:
            body = version.field_dict.get("body")
        except RevertError:  # a revision written by an older model
            body = None
        if body is not None:
            return body
    return source.body


def memory_record(translation: Article) -> int:
    """Keep the paragraphs of an up-to-date translation in the memory; how many were kept.

    Nothing is kept for an article that is no translation, or whose blocks do not match its
    source's. A paragraph translated before is replaced: the latest wording is offered.
    """
    source = translation.translation_of
    if source is None or source.language == translation.language:
        return 0
    units: dict[str, TranslationUnit] = {}  # one per source paragraph: the last one wins
    for original, translated in aligned_pairs(_source_text(translation), translation.body):
        key = source_hash(original.text)
        units[key] = TranslationUnit(
            source_language=source.language,
            target_language=translation.language,
            source_text=original.text,
            source_hash=key,
            target_text=translated.text,
            article=translation,
        )
    if units:
        TranslationUnit.objects.bulk_create(
            list(units.values()),
            update_conflicts=True,
            unique_fields=["source_language", "target_language", "source_hash"],
            update_fields=["source_text", "target_text", "article", "updated_at"],
        )
    return len(units)


def memory_suggest(
    paragraphs: list[str], *, source_language: str, target_language: str
) -> list[Suggestion | None]:
    """For each source paragraph (Markdown), the earlier translation of that paragraph,
    else of the closest earlier one, else None. Two queries for all of them (four on
    PostgreSQL, which sets the trigram search up and back around its query).

    A paragraph of several blocks (list items or footnote definitions on consecutive
    lines, as a form splitting on blank lines sends them) is answered block by block and
    offered whole only when every block has an offer: exact when all are, else as close
    as its least close block.
    """
    parts = [split_blocks(paragraph) for paragraph in paragraphs]
    blocks = [block for part in parts for block in part]
    offers = _block_suggestions(blocks, source_language, target_language)
    suggestions: list[Suggestion | None] = []
    position = 0
    for paragraph, part in zip(paragraphs, parts, strict=True):
        found = offers[position : position + len(part)]
        position += len(part)
        suggestions.append(_combined(paragraph, part, found))
    return suggestions


def _combined(
    paragraph: str, part: list[Block], found: list[Suggestion | None]
) -> Suggestion | None:
    translated = [offer for block, offer in zip(part, found, strict=True) if _wanted(block)]
    if not translated or None in translated:
        return None
    if len(part) == 1:
        return found[0]
    separator = "\n\n" if re.search(r"\n[ \t]*\n", paragraph.strip()) else "\n"
    text = separator.join(
        offer.text if offer is not None else block.markdown
        for block, offer in zip(part, found, strict=True)
    )
    weakest = min(translated, key=lambda offer: offer.similarity)
    return Suggestion(
        text, all(offer.exact for offer in translated), weakest.similarity, weakest.article_id
    )


def _wanted(block: Block) -> bool:
    return block.kind in TRANSLATED_KINDS and _has_words(block.text)


def _block_suggestions(
    blocks: list[Block], source_language: str, target_language: str
) -> list[Suggestion | None]:
    wanted = {
        index: source_hash(block.text) for index, block in enumerate(blocks) if _wanted(block)
    }
    pair = TranslationUnit.objects.filter(
        source_language=source_language, target_language=target_language
    )
    exact = {
        row["source_hash"]: row
        for row in pair.filter(source_hash__in=set(wanted.values())).values(
            "source_hash", "target_text", "article_id"
        )
    } if wanted else {}  # fmt: skip
    suggestions: list[Suggestion | None] = [None] * len(blocks)
    misses: dict[int, str] = {}
    for index, key in wanted.items():
        if row := exact.get(key):
            suggestions[index] = Suggestion(
                _with_marker(blocks[index], row["target_text"]), True, 1.0, row["article_id"]
            )
        else:
            misses[index] = blocks[index].text
    closest = _closest_by_trigrams if connection.vendor == "postgresql" else _closest_by_words
    for index, (row, similarity) in closest(pair, misses).items():
        suggestions[index] = Suggestion(
            _with_marker(blocks[index], row["target_text"]),
            False,
            round(similarity, 2),
            row["article_id"],
        )
    return suggestions


def _with_marker(block: Block, text: str) -> str:
    return f"{block.marker}{text}{block.suffix}"


def _closest_by_trigrams(pair, misses: dict[int, str]) -> dict[int, tuple[dict, float]]:
    """The closest unit of each paragraph by pg_trgm similarity, in one query: one branch
    of a UNION per paragraph, each answered from the trigram index and cut to its best row
    (`_trigram_index_only` makes `%` mean our threshold and keeps the planner on the index)."""
    if not misses:
        return {}
    branches = [
        pair.filter(source_text__trigram_similar=text)
        .annotate(
            similarity=TrigramSimilarity("source_text", Value(text)),
            paragraph=Value(index, output_field=IntegerField()),
        )
        .filter(similarity__gte=TRIGRAM_MIN_SIMILARITY)
        .order_by("-similarity", F("updated_at").desc())
        .values("paragraph", "target_text", "article_id", "similarity")[:1]
        for index, text in misses.items()
    ]
    rows = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    with _trigram_index_only():
        return {row["paragraph"]: (row, row["similarity"]) for row in rows}


@contextmanager
def _trigram_index_only() -> Iterator[None]:
    """pg_trgm's `%` at our threshold (its own, 0.3, lets most of a language's paragraphs
    through the index to be compared one by one), and no sequential scan: the planner
    prices `%` as cheap and scans the table, comparing every unit (7 s a paragraph at
    50,000 units, against a third of a second through the index; docs/languages.md).
    Set for this transaction only, and put back when the caller's transaction goes on."""
    outer = connection.in_atomic_block
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('pg_trgm.similarity_threshold', true), "
            "current_setting('enable_seqscan'), "
            "set_config('pg_trgm.similarity_threshold', %s, true), "
            "set_config('enable_seqscan', 'off', true)",
            [str(TRIGRAM_MIN_SIMILARITY)],
        )
        threshold, seqscan, *_ = cursor.fetchone()
        yield
        if outer:  # the settings would outlive this call until the caller commits
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, true), "
                "set_config('enable_seqscan', %s, true)",
                [threshold or "0.3", seqscan],
            )


def _closest_by_words(pair, misses: dict[int, str]) -> dict[int, tuple[dict, float]]:
    """The closest unit of each paragraph by difflib's ratio over words, among the latest
    `DIFFLIB_MAX_UNITS` units of the pair (one query)."""
    if not misses:
        return {}
    units = list(
        pair.order_by("-updated_at").values("source_text", "target_text", "article_id")[
            :DIFFLIB_MAX_UNITS
        ]
    )
    words = [_words(unit["source_text"]) for unit in units]
    found = {}
    for index, text in misses.items():
        best = _best_match(_words(text), words)
        if best is not None:
            found[index] = (units[best[0]], best[1])
    return found


def _words(text: str) -> list[str]:
    return normalise_source(text).lower().split()


def _best_match(wanted: list[str], candidates: Iterable[list[str]]) -> tuple[int, float] | None:
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)  # difflib caches what it learns about the second sequence
    best: tuple[int, float] | None = None
    floor = WORDS_MIN_SIMILARITY
    for position, words in enumerate(candidates):
        # The ratio can be no more than this: skip what is too short or too long to pass.
        if 2 * min(len(words), len(wanted)) / ((len(words) + len(wanted)) or 1) < floor:
            continue
        matcher.set_seq1(words)
        if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
            continue
        ratio = matcher.ratio()
        if ratio >= floor and (best is None or ratio > best[1]):
            best, floor = (position, ratio), ratio
    return best
