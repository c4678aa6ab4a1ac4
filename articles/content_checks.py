"""Content checks before publishing: one list, run live in the editor and again by the
publish and schedule services.

An error refuses publishing and names what to fix; a warning is shown and does not refuse.
The checks read a `Content` — the article as the form holds it, or as it is saved — so the
editor can run them on text that is not saved yet.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

from django.conf import settings

from .models import Article, BodyRendered, render_body

ERROR = "error"
WARNING = "warning"

TITLE_MAX = 110
ANALYSIS_MIN_WORDS = 300
VAGUE_LINK_TEXTS = {"click here", "here", "this link", "link", "read more", "more"}


@dataclass(frozen=True)
class Content:
    """What the checks read of an article."""

    title: str = ""
    dek: str = ""
    body: str = ""
    kind: str = Article.Kind.ANALYSIS
    rights: str = Article.Rights.EXCLUSIVE
    source_outlet: str = ""
    source_url: str = ""
    has_image: bool = False
    image_alt: str = ""
    topic_count: int = 0
    region_count: int = 0
    slug: str = ""
    # How many authors sign it; None where the caller cannot know (that check is skipped).
    author_count: int | None = None
    # A translation pre-filled by an engine that no person has read against its source yet.
    machine_unreviewed: bool = False

    @classmethod
    def of(
        cls,
        article: Article,
        *,
        topic_count: int | None = None,
        region_count: int | None = None,
        author_count: int | None = None,
        new_image: bool = False,
    ) -> "Content":
        """The content of `article` as it stands in memory (saved or not)."""
        saved = article.pk is not None
        if author_count is None:
            author_count = len(article.bylines.all()) if saved else 0  # prefetched or not
        if topic_count is None:
            topic_count = article.topics.count() if saved else 0
        if region_count is None:
            region_count = article.regions.count() if saved else 0
        return cls(
            title=article.title or "",
            dek=article.dek or "",
            body=article.body or "",
            kind=article.kind,
            rights=article.rights,
            source_outlet=article.source_outlet or "",
            source_url=article.source_url or "",
            has_image=bool(article.image) or new_image,
            image_alt=article.image_alt or "",
            topic_count=topic_count,
            region_count=region_count,
            slug=article.slug or "",
            author_count=author_count,
            machine_unreviewed=article.machine_translated,
        )


@dataclass(frozen=True)
class Finding:
    level: str
    code: str
    message: str

    def as_dict(self) -> dict:
        return {"level": self.level, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class _Parsed:
    """The body rendered once by the site's pipeline, for the checks that read HTML."""

    html: str
    words: int
    body: BodyRendered


Check = Callable[[Content, _Parsed], list[Finding]]
CHECKS: list[Check] = []


def check(function: Check) -> Check:
    CHECKS.append(function)
    return function


def run_checks(content: Content) -> list[Finding]:
    """Every finding, errors first, in the order of the checks."""
    body = render_body(content.body)
    parsed = _Parsed(html=body.rendered.html, words=body.rendered.words, body=body)
    findings = [finding for function in CHECKS for finding in function(content, parsed)]
    return sorted(findings, key=lambda f: f.level != ERROR)


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.level == ERROR]


# --- Errors: publishing is refused ----------------------------------------------------------


@check
def essentials(content: Content, parsed: _Parsed) -> list[Finding]:
    """A title, a body and an author: the first thing publishing asks for."""
    missing = []
    if not content.title.strip():
        missing.append("a title")
    if not content.body.strip():
        missing.append("a body")
    if content.author_count is not None and content.author_count < 1:
        missing.append("at least one author")
    if not missing:
        return []
    listed = ", ".join(missing[:-1]) + " and " + missing[-1] if len(missing) > 1 else missing[0]
    message = f"To publish, the article needs {listed}."
    return [Finding(ERROR, "incomplete", message)]


@check
def machine_translation(content: Content, parsed: _Parsed) -> list[Finding]:
    """A machine's draft is never published unread."""
    if not content.machine_unreviewed:
        return []
    message = (
        "This text is a machine translation nobody has reviewed: read it against the source, "
        "then untick “machine translation, not reviewed”."
    )
    return [Finding(ERROR, "machine_translation", message)]


@check
def standfirst(content: Content, parsed: _Parsed) -> list[Finding]:
    if content.dek.strip():
        return []
    return [Finding(ERROR, "no_standfirst", "Write a standfirst: one or two sentences.")]


@check
def featured_image_alt(content: Content, parsed: _Parsed) -> list[Finding]:
    if not content.has_image or content.image_alt.strip():
        return []
    return [
        Finding(
            ERROR,
            "image_without_alt",
            "The featured image has no alt text: describe it for readers who cannot see it.",
        )
    ]


_IMG = re.compile(r"<img\b([^>]*)>", re.IGNORECASE)
_ALT = re.compile(r'\balt="([^"]*)"', re.IGNORECASE)
_SRC = re.compile(r'\bsrc="([^"]*)"', re.IGNORECASE)


@check
def body_image_alt(content: Content, parsed: _Parsed) -> list[Finding]:
    findings = []
    for attributes in _IMG.findall(parsed.html):
        alt = _ALT.search(attributes)
        if alt is None or not alt.group(1).strip():
            src = _SRC.search(attributes)
            if src and html.unescape(src.group(1)) in parsed.body.library_sources:
                continue  # the library's own check names it
            where = src.group(1) if src else "an image"
            findings.append(
                Finding(
                    ERROR,
                    "body_image_without_alt",
                    f"The image {where} in the body has no alt text: write it between the "
                    "brackets, ![like this](…).",
                )
            )
    return findings


@check
def library_images(content: Content, parsed: _Parsed) -> list[Finding]:
    """Images of the library the body names: each must exist and be described."""
    findings = [
        Finding(
            ERROR,
            "body_image_missing",
            f"The body shows image {number} (image:{number}), which is not in the image "
            "library: choose another with the Image button, or take the line out.",
        )
        for number in sorted(set(parsed.body.missing_images))
    ]
    findings += [
        Finding(
            ERROR,
            "body_image_without_alt",
            f"Image {image.pk} of the library has no alt text: describe it in the library "
            "(Images) for readers who cannot see it.",
        )
        for image in parsed.body.images.values()
        if not image.alt.strip()
    ]
    return findings


@check
def source_credit(content: Content, parsed: _Parsed) -> list[Finding]:
    if content.rights == Article.Rights.EXCLUSIVE:
        return []
    missing = []
    if not content.source_outlet.strip():
        missing.append("the source outlet")
    if not content.source_url.strip():
        missing.append("the URL of the original")
    if not missing:
        return []
    label = Article.Rights(content.rights).label.split(" ")[0].lower()
    return [
        Finding(
            ERROR,
            "no_source",
            f"A {label} piece needs " + " and ".join(missing) + " (under Rights).",
        )
    ]


_LINK = re.compile(r'<a\b[^>]*\bhref="([^"]*)"[^>]*>(.*?)</a>', re.IGNORECASE | re.DOTALL)
_ARTICLE_PATH = re.compile(r"^/articles/([-\w]+)/?$")


def _our_article_slug(href: str) -> str | None:
    parsed = urlparse(href)
    ours = urlparse(settings.SITE_URL)
    if parsed.netloc and parsed.netloc != ours.netloc:
        return None
    match = _ARTICLE_PATH.match(parsed.path)
    return match.group(1) if match else None


def _hidden_link_message(number: int, status: str | None) -> str:
    said = f"The link to article {number} (article:{number}) points to an article of ours "
    if status is None:
        return said + "that no longer exists: readers get its words without a link."
    if status == Article.Status.SCHEDULED:
        return said + "that is scheduled and not out yet: until then the link leads nowhere."
    label = Article.Status(status).label.lower()
    return said + f"that readers cannot see (it is {label}): readers get its words without a link."


@check
def links_to_unpublished(content: Content, parsed: _Parsed) -> list[Finding]:
    slugs = {
        slug
        for href, _ in _LINK.findall(parsed.html)
        if (slug := _our_article_slug(href)) and slug != content.slug
    }
    findings = [
        Finding(ERROR, "link_to_unpublished", _hidden_link_message(number, status))
        for number, status in sorted(set(parsed.body.hidden_links), key=lambda found: found[0])
    ]
    if not slugs:
        return findings
    public = set(Article.objects.published().filter(slug__in=slugs).values_list("slug", flat=True))
    hidden = Article.objects.filter(slug__in=slugs - public).values_list("slug", "status")
    return findings + [
        Finding(
            ERROR,
            "link_to_unpublished",
            f"The link to /articles/{slug}/ points to an article of ours that readers cannot "
            f"see (it is {Article.Status(status).label.lower()}).",
        )
        for slug, status in sorted(hidden)
    ]


# --- Warnings: shown, not refused -----------------------------------------------------------


@check
def long_title(content: Content, parsed: _Parsed) -> list[Finding]:
    if len(content.title) <= TITLE_MAX:
        return []
    return [
        Finding(
            WARNING,
            "long_title",
            f"The title has {len(content.title)} characters; over {TITLE_MAX}, search results "
            "and shares cut it.",
        )
    ]


@check
def tagged(content: Content, parsed: _Parsed) -> list[Finding]:
    findings = []
    if not content.topic_count:
        findings.append(Finding(WARNING, "no_topic", "No topic: readers following topics miss it."))
    if not content.region_count:
        findings.append(
            Finding(WARNING, "no_region", "No region: readers following regions miss it.")
        )
    return findings


_HEADING = re.compile(r"<h([2-6])\b", re.IGNORECASE)


@check
def heading_levels(content: Content, parsed: _Parsed) -> list[Finding]:
    levels = [int(level) for level in _HEADING.findall(parsed.html)]
    for before, after in zip([2, *levels], levels, strict=False):
        if after > before + 1:
            return [
                Finding(
                    WARNING,
                    "skipped_heading",
                    f"A heading skips a level (level {before - 1} then level {after - 1}): "
                    "screen readers use them as the outline.",
                )
            ]
    return []


@check
def link_texts(content: Content, parsed: _Parsed) -> list[Finding]:
    findings = []
    for href, inner in _LINK.findall(parsed.html):
        if "footnote" in inner or href.startswith("#fn"):
            continue
        text = " ".join(re.sub(r"<[^>]+>", " ", inner).split())
        if not text:
            findings.append(
                Finding(WARNING, "empty_link", f"A link to {href} has no text to click.")
            )
        elif text.lower().strip(".!:") in VAGUE_LINK_TEXTS:
            findings.append(
                Finding(
                    WARNING,
                    "vague_link",
                    f"The link “{text}” does not say where it leads: use words that name it.",
                )
            )
    return findings


@check
def analysis_length(content: Content, parsed: _Parsed) -> list[Finding]:
    if content.kind != Article.Kind.ANALYSIS or parsed.words >= ANALYSIS_MIN_WORDS:
        return []
    return [
        Finding(
            WARNING,
            "short_analysis",
            f"The body has {parsed.words} words; an analysis usually has at least "
            f"{ANALYSIS_MIN_WORDS}.",
        )
    ]
