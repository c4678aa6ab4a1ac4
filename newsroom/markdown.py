"""Markdown to safe HTML, done once when content is saved.

markdown-it-py parses (CommonMark, tables, footnotes, heading anchors) and nh3 cleans the
result against an allow-list, so whatever an author or a contributor types, no script,
event handler, `javascript:` URL, iframe or style reaches a reader.
"""

import html as html_module
import math
import re
from dataclasses import dataclass, field

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

WORDS_PER_MINUTE = 220
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


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": True})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=1, max_level=3, slug_func=_slugify_heading)
    return md


_MD = _parser()


def render_markdown(source: str) -> Rendered:
    """Render Markdown to sanitized HTML with its word count and section headings.

    The page title is the only <h1>, so the body's top heading level becomes <h2>, whether
    the author wrote `#` or `##` for it, and the levels below follow.
    """
    env: dict = {}
    tokens = _MD.parse(source or "", env)
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
    raw_html = _MD.renderer.render(tokens, _MD.options, env)
    html = sanitize_html(raw_html)
    return Rendered(html=html, words=count_words(html), headings=headings)


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
