"""Pages of the old blog saved as text (.txt), Markdown (.md) or HTML (.html).

A saved page is the post with the blog around it. What is recognised, top to bottom:

- a title line (or none: then the title is made from the first sentence, and reported);
- a date line (`date 2024-10-09`), before or after the title, or a date opening the first
  line of the text itself (` date 2024-10-09 In 2020, the war…`): then there is no title
  line, and the title is made from the first sentence after the date;
- a reblog of a wire piece: the reblogging site's name, the title, then a byline
  `By Name | OUTLET | Month D, YYYY`;
- a republished excerpt: an opening sentence naming the original author and outlet;
- a video post: a title beginning "Watch:", with its video address in the text;
- the blog's chrome, cut away: the "Posted by … | categories" line (its categories are
  kept as terms), sharing and like buttons, donation and subtitle credits, and everything
  from the comment section on (reblogs, comments, pingbacks, the reply form).
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from bs4 import BeautifulSoup

from articles.models import VIDEO_HOSTS
from base.slugs import readable_slug

from .folders import FolderFile, RefusedFile, folder_files, named_file, read_regular_file
from .html_to_markdown import html_to_markdown
from .items import AuthorRef, Item
from .terms import Terms

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
TITLE_MAX_WORDS = 12

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_LONG_DATE = rf"{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"
_DATE_LINE = re.compile(
    rf"^\s*(?:date|posted on|published)\s*:?\s+(?P<date>\d{{4}}-\d{{2}}-\d{{2}}|{_LONG_DATE})\s*$",
    re.I,
)
# The same date opening the first line, the text going on after it on that line.
_DATED_OPENING = re.compile(
    rf"^\s*(?:date|posted on|published)\s*:?\s+(?P<date>\d{{4}}-\d{{2}}-\d{{2}}|{_LONG_DATE})"
    r"\s+(?P<text>\S.*)$",
    re.I,
)
_BYLINE = re.compile(
    rf"^\s*By\s+(?P<author>[^|]+?)\s*\|\s*(?P<outlet>[^|]+?)\s*\|\s*(?P<date>{_LONG_DATE})\s*$",
    re.I,
)
_POSTED_BY = re.compile(r"^\s*(?:Posted by|Posted in|Filed under)\b(?P<rest>.*)$", re.I)
_ATTRIBUTION_HINT = re.compile(
    r"\b(?:first|originally)\s+(?:published|appeared)\b|\bexcerpt\b|\brepublished\b", re.I
)
_ATTRIBUTION_AUTHOR = re.compile(
    r"\bby\s+(?P<author>[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|de|van|von|al-[\w-]+)){0,3})"
)
_ATTRIBUTION_OUTLET = re.compile(
    r"\b(?:published|appeared|ran)\s+(?:\w+\s+)?(?:in|on|by|at)\s+(?:the\s+website\s+of\s+)?"
    rf"(?P<outlet>(?:the\s+)?(?!{_MONTH}\b)[A-Z][\w&.'’-]*"
    rf"(?:\s+(?:(?!{_MONTH}\b)[A-Z][\w&.'’-]*|of|for|and|the))*)"
)
# Where the post ends and the blog's comment section begins: nothing after is kept.
_COMMENTS_START = re.compile(
    r"^\s*(?:\d+\s+(?:comments?|responses?|thoughts?)\b.*|one (?:comment|response|thought)\b.*"
    r"|reblogged this on\b.*|comment by\b.*|pingback:.*|trackback:.*|leave a reply\b.*"
    r"|leave a comment\b.*|be the first to comment\b.*|the comment form is closed\.?"
    r"|comments are closed\.?|your email address will not be published.*)$",
    re.I,
)
# Lines of the blog's furniture, dropped wherever they are.
_CHROME = re.compile(
    r"^\s*(?:share this:?|share on \w+|like this:?|like loading\.*|loading\.*|related"
    r"|be the first to like this\.?|\d+ (?:likes?|bloggers like this\.?)|rate this:?|tweet"
    r"|twitter|facebook|telegram|whatsapp|linkedin|reddit|email|print|more|follow|subscribe"
    r"|click to (?:share|print|email).*|share|like|reblog|comment"
    r"|(?:english |russian |\w+ )?subtitles? by\b.*|translated and subtitled by\b.*"
    r"|.*\bpatreon\b.*|.*\bpaypal\b.*|(?:please )?(?:support|donate)\b.*(?:donat|support).*"
    r"|required fields are marked.*|save my name, email.*|post comment|name \*?|email \*?"
    r"|website|advertisements?|report this ad|previous post.*|next post.*)\s*$",
    re.I,
)
_URL = re.compile(r"https?://[^\s<>\"')\]]+")


@dataclass
class _Page:
    lines: list[str]
    title: str = ""  # from the format itself (an HTML <title>, a Markdown "# " line)
    markdown: bool = False


def first_sentence_title(text: str) -> str:
    """A title made from the first sentence, cut to a dozen words."""
    paragraph = re.split(r"\n\s*\n", text.strip(), maxsplit=1)[0]  # no sentence goes on past it
    sentence = re.split(r"(?<=[.!?])\s", paragraph, maxsplit=1)[0].rstrip(".!?")
    words = sentence.split()
    if len(words) > TITLE_MAX_WORDS:
        return " ".join(words[:TITLE_MAX_WORDS]) + "…"
    return sentence or "Untitled"


def kind_from_title(title: str) -> str:
    return "briefing" if re.match(r"^\s*watch\s*:", title, re.I) else "analysis"


def page_files(path: Path) -> Iterator[FolderFile]:
    """A saved page, or each page in a folder, in a stable order (refused ones included,
    with their reason: see folders.py)."""
    if path.is_dir():
        yield from folder_files(path, SUFFIXES)
    else:
        yield named_file(path)


class TextPageReader:
    def __init__(self, files: list[FolderFile], *, terms: Terms, publish: bool):
        self.files = files
        self.terms = terms
        self.publish = publish

    def __len__(self) -> int:
        return len(self.files)

    def __iter__(self) -> Iterator[Item]:
        for file in self.files:
            yield self.read(file.path, file.key)

    def read(self, path: Path, key: str) -> Item:
        item = Item(source="page", source_key=f"page:{key}", label=key, title="", body="")
        try:
            page = _load(path)
        except RefusedFile as refused:
            item.skip_reason = str(refused)
            return item
        lines = _until_comments(page.lines)
        lines = self._posted_by(lines, item)
        lines = [line for line in lines if not _CHROME.match(_bare(line))]
        lines = _strip_blank_edges(lines)
        lines, dated_opening = self._dated_opening(lines, item)
        lines = self._date_lines(lines, item)
        lines = self._reblog(lines, item) or self._title(
            lines, page, item, title_line=not dated_opening
        )
        lines = self._attribution(lines, item)
        lines = self._video(lines, item)
        if item.rights != "exclusive":
            item.authors = []  # who reblogged it is not who wrote it: `original_author` is
        item.body = _body(lines, markdown=page.markdown)
        item.source_outlet = _usual_case(item.source_outlet, item.body)
        if not item.title:
            item.title = first_sentence_title(_plain(item.body))
            item.warn("no title found: made from the first sentence")
        if item.kind == "analysis":
            item.kind = kind_from_title(item.title)
        self._finish_date(path, item)
        item.was_public = item.date is not None
        # The same page saved in another folder is still the same page.
        day = f"{item.date:%Y-%m-%d}" if item.date else ""
        item.guid = f"{readable_slug(item.title, max_length=200)}:{day}"
        item.status = "published" if item.was_public and self.publish else "draft"
        return item

    def _posted_by(self, lines: list[str], item: Item) -> list[str]:
        """The "Posted by NAME | categories" line: the blog's author and terms; the post
        ends there."""
        for index, line in enumerate(lines):
            found = _POSTED_BY.match(line)
            if not found:
                continue
            rest = found["rest"].strip(" :")
            parts = [part.strip() for part in rest.split("|")]
            if line.lower().lstrip().startswith("posted by") and parts and parts[0]:
                name, _, when = parts[0].partition(" on ")
                item.authors.append(AuthorRef(name=name.strip()))
                if _parse_date(when.strip()):
                    item.date = _parse_date(when.strip())
                terms = parts[1:]
            else:
                terms = parts
            for part in terms:
                date = _parse_date(part)
                if date:
                    item.date = item.date or date
                    continue
                for name in re.split(r",\s*", re.sub(r"^(?:in|categories:?|tags:?)\s+", "", part)):
                    self._term(name.strip(), item)
            return lines[:index]
        return lines

    def _term(self, name: str, item: Item) -> None:
        if not name:
            return
        found = self.terms.resolve(name)
        if found is None:
            if name not in item.unknown_terms:
                item.unknown_terms.append(name)
            return
        vocabulary, slug = found
        target = {"topic": item.topics, "region": item.regions}.get(vocabulary)
        if target is not None and slug not in target:
            target.append(slug)
        elif vocabulary == "kind" and item.kind == "analysis":
            item.kind = slug

    def _dated_opening(self, lines: list[str], item: Item) -> tuple[list[str], bool]:
        """A date at the very start of the text, on the first sentence's line: read, and
        taken out of the text."""
        found = _DATED_OPENING.match(lines[0]) if lines else None
        date = _parse_date(found["date"]) if found else None
        if date is None:
            return lines, False
        item.date = item.date or date
        return [found["text"], *lines[1:]], True

    def _date_lines(self, lines: list[str], item: Item) -> list[str]:
        kept = []
        for line in lines:
            found = _DATE_LINE.match(line)
            if found:
                item.date = item.date or _parse_date(found["date"])
            else:
                kept.append(line)
        return _strip_blank_edges(kept)

    def _reblog(self, lines: list[str], item: Item) -> list[str] | None:
        """Site name, title, `By Name | OUTLET | date`: someone else's piece, in full."""
        for index, line in enumerate(lines[:8]):
            found = _BYLINE.match(line)
            if found is None:
                continue
            above = [text.strip() for text in lines[:index] if text.strip()]
            item.title = above[-1] if above else ""
            item.kind = "republished"
            item.rights = "republished"
            item.original_author = found["author"].strip()
            item.source_outlet = found["outlet"].strip()
            item.source_published_on = _parse_date(found["date"]).date()
            return _strip_blank_edges(lines[index + 1 :])
        return None

    def _title(self, lines: list[str], page: _Page, item: Item, *, title_line: bool) -> list[str]:
        if page.title:
            item.title = page.title
            return lines
        if not title_line:
            return lines
        first = lines[0].strip() if lines else ""
        words = first.split()
        followed_by_break = len(lines) > 1 and not lines[1].strip()
        looks_like_title = (
            0 < len(words) <= 20 and not re.search(r"[.;,]$", first) and followed_by_break
        )
        if looks_like_title:
            item.title = first.lstrip("# ").strip()
            return _strip_blank_edges(lines[1:])
        return lines

    def _attribution(self, lines: list[str], item: Item) -> list[str]:
        """An opening sentence such as "This analysis by Jane Roe first appeared in The
        Harbour Review on 3 May 2024." — an excerpt or a republished piece."""
        if item.rights != "exclusive" or not lines:
            return lines
        opening = lines[0].strip()
        first = re.split(r"(?<=[.!?])\s", opening, maxsplit=1)[0]
        if not _ATTRIBUTION_HINT.search(first):
            return lines
        author = _ATTRIBUTION_AUTHOR.search(first)
        outlet = _ATTRIBUTION_OUTLET.search(first)
        if not outlet:
            return lines
        item.kind = "republished"
        item.rights = "excerpt" if re.search(r"\bexcerpt", first, re.I) else "republished"
        item.source_outlet = re.sub(r"^the\s+(?=[A-Z])", "", outlet["outlet"]).strip(" .")
        item.source_outlet = re.sub(r"\s+(?:on|of|for|and|the)$", "", item.source_outlet)
        if author:
            item.original_author = author["author"].strip(" .")
        when = re.search(
            rf"{_LONG_DATE}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}", first
        )
        if when and _parse_date(when.group(0)):
            item.source_published_on = _parse_date(when.group(0)).date()
        links = _URL.findall(opening)
        if links:
            item.source_url = links[0]
        rest = opening[len(first) :].strip()
        return _strip_blank_edges(([rest] if rest else []) + lines[1:])

    def _video(self, lines: list[str], item: Item) -> list[str]:
        """The first YouTube or Vimeo address becomes the video; a line that is only that
        address leaves the text (the page shows the video itself)."""
        kept = []
        for line in lines:
            for url in _URL.findall(line):
                if urlparse(url).hostname in VIDEO_HOSTS:
                    item.offer_video(url.rstrip(".,"))
            if line.strip() and line.strip().strip("<>") == item.video_url:
                continue
            kept.append(line)
        if item.kind == "analysis" and kind_from_title(item.title) == "briefing":
            item.kind = "briefing"
        if kind_from_title(item.title) == "briefing" and not item.video_url:
            item.warn("video post without a YouTube or Vimeo address")
        return _strip_blank_edges(kept)

    def _finish_date(self, path: Path, item: Item) -> None:
        if item.date is not None:
            return
        named = re.search(r"(\d{4})-(\d{2})-(\d{2})", path.name)
        if named:
            item.date = _parse_date(named.group(0))
            item.warn("date guessed from the file name")
        elif item.source_published_on:
            item.date = datetime.datetime.combine(
                item.source_published_on, datetime.time(12), tzinfo=datetime.UTC
            )
            item.warn("date guessed: the original's date")
        else:
            item.warn("no date found: left as a draft")


def _load(path: Path) -> _Page:
    raw = read_regular_file(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        soup = BeautifulSoup(text, "html.parser")
        heading = soup.find("h1")
        title = " ".join(heading.get_text(" ").split()) if heading else ""
        if heading:
            heading.decompose()
        if not title and soup.title:
            title = " ".join(soup.title.get_text(" ").split())
        main = soup.find("article") or soup.find("main") or soup.body or soup
        for tag in main.find_all(["nav", "header", "footer", "aside"]):
            tag.decompose()
        markdown = html_to_markdown(str(main), image_url=lambda src, kind: None)
        return _Page(lines=markdown.splitlines(), title=title, markdown=True)
    lines = text.replace("\r\n", "\n").split("\n")
    if suffix in (".md", ".markdown"):
        title = ""
        for index, line in enumerate(lines):
            if line.strip():
                if line.startswith("# "):
                    title = line[2:].strip()
                    lines = lines[index + 1 :]
                break
        return _Page(lines=lines, title=title, markdown=True)
    return _Page(lines=lines)


def _bare(line: str) -> str:
    """A line without the Markdown of a saved HTML page (heading marks, list bullets)."""
    return re.sub(r"^\s*(?:#+|[-*+]|\d+\.)\s+", "", line).replace("\\", "")


def _until_comments(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if _COMMENTS_START.match(_bare(line)):
            return lines[:index]
    return lines


def _strip_blank_edges(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


_ESCAPED = re.compile(r"([\\`*_\[\]<>])")


def _body(lines: list[str], *, markdown: bool) -> str:
    if markdown:
        return "\n".join(line.rstrip() for line in lines).strip() + "\n"
    paragraphs: list[str] = []
    joinable = False
    for raw in lines:
        line = raw.strip()
        if not line:
            joinable = False
            continue
        text = _ESCAPED.sub(r"\\\1", line)
        text = re.sub(r"^(#+|>)", r"\\\1", text)
        # A hard-wrapped line (the previous one did not end a sentence) continues it.
        if joinable and paragraphs:
            paragraphs[-1] += " " + text
        else:
            paragraphs.append(text)
        joinable = not re.search(r"[.!?:\"”’)]$", line)
    return "\n\n".join(paragraphs) + "\n"


def _usual_case(name: str, text: str) -> str:
    """A name written in capitals (a byline's "CARNEGIE EUROPE") as `text` writes it
    elsewhere ("Carnegie Europe"); as it was when the text never writes it otherwise."""
    if not name.isupper():
        return name
    words = r"\s+".join(re.escape(word) for word in name.split())
    for found in re.finditer(rf"(?<!\w){words}(?!\w)", text, re.IGNORECASE):
        if not found.group(0).isupper():
            return " ".join(found.group(0).split())
    return name


def _plain(markdown: str) -> str:
    return re.sub(r"[\\*_#>\[\]]", "", markdown)


def _parse_date(value: str) -> datetime.datetime | None:
    """A date as the blog wrote it (2024-10-09, October 9, 2024, Oct. 9 2024, 9 October
    2024), at noon UTC: the day is known, the hour is not."""
    value = " ".join(value.replace(",", " ").replace(".", " ").split()).replace("Sept ", "Sep ")
    for fmt in ("%Y-%m-%d", "%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y"):
        try:
            parsed = datetime.datetime.strptime(value, fmt)
        except ValueError:
            continue
        return parsed.replace(hour=12, tzinfo=datetime.UTC)
    return None
