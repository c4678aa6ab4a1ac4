"""Machine pre-fill of a translation: optional, pluggable, off by default.

`settings.TRANSLATION_ENGINE` names the engine: None (the default: no engine, and the site
works fully without one), a dotted path to a class, or
`{"BACKEND": "<dotted path>", "OPTIONS": {…}}` whose options go to the class. Two backends
are here, both self-hostable, neither shipping models: `LibreTranslateEngine` (an HTTP
server speaking LibreTranslate's API) and `ArgosTranslateEngine` (the argostranslate
package and its language models, installed by the deployment; README).

An engine only ever sees the words of a body: `machine_draft` keeps Markdown's structure
(code, link addresses, images, footnote markers and labels, table pipes, heading hashes,
list markers, HTML) out of what it sends and puts the translated words back in their
places, so a draft has the source's footnotes, links and tables exactly. Whatever goes
wrong in an engine comes out as `TranslationEngineError`, with a message a form can show.
"""

import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from functools import cache
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin


class TranslationEngineError(Exception):
    """The engine could not translate: unreachable, refused, misconfigured or missing its
    models. `str(error)` says which, for the person who asked."""


# The shorter name the admin's "Translate into…" catches it by.
EngineError = TranslationEngineError


class TranslationEngine(ABC):
    """What an engine does: translate each text from one language into another, in order."""

    # The engine's name, for the draft's "machine translation, not reviewed" label.
    label = "machine translation"

    @abstractmethod
    def translate(self, texts: list[str], *, source: str, target: str) -> list[str]: ...


def get_engine() -> TranslationEngine | None:
    """The engine of `settings.TRANSLATION_ENGINE`, or None when none is configured."""
    configured = getattr(settings, "TRANSLATION_ENGINE", None)
    if not configured:
        return None
    if isinstance(configured, str):
        path, options = configured, {}
    else:
        path, options = configured.get("BACKEND", ""), configured.get("OPTIONS") or {}
    try:
        engine_class = import_string(path)
    except ImportError as error:
        raise TranslationEngineError(
            _("The translation engine %(path)s cannot be loaded: %(error)s")
            % {"path": path, "error": error}
        ) from error
    try:
        return engine_class(**options)
    except TypeError as error:  # an option the class does not take, or one it needs
        raise TranslationEngineError(
            _("The translation engine %(path)s is misconfigured: %(error)s")
            % {"path": path, "error": error}
        ) from error


# ---------------------------------------------------------------- LibreTranslate


class LibreTranslateEngine(TranslationEngine):
    """A LibreTranslate server, or any server answering its `POST /translate` (a list of
    texts in `q`, `format` text; `translatedText` back in the same order).

    Options: `url` (http or https), `api_key` when the server asks for one, `timeout` in
    seconds for each request, `max_chars` sent in one request (a long body goes in several).
    """

    label = "LibreTranslate"

    def __init__(
        self, *, url: str, api_key: str = "", timeout: float = 60, max_chars: int = 5000
    ) -> None:
        parts = urlsplit(url or "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TranslationEngineError(
                _("The LibreTranslate address must be an http or https URL, not %(url)r.")
                % {"url": url}
            )
        self.url = url.rstrip("/") + "/translate"
        self.api_key = api_key
        self.timeout = timeout
        self.max_chars = max_chars

    def translate(self, texts: list[str], *, source: str, target: str) -> list[str]:
        translated: list[str] = []
        for batch in _batches(texts, self.max_chars):
            translated.extend(self._request(batch, source=source, target=target))
        return translated

    def _request(self, texts: list[str], *, source: str, target: str) -> list[str]:
        payload = {"q": texts, "source": source, "target": target, "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        try:
            response = _pool().request(
                "POST",
                self.url,
                body=json.dumps(payload).encode(),
                headers={"Content-Type": "application/json", "Accept": "application/json"},
                timeout=urllib3.Timeout(total=self.timeout),
                retries=False,
            )
        except urllib3.exceptions.HTTPError as error:  # refused, timed out, dropped
            raise TranslationEngineError(
                _("The translation server at %(url)s did not answer: %(error)s")
                % {"url": self.url, "error": error}
            ) from error
        try:
            answer = json.loads(response.data or b"null")
        except ValueError:
            answer = None
        if response.status != 200:
            reason = answer.get("error") if isinstance(answer, dict) else None
            raise TranslationEngineError(
                _("The translation server refused (HTTP %(status)s): %(reason)s")
                % {"status": response.status, "reason": reason or _("no reason given")}
            )
        result = answer.get("translatedText") if isinstance(answer, dict) else None
        if isinstance(result, str) and len(texts) == 1:
            result = [result]
        if not isinstance(result, list) or len(result) != len(texts):
            raise TranslationEngineError(
                _("The translation server's answer is not a translation of what was sent.")
            )
        return [str(text) for text in result]


def _batches(texts: list[str], max_chars: int) -> Iterator[list[str]]:
    batch: list[str] = []
    size = 0
    for text in texts:
        if batch and size + len(text) > max_chars:
            yield batch
            batch, size = [], 0
        batch.append(text)
        size += len(text)
    if batch:
        yield batch


@cache
def _pool() -> urllib3.PoolManager:
    # One pool per process, made on first use (never at import, so never before a fork).
    return urllib3.PoolManager(num_pools=2, maxsize=2)


# ---------------------------------------------------------------- Argos Translate


class ArgosTranslateEngine(TranslationEngine):
    """Argos Translate in this process: the `argostranslate` package and one language
    model per pair, installed by the deployment (`argospm install translate-en_ru`)."""

    label = "Argos Translate"

    def translate(self, texts: list[str], *, source: str, target: str) -> list[str]:
        try:
            # Imported when asked for: it loads a neural network runtime, and most sites
            # run without it.
            from argostranslate import translate as argos
        except ImportError as error:
            raise TranslationEngineError(
                _("Argos Translate is not installed on this server (pip install argostranslate).")
            ) from error
        languages = {language.code: language for language in argos.get_installed_languages()}
        origin, goal = languages.get(source), languages.get(target)
        translation = origin.get_translation(goal) if origin and goal else None
        if translation is None:
            raise TranslationEngineError(
                _(
                    "No Argos Translate model from %(source)s into %(target)s is installed "
                    "(argospm install translate-%(source)s_%(target)s)."
                )
                % {"source": source, "target": target}
            )
        return [translation.translate(text) for text in texts]


# ---------------------------------------------------------------- Markdown kept apart


def machine_draft(markdown: str, *, source: str, target: str, engine: TranslationEngine) -> str:
    """A machine draft of a Markdown body: its words translated by `engine`, its structure
    as it was. Each run of words between two pieces of Markdown is one text for the engine
    (a text twice in the body is sent once); all of them go in one call."""
    pieces = list(_pieces(markdown or ""))
    texts = list(dict.fromkeys(text for kept, text, _cell in pieces if not kept))
    if not texts:
        return markdown or ""
    try:
        translated = engine.translate(texts, source=source, target=target)
    except TranslationEngineError:
        raise
    except Exception as error:  # an engine's own failure, whatever its kind
        raise TranslationEngineError(
            _("The translation engine failed: %(error)s") % {"error": error or type(error)}
        ) from error
    if not isinstance(translated, list) or len(translated) != len(texts):
        raise TranslationEngineError(
            _("The translation engine gave back %(got)s texts for %(sent)s.")
            % {"got": len(translated) if isinstance(translated, list) else 0, "sent": len(texts)}
        )
    words = {text: _fit(str(new)) for text, new in zip(texts, translated, strict=True)}
    return "".join(
        text if kept else (_in_cell(words[text]) if cell else words[text])
        for kept, text, cell in pieces
    )


def _fit(text: str) -> str:
    # A line break in an engine's answer would end a heading, a list item or a table row.
    return " ".join(text.split())


def _in_cell(text: str) -> str:
    # A pipe in a translated cell would be a new column.
    return re.sub(r"(?<!\\)\|", r"\\|", text)


# Blocks whose lines stay as written: code, HTML, rules.
_VERBATIM_BLOCKS = {"fence", "code_block", "html_block", "hr"}
# What opens a line without being words: quote marks, list markers and task boxes, a
# footnote definition's label, heading hashes, in any nesting.
_LINE_MARKERS = re.compile(
    r"""^(?:[ \t]*>[ \t]?)*                     # quotes
    (?:[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?)*  # list items, task boxes
    (?:[ \t]*\[\^[^\]\s]+\]:[ \t]*)?          # a footnote definition's label
    (?:[ \t]{0,3}\#{1,6}(?:[ \t]+|$))?        # heading hashes
    [ \t]*""",
    re.X,
)
_HEADING_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
# Lines with no words of their own: setext underlines, table delimiter rows, link
# reference definitions (`[label]: https://…`).
_STRUCTURE_LINE = re.compile(
    r"^[ \t]*(?:[-=*_:|+ \t]+|\[[^\]^][^\]]*\]:[ \t]*\S.*)$",
)
# Inline pieces that are Markdown, not words, tried left to right at each position (code
# spans are found before, in one pass). Every repeat is bounded, so a line of a thousand
# unclosed brackets costs a bounded scan at each, never a scan to the line's end.
_INLINE = re.compile(
    r"""
      !\[(?:[^\[\]\n]|\[[^\]\n]{0,300}\]){0,300}\](?:\([^)\n]{0,500}\)|\[[^\]\n]{0,300}\])?
                                               # an image, whole
    | \[\^[^\]\s]{1,100}\]                     # a footnote marker
    | <(?:[a-z][a-z0-9+.-]{0,30}:[^\s<>]{0,500}|[^\s<>@]{1,100}@[^\s<>]{1,200})>  # an autolink
    | </?[a-z][\w-]{0,30}(?:\s[^<>]{0,300})?/?> | <!--.{0,300}?-->  # inline HTML
    | https?://[^\s<>()\[\]]{1,500}(?:\([^\s<>()]{0,100}\)[^\s<>()\[\]]{0,100})?
                                               # an address in the text
    | \\[!-/:-@\[-`{-~]                        # an escaped character
    | &(?:\#\d{1,7}|\#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});  # an entity
    | \]\((?:[^()\s]|\([^()\s]{0,100}\)){0,500}  # a link's address
      (?:[ \t]+(?:"[^"\n]{0,300}"|'[^'\n]{0,300}'))?[ \t]*\)  # and title
    | \]\[[^\]\n]{0,300}\]                      # a link's reference
    | [\[\]]                                   # a link's brackets
    | \*+ | ~~ | (?<![^\W_])_+ | _+(?![^\W_])  # emphasis
    """,
    re.X | re.I,
)
_INLINE_IN_TABLE = re.compile(rf"{_INLINE.pattern}| \|", re.X | re.I)
_BACKTICKS = re.compile(r"`+")
_LETTER = re.compile(r"[^\W\d_]")


@cache
def _block_parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table").use(footnote_plugin)


def _pieces(markdown: str) -> Iterator[tuple[bool, str, bool]]:
    """The body as (kept, text, in a table cell) pieces that join back into it: kept pieces
    are Markdown, the others words for the engine."""
    lines = markdown.splitlines(keepends=True)
    verbatim, table = set(), set()
    for token in _block_parser().parse(markdown):
        if token.map and token.type in _VERBATIM_BLOCKS:
            verbatim.update(range(*token.map))
        elif token.map and token.type == "table_open":
            table.update(range(*token.map))
    for number, line in enumerate(lines):
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        if number in verbatim or not body.strip() or _STRUCTURE_LINE.match(body):
            yield True, line, False
            continue
        marker = _LINE_MARKERS.match(body).group()
        closing = ""
        if "#" in marker and (found := _HEADING_CLOSE.search(body, len(marker))):
            body, closing = body[: found.start()], found.group()
        yield True, marker, False
        yield from _inline_pieces(body[len(marker) :], in_table=number in table)
        yield True, closing + ending, False


def _inline_pieces(text: str, *, in_table: bool) -> Iterator[tuple[bool, str, bool]]:
    position = 0
    for start, end in _code_spans(text):
        yield from _marked_pieces(text[position:start], in_table=in_table)
        yield True, text[start:end], False
        position = end
    yield from _marked_pieces(text[position:], in_table=in_table)


def _marked_pieces(text: str, *, in_table: bool) -> Iterator[tuple[bool, str, bool]]:
    # In a table row a pipe is a column's edge (an escaped one is a letter, kept too).
    pattern = _INLINE_IN_TABLE if in_table else _INLINE
    position = 0
    for found in pattern.finditer(text):
        if found.start() > position:
            yield from _words(text[position : found.start()], in_table)
        yield True, found.group(), False
        position = found.end()
    if position < len(text):
        yield from _words(text[position:], in_table)


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Where the code spans of a line are, CommonMark's way (a run of backticks opens one
    that the next run of the same length closes), in one pass over the runs."""
    runs = [(found.start(), found.end()) for found in _BACKTICKS.finditer(text)]
    closer: list[int | None] = [None] * len(runs)
    next_of_length: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        closer[index] = next_of_length.get(length)
        next_of_length[length] = index
    spans, index = [], 0
    while index < len(runs):
        if (end := closer[index]) is not None:
            spans.append((runs[index][0], runs[end][1]))
            index = end + 1
        else:
            index += 1
    return spans


def _words(text: str, in_table: bool) -> Iterator[tuple[bool, str, bool]]:
    """Words with the spaces around them kept apart (engines trim what they are given); a
    run with no letter (a figure, a dash) is kept as it is."""
    stripped = text.strip()
    if not _LETTER.search(stripped):
        yield True, text, False
        return
    start = text.index(stripped)
    if start:
        yield True, text[:start], False
    yield False, stripped, in_table
    if rest := text[start + len(stripped) :]:
        yield True, rest, False
