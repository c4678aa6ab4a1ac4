"""Pasted HTML (Word, Google Docs, a web page) to the Markdown of an article body.

Word and Google Docs keep their formatting where markdownify does not look: Word writes a
list as paragraphs styled `mso-list` with the bullet inside conditional comments, and a
footnote as a pair of anchors pointing at each other; Google Docs writes bold and italic as
styled spans inside a `<b style="font-weight:normal">` wrapper and sends links through a
google.com redirect. The passes below rewrite all that as plain HTML; the importer's
converter (`html_to_markdown`) then does the rest, and the Markdown is rendered and sanitized by the
site's pipeline like anything typed. Links other than http, https and mailto lose their
address (the words stay); pictures are left out and counted, to be added from the library.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup, Comment, Declaration, NavigableString, Tag

from .html_to_markdown import DROPPED, html_to_markdown

# What a clipboard may hold: Word and Google Docs send ten to fifteen characters of markup
# for each one of text, so this is room for the longest article (BODY_MAX_CHARS).
CLIPBOARD_MAX_CHARS = 1_000_000
# Tags cost the most to read (about 50 µs each): Word writes about one for every four
# characters of text, so this is room for the longest article (BODY_MAX_CHARS) and bounds
# the time any clipboard takes to a couple of seconds.
CLIPBOARD_MAX_TAGS = 40_000
# Each note is converted on its own; a document has far fewer. Beyond this, references
# and notes stay as the text they are.
MAX_FOOTNOTES = 500

_MSO_LIST = re.compile(r"mso-list:\s*l\d+\s+level(\d+)", re.I)
_MSO_IGNORE = re.compile(r"mso-list:\s*ignore", re.I)
_ORDERED_MARKER = re.compile(r"^\(?(?:\d{1,3}|[a-z]|[ivxlc]{1,6})[.)]$", re.I)
_BOLD_OR_ITALIC = re.compile(r"font-(?:weight|style)", re.I)
_BOLD_WEIGHTS = {"bold", "bolder", "600", "700", "800", "900"}
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_LINK_SCHEMES = ("http://", "https://", "mailto:")
_GOOGLE_REDIRECT = ("https://www.google.com/url?", "http://www.google.com/url?")
# Text that markdown-it would read as the start of an HTML tag: escaped, so that what was
# written as text stays text.
_TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?])")
_LINE_BREAKS = re.compile(r"[ \t]*[\r\n]\s*")
# Spaces between the end of a block and the next tag are not text; left out, the tree has
# half as many nodes to walk.
_SPACE_AFTER_BLOCK = re.compile(
    r"(</(?:p|div|h[1-6]|li|ul|ol|table|tbody|thead|tr|td|th|blockquote)>)\s+(?=<)", re.I
)


@dataclass(frozen=True)
class Pasted:
    markdown: str
    pictures_left_out: int = 0


class UnreadableClipboard(ValueError):
    """HTML with more tags than any article has, or nested deeper than any document is
    (the converter walks it recursively): refused, rather than held for seconds."""


def clipboard_to_markdown(html: str, *, first_footnote: int = 1) -> Pasted:
    """The Markdown of a clipboard's HTML; its footnotes are numbered from `first_footnote`
    (the first number the body does not use yet)."""
    if html.count("<") > CLIPBOARD_MAX_TAGS:
        raise UnreadableClipboard(
            "The pasted text holds more formatting than an article can; paste it in parts."
        )
    try:
        return _converted(html, first_footnote)
    except RecursionError:
        raise UnreadableClipboard("The pasted text is nested too deeply to be read.") from None


def _converted(html: str, first_footnote: int) -> Pasted:
    if "<pre" not in html.lower():
        # Word wraps its HTML at about 80 characters: outside <pre>, a line break in the
        # source is a space (a <br> is the writer's own). Done on the text, as a tree edit
        # per line would cost a scan of its parent each.
        html = _LINE_BREAKS.sub(" ", html)
    html = _SPACE_AFTER_BLOCK.sub(r"\1", html)
    soup = BeautifulSoup(html, "html.parser")
    root = soup.body or soup
    for tag in root.find_all(["head", "title", "meta", "link", "xml", "style", "script"]):
        tag.decompose()
    _word_lists(root)
    _drop_office_markup(root)
    if root.find("pre") is not None:
        _join_wrapped_lines(root)
    _google_docs_formatting(root)
    _list_items(root)
    notes = _footnotes(root, first_footnote)
    _tables(root)
    pictures = root.find_all("img")
    for picture in pictures:
        _empty(picture)
    for text in root.find_all(string=_TAG_LIKE):
        if not isinstance(text, Comment | Declaration):
            text.replace_with(_TAG_LIKE.sub(r"\\<", str(text)))
    parts = [_markdown(root.decode_contents())]
    for number, note in notes:
        first, *rest = _markdown(note).strip().split("\n")
        parts.append(
            f"[^{number}]: {first}\n" + "\n".join(f"    {line}" if line else "" for line in rest)
        )
    markdown = "\n\n".join(part.strip() for part in parts if part.strip())
    return Pasted(markdown=markdown + "\n" if markdown else "", pictures_left_out=len(pictures))


def _markdown(html: str) -> str:
    markdown = html_to_markdown(html, image_url=_link_address)
    lines = [line.rstrip(" \t\xa0") for line in markdown.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _link_address(src: str, kind: str) -> str | None:
    """Keep web and mail links as they are (Google's redirect unwrapped); take any other
    address out (javascript:, data:, file: on the author's disk), leaving the words."""
    src = src.strip()
    if src.startswith(_GOOGLE_REDIRECT):
        target = parse_qs(urlsplit(src).query).get("q", [""])[0]
        return target if target.startswith(_LINK_SCHEMES) else DROPPED
    return None if src.lower().startswith(_LINK_SCHEMES) else DROPPED


def _empty(tag: Tag) -> None:
    """Take `tag` out of the text: emptied and made a <span>, which markdownify leaves out.
    (Removing it would scan its parent, which may hold the whole document, each time.)"""
    tag.clear()
    tag.name = "span"
    tag.attrs = {}


def _style(tag: Tag) -> dict[str, str]:
    declarations = (part.split(":", 1) for part in tag.get("style", "").split(";") if ":" in part)
    return {name.strip().lower(): value.strip().lower() for name, value in declarations}


# --- Word ------------------------------------------------------------------------------------


def _word_lists(root: Tag) -> None:
    """Word's list paragraphs (`mso-list:l0 level2 lfo1`, the bullet or number in a
    `[if !supportLists]` section) as nested <ul> and <ol>."""
    for paragraph in root.find_all("p", style=_MSO_LIST):
        if paragraph.name != "p":
            continue  # already moved into a list
        run = [paragraph]
        for sibling in paragraph.next_siblings:
            if isinstance(sibling, NavigableString) and not sibling.strip():
                continue
            if (
                isinstance(sibling, Tag)
                and sibling.name == "p"
                and _MSO_LIST.search(sibling.get("style", ""))
            ):
                run.append(sibling)
                continue
            break
        stack: list[list] = []  # [level, list, its last item], the innermost last
        for item in run:
            level = int(_MSO_LIST.search(item["style"]).group(1))
            marker = _take_list_marker(item)
            while stack and stack[-1][0] > level:
                stack.pop()
            if not stack or stack[-1][0] < level:
                new = root.new_tag("ol" if _ORDERED_MARKER.match(marker) else "ul")
                if stack:
                    (stack[-1][2] or stack[-1][1]).append(new)
                else:
                    item.insert_before(new)
                stack.append([level, new, None])
            entry = root.new_tag("li")
            entry.extend(list(item.contents))
            stack[-1][1].append(entry)
            stack[-1][2] = entry
            _empty(item)


def _take_list_marker(paragraph: Tag) -> str:
    """Remove a Word list paragraph's bullet or number and say what it was: what stands in
    its `[if !supportLists]` section, or else in its `mso-list:Ignore` span."""
    removed: list = []
    inside = False
    for child in list(paragraph.contents):
        if isinstance(child, Comment | Declaration) and "supportLists" in child:
            inside = True
        elif inside and isinstance(child, Comment | Declaration) and "endif" in child:
            child.extract()
            break
        if inside:
            removed.append(child.extract())
    if not inside:
        for ignored in paragraph.find_all("span", style=_MSO_IGNORE):
            removed.append(ignored.extract())
    marker = "".join(
        part.get_text() if isinstance(part, Tag) else str(part)
        for part in removed
        if not isinstance(part, Comment | Declaration)
    )
    return marker.replace("\xa0", " ").split(" ")[0].strip() if marker.strip() else ""


def _drop_office_markup(root: Tag) -> None:
    """Conditional comments, and Office's own tags (<o:p>, <v:shape>, <w:…>)."""
    for comment in root.find_all(string=lambda s: isinstance(s, Comment | Declaration)):
        comment.extract()
    for tag in root.find_all(lambda t: ":" in t.name):
        if tag.name == "o:p":
            tag.unwrap()
        else:
            tag.decompose()


def _join_wrapped_lines(root: Tag) -> None:
    """Word wraps its HTML at about 80 characters: a line break in the source of a
    paragraph is a space (a <br> is the writer's own line break)."""
    for text in root.find_all(string=re.compile(r"[\r\n]")):
        if text.find_parent("pre") is None:
            text.replace_with(re.sub(r"\s*[\r\n]\s*", " ", str(text)))


# --- Google Docs -----------------------------------------------------------------------------


def _google_docs_formatting(root: Tag) -> None:
    """Bold and italic spans as <strong> and <em>; the not-bold wrapper Google Docs puts
    around everything (`<b id="docs-internal-guid-…" style="font-weight:normal">`) undone."""
    for tag in root.find_all(["b", "strong"]):
        if _style(tag).get("font-weight") in ("normal", "400"):
            tag.name = "span"  # what markdownify leaves out, keeping what it holds
    for span in root.find_all("span", style=_BOLD_OR_ITALIC):
        style = _style(span)
        inside_heading = span.find_parent([*_HEADINGS, "th"]) is not None
        bold = style.get("font-weight") in _BOLD_WEIGHTS and not inside_heading
        italic = style.get("font-style") == "italic"
        # Renamed rather than wrapped: a wrap scans the parent, which may hold everything.
        if bold and italic:
            emphasis = root.new_tag("em")
            emphasis.extend(list(span.contents))
            span.append(emphasis)
        if bold or italic:
            span.name = "strong" if bold else "em"
            span.attrs = {}
    for tag in root.find_all(["strong", "em"]):
        # Two neighbouring bold spans are one stretch of bold: "**a****b**" would not be.
        if tag.name not in ("strong", "em"):
            continue  # merged into the one before
        after = tag.next_sibling
        while isinstance(after, Tag) and after.name == tag.name:
            tag.extend(list(after.contents))
            _empty(after)
            after = after.next_sibling


def _list_items(root: Tag) -> None:
    """A list item holding one paragraph is that paragraph's text (Google Docs wraps every
    item in a <p>, which would make a loose list); a list put directly inside a list (as
    Google Docs nests them) goes inside the item before it."""
    for nested in root.find_all(["ul", "ol"]):
        if nested.parent is not None and nested.parent.name in ("ul", "ol"):
            before = nested.find_previous_sibling("li")
            if before is not None:
                before.append(nested.extract())
    for item in root.find_all("li"):
        paragraphs = item.find_all("p", recursive=False)
        if len(paragraphs) == 1:
            paragraphs[0].unwrap()


# --- Both ------------------------------------------------------------------------------------


def _footnotes(root: Tag, first: int) -> list[tuple[int, str]]:
    """Footnotes as Markdown footnotes: a reference is a link to an anchor that links back
    to it (Word: `#_ftn1` and `#_ftnref1`; Google Docs: `#ftnt1` and `#ftnt_ref1`). Each
    reference becomes `[^n]` and its note is taken out of the text; the notes' HTML is
    returned with their numbers, in the order of their references."""
    order = {}
    anchors = {}
    for position, tag in enumerate(root.find_all(True)):
        order[id(tag)] = position
        for key in (tag.get("id"), tag.get("name")):
            if key:
                anchors.setdefault(key, tag)
    pairs = []
    for reference in root.find_all("a", href=re.compile(r"^#.")):
        note_link = anchors.get(reference["href"][1:])
        if note_link is None or note_link.name != "a":
            continue
        points_back = note_link.get("href", "")[1:] in (reference.get("id"), reference.get("name"))
        # Each of the two anchors links to the other: the reference is the one met first.
        if points_back and order[id(reference)] < order[id(note_link)]:
            pairs.append((reference, note_link))
    del pairs[MAX_FOOTNOTES:]
    notes = []
    for number, (reference, note_link) in enumerate(pairs, start=first):
        block = _note_block(note_link, root)
        _marker_holder(reference).replace_with(f"[^{number}]")
        note_link.decompose()
        notes.append((number, str(block) if block.name == "p" else block.decode_contents()))
        _drop_rule_before(block)
        _empty(block)
    for holder in root.find_all("div", style=re.compile(r"mso-element:\s*footnote-list", re.I)):
        if not holder.get_text(strip=True):
            holder.decompose()
    return notes


def _note_block(note_link: Tag, root: Tag) -> Tag:
    """The element that holds the note: its paragraph, or the <div> around the note's
    paragraphs when that <div> holds nothing else."""
    block = note_link.find_parent(["p", "li", "div"]) or note_link
    while (
        block.parent is not None
        and block.parent is not root
        and block.parent.name == "div"
        and len(block.parent.find_all("a", href=re.compile(r"^#."))) == 1
    ):
        block = block.parent
    return block


def _marker_holder(reference: Tag) -> Tag:
    """The reference with what only wraps it (<sup>, a superscript span)."""
    holder = reference
    while (
        holder.parent is not None
        and holder.parent.name in ("sup", "span")
        and holder.parent.get_text(strip=True) == reference.get_text(strip=True)
    ):
        holder = holder.parent
    return holder


def _drop_rule_before(block: Tag) -> None:
    before = block.find_previous_sibling()
    if before is not None and before.name == "hr":
        before.decompose()


def _tables(root: Tag) -> None:
    """A table without a header row gets its first row as one (Word and Google Docs write
    every cell as <td>; Markdown tables need a header); `|` in a cell is escaped."""
    for table in root.find_all("table"):
        rows = table.find_all("tr")
        if rows and not table.find("th"):
            for cell in rows[0].find_all("td", recursive=False):
                cell.name = "th"
        for cell in table.find_all("th"):
            for bold in cell.find_all(["b", "strong"]):
                bold.unwrap()
        for text in table.find_all(string=re.compile(r"\|")):
            text.replace_with(str(text).replace("|", "\\|"))
