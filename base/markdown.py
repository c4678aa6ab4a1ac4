"""Markdown to safe HTML, done once when content is saved.

markdown-it-py parses (CommonMark, tables, footnotes, heading anchors) and nh3 cleans the
result against an allow-list, so whatever an author or a contributor types, no script,
event handler, `javascript:` URL, iframe or style reaches a reader.

The cost is linear in the length of the source: the heading anchors and the smart quotes
are done here rather than by the stock rules, which are quadratic (20,000 equal headings or
30,000 apostrophes held a worker for half a minute), and no source is rendered beyond
`MARKDOWN_MAX_CHARS` (no Markdown field is capped above it; `bench/markdown_render.py`
measures the worst inputs).
"""

import html as html_module
import math
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Protocol

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

# The longest source rendered as Markdown: the longest Markdown field's cap (an article's
# body). Whatever an older, longer row holds beyond it is shown as plain paragraphs.
MARKDOWN_MAX_CHARS = 60_000
WORDS_PER_MINUTE = 220
# markdown-it-py spends tens of microseconds on each bracket or marker of some dense,
# pathological inputs (100,000 characters of `![` take about two seconds): past this much
# CPU time the text is shown as plain paragraphs instead. A real article needs a fraction.
RENDER_CPU_SECONDS = 0.75
# Headings written with one to three `#` get an id (before the levels are shifted).
ANCHOR_MAX_LEVEL = 3
# An article with at least this many section headings gets a table of contents.
TOC_MIN_HEADINGS = 4

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li",
    "ol", "p", "pre", "s", "section", "strong", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "li": {"id"},
    "sup": {"id"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
ALLOWED_CLASSES = {
    "a": {"footnote-ref", "footnote-backref"},
    "hr": {"footnotes-sep"},
    "li": {"footnote-item"},
    "ol": {"footnotes-list"},
    "section": {"footnotes"},
    "sup": {"footnote-ref"},
}
URL_SCHEMES = {"http", "https", "mailto"}


class References(Protocol):
    """What a body may name beyond plain Markdown, resolved by the app that knows it.

    `image(src, alt=…, alone=…)` is asked for every image: its HTML (trusted, put in after
    the sanitizer, so it may hold what an author may not type), "" to leave the image out,
    or None when `src` is none of its own (the image stays as Markdown made it). `alone`
    says the image is a paragraph of its own (a figure may take the paragraph's place).
    `link(href)` is asked for every link: the address to use instead, "" to keep the text
    without a link, or None to leave the link alone.
    """

    def image(self, src: str, *, alt: str, alone: bool) -> str | None: ...

    def link(self, href: str) -> str | None: ...


@dataclass(frozen=True)
class Heading:
    level: int
    anchor: str
    text: str


@dataclass(frozen=True)
class Rendered:
    html: str
    words: int
    headings: list[Heading] = field(default_factory=list)
    # True when the Markdown took too long to parse and is shown as plain paragraphs.
    as_plain_text: bool = False

    @property
    def text(self) -> str:
        """The visible text, without tags, entities decoded, whitespace collapsed."""
        return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", self.html)).split())

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))

    @property
    def toc(self) -> list[dict]:
        """The table of contents, or nothing for a short piece."""
        if len(self.headings) < TOC_MIN_HEADINGS:
            return []
        return [{"level": h.level, "anchor": h.anchor, "text": h.text} for h in self.headings]


def _slugify_heading(text: str) -> str:
    slug = re.sub(r"[^\w\s-]", "", text.lower(), flags=re.UNICODE).strip()
    return re.sub(r"[\s_-]+", "-", slug) or "section"


def _unique_slug(slug: str, used: set[str], next_suffix: dict[str, int]) -> str:
    """`slug`, else `slug-1`, `slug-2`… the first one not used yet.

    Each slug remembers where its count stopped, so n equal headings cost n steps, not n²
    (a used `slug-k` can only be skipped by `slug`, once).
    """
    candidate = slug
    if candidate in used:
        suffix = next_suffix.get(slug, 1)
        while (candidate := f"{slug}-{suffix}") in used:
            suffix += 1
        next_suffix[slug] = suffix + 1
    used.add(candidate)
    return candidate


def _heading_anchors(state: StateCore) -> None:
    """An id for every heading of the first three levels, from its text, unique in the page."""
    used: set[str] = set()
    next_suffix: dict[str, int] = {}
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open" or int(token.tag[1]) > ANCHOR_MAX_LEVEL:
            continue
        title = "".join(
            child.content
            for child in state.tokens[index + 1].children or []
            if child.type in ("text", "code_inline")
        )
        token.attrSet("id", _unique_slug(_slugify_heading(title), used, next_suffix))


QUOTES_RE = re.compile(r"['\"]")
APOSTROPHE = "\u2019"


def _is_punctuation(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def _neighbour(tokens: list[Token], indexes: range, at: int) -> str:
    """The character next to a quote across tokens, a space at a line break or the end."""
    for index in indexes:
        if tokens[index].type in ("softbreak", "hardbreak"):
            break
        if tokens[index].content:
            return tokens[index].content[at]
    return " "


def _smart_quotes(state: StateCore) -> None:
    """markdown-it's typographic quotes, with the same decisions, in linear time.

    The stock rule copies the whole text for every quote it replaces and walks its stack of
    open quotes for every closing one; here the replacements are collected and applied once,
    and each open quote knows the last open quote of either kind below it.
    """
    if not state.md.options.typographer:
        return
    quotes = state.md.options.quotes
    for token in state.tokens:
        if token.type == "inline" and token.children and QUOTES_RE.search(token.content):
            _quote_inline(token.children, quotes)


def _quote_inline(tokens: list[Token], quotes: str) -> None:
    edits: dict[int, dict[int, str]] = {}
    # Open quotes: (token, position, single, level, last single at or below, last double…)
    stack: list[tuple[int, int, bool, int, int, int]] = []
    for i, token in enumerate(tokens):
        level = token.level
        # The stack's levels never decrease upwards: drop the quotes opened deeper.
        while stack and stack[-1][3] > level:
            stack.pop()
        if token.type != "text":
            continue
        text = token.content
        for match in QUOTES_RE.finditer(text):
            at = match.start()
            single = text[at] == "'"
            last = text[at - 1] if at else _neighbour(tokens, range(i - 1, -1, -1), -1)
            after = (
                text[at + 1]
                if at + 1 < len(text)
                else _neighbour(tokens, range(i + 1, len(tokens)), 0)
            )
            last_punct, next_punct = _is_punctuation(last), _is_punctuation(after)
            last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(after))
            can_open = not (next_space or (next_punct and not (last_space or last_punct)))
            can_close = not (last_space or (last_punct and not (next_space or next_punct)))
            if after == '"' and not single and last.isascii() and last.isdigit():
                can_open = can_close = False  # 1"" is an inch mark
            if can_open and can_close:
                # Inside a run of punctuation, but not inside a word.
                can_open, can_close = last_punct, next_punct
            if not can_open and not can_close:
                if single:
                    edits.setdefault(i, {})[at] = APOSTROPHE
                continue
            if can_close and stack:
                below = stack[-1][4 if single else 5]
                if below >= 0 and stack[below][3] == level:
                    opener = stack[below]
                    edits.setdefault(i, {})[at] = quotes[3 if single else 1]
                    edits.setdefault(opener[0], {})[opener[1]] = quotes[2 if single else 0]
                    del stack[below:]
                    continue
            if can_open:
                top = len(stack)
                last_single = stack[-1][4] if stack else -1
                last_double = stack[-1][5] if stack else -1
                stack.append(
                    (i, at, single, level, top if single else last_single,
                     last_double if single else top)
                )  # fmt: skip
            elif can_close and single:
                edits.setdefault(i, {})[at] = APOSTROPHE
    for index, changes in edits.items():
        chars = list(tokens[index].content)
        for at, char in changes.items():
            chars[at] = char
        tokens[index].content = "".join(chars)


class _TooIntricate(Exception):
    pass


def _within_budget(state, *args) -> bool:
    """A rule that matches nothing; first in the block and inline chains, it stops the
    parse once the CPU time is spent (checked every 256 steps: the clock is a system call)."""
    env = state.env
    env["_steps"] = steps = env.get("_steps", 0) + 1
    if not steps % 256 and time.thread_time() > env.get("_deadline", math.inf):
        raise _TooIntricate
    return False


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": True})
    md.core.ruler.at("smartquotes", _smart_quotes)
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.use(footnote_plugin)
    md.core.ruler.push("heading_anchors", _heading_anchors)
    md.block.ruler.before("table", "within_budget", _within_budget)
    md.inline.ruler.before("text", "within_budget", _within_budget)
    return md


_MD = _parser()


def render_markdown(
    source: str,
    *,
    cpu_seconds: float = RENDER_CPU_SECONDS,
    references: References | None = None,
) -> Rendered:
    """Render Markdown to sanitized HTML with its word count and section headings.

    The page title is the only <h1>, so the body's top heading level becomes <h2>, whether
    the author wrote `#` or `##` for it, and the levels below follow. A source longer than
    `MARKDOWN_MAX_CHARS` (only a row saved before the caps can be) is rendered up to the
    last paragraph break within it, and the rest is shown as plain paragraphs; so is all of
    a source that takes more than `cpu_seconds` to parse. `references` resolves the images
    and links that name something of the app's (see `References`).
    """
    source, rest = _split_at_ceiling(source or "")
    env: dict = {"_deadline": time.thread_time() + cpu_seconds}
    try:
        tokens = _MD.parse(source, env)
    except _TooIntricate:
        html = _plain_paragraphs(source + rest)  # escaped: nothing to clean
        return Rendered(html=html, words=count_words(html), as_plain_text=True)
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    shift = 2 - min(levels, default=2)
    headings = []
    for index, token in enumerate(tokens):
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + shift, 6)
            token.tag = f"h{level}"
            if token.type == "heading_open" and level <= 3 and token.attrGet("id"):
                text = tokens[index + 1].content
                headings.append(Heading(level, str(token.attrGet("id")), text))
    trusted: dict[str, str] = {}
    if references is not None:
        tokens = _resolve(tokens, references, trusted)
    raw_html = _MD.renderer.render(tokens, _MD.options, env)
    html = sanitize_html(raw_html)
    for mark, piece in trusted.items():
        html = html.replace(mark, piece, 1)
    html += _plain_paragraphs(rest)  # escaped: nothing to clean
    return Rendered(html=html, words=count_words(html), headings=headings)


def _resolve(tokens: list[Token], references: References, trusted: dict[str, str]) -> list[Token]:
    """The tokens with the references' images and links resolved.

    An image's HTML is left as a mark the sanitizer keeps (a word no author can guess) and
    put in after it; a paragraph holding only an image becomes that image's HTML.
    """
    nonce = secrets.token_hex(8)

    def mark(piece: str, *, block: bool = False) -> str:
        key = f"mdref{nonce}n{len(trusted)}"
        trusted[f"<p>{key}</p>" if block else key] = piece
        return key

    resolved: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        children = token.children or []
        alone = (
            token.type == "paragraph_open"
            and index + 2 < len(tokens)
            and [child.type for child in tokens[index + 1].children or []] == ["image"]
        )
        if alone:
            image = tokens[index + 1].children[0]
            piece = references.image(str(image.attrGet("src") or ""), alt=image.content, alone=True)
            if piece is not None:
                if piece:
                    block = Token(
                        "html_block", "", 0, content=f"<p>{mark(piece, block=True)}</p>\n"
                    )
                    resolved.append(block)
                index += 3  # the paragraph, its line, its end
                continue
        if token.type == "inline" and children:
            token.children = _resolve_inline(children, references, mark)
        resolved.append(token)
        index += 1
    return resolved


def _resolve_inline(children: list[Token], references: References, mark) -> list[Token]:
    resolved: list[Token] = []
    unlinked = 0  # open links kept as text: their ends go too
    for child in children:
        if child.type == "image":
            piece = references.image(
                str(child.attrGet("src") or ""), alt=child.content, alone=False
            )
            if piece is not None:
                if piece:
                    resolved.append(Token("html_inline", "", 0, content=mark(piece)))
                continue
        elif child.type == "link_open":
            href = references.link(str(child.attrGet("href") or ""))
            if href == "":
                unlinked += 1
                continue
            if href is not None:
                child.attrSet("href", href)
        elif child.type == "link_close" and unlinked:
            # Links do not nest, so the next end closes the link left out.
            unlinked -= 1
            continue
        resolved.append(child)
    return resolved


def _split_at_ceiling(source: str) -> tuple[str, str]:
    if len(source) <= MARKDOWN_MAX_CHARS:
        return source, ""
    cut = source.rfind("\n\n", 0, MARKDOWN_MAX_CHARS)
    cut = cut if cut > 0 else MARKDOWN_MAX_CHARS
    return source[:cut], source[cut:]


def _plain_paragraphs(text: str) -> str:
    return "".join(
        f"<p>{html_module.escape(paragraph.strip())}</p>"
        for paragraph in re.split(r"\n\s*\n", text)
        if paragraph.strip()
    )


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def count_words(html: str) -> int:
    text = re.sub(r"<[^>]+>", " ", html)
    return len(re.findall(r"\w+(?:['\u2019-]\w+)*", text))
