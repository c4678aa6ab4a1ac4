"""An article's body rendered with what it names resolved: library images, video embeds
and links to our own articles.

The Markdown stays plain Markdown (docs/public-site.md):

- `![What it shows](image:42)` — image 42 of the library. On a line of its own it becomes a
  figure (every rendition in `srcset`, width, height, the library's alt text, its caption
  and credit); inside a sentence, the picture alone. The words between the brackets are a
  reminder for whoever reads the Markdown: the library's alt text is the one shown, so a
  correction made there reaches every article.
- `![Title](https://www.youtube.com/watch?v=…)` — an image whose address is a video of an
  allowed host (`VIDEO_HOSTS`) is an embed card: the player and a link to the video.
- `[words](article:17)` — a link to article 17, rendered to its address of the day, so it
  survives a change of slug; while article 17 is not public (a draft, unpublished,
  deleted), the words are shown without a link, never as a link to a missing page.

Everything named is loaded in two queries whatever the body holds.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html

from base.markdown import Rendered, render_markdown

from .images import LibraryImage
from .video import VIDEO_HOSTS, _video_embed_url

IMAGE_REFERENCE = re.compile(r"image:(\d{1,10})\b")
ARTICLE_REFERENCE = re.compile(r"article:(\d{1,10})\b")
# An image fills the text column on a wide screen (the column's measure) and the screen
# width on a narrow one.
FIGURE_SIZES = "(min-width: 46rem) 42rem, 100vw"
# Renditions of this width at least are the fallback `src` (a PDF, an old feed reader).
FALLBACK_WIDTH = 1200
# The statuses whose articles readers can reach (or will, at their time).
LINKED_STATUSES = ("published", "scheduled")


@dataclass
class BodyRendered:
    rendered: Rendered
    # Library images shown, by id; ids named that the library does not hold.
    images: dict[int, LibraryImage] = field(default_factory=dict)
    missing_images: list[int] = field(default_factory=list)
    # Articles linked to: their id and the address shown ("" when shown without a link).
    links: dict[int, str] = field(default_factory=dict)
    # Articles linked to that readers cannot reach: (id, status), status None when deleted.
    hidden_links: list[tuple[int, str | None]] = field(default_factory=list)

    @property
    def library_sources(self) -> set[str]:
        """The `src` of every library image shown."""
        return {_picture(image)["src"] for image in self.images.values()}


class _References:
    """The `References` of one body: what it names, loaded once."""

    def __init__(self, source: str, articles):
        image_ids = {int(found) for found in IMAGE_REFERENCE.findall(source)}
        article_ids = {int(found) for found in ARTICLE_REFERENCE.findall(source)}
        self.library = LibraryImage.objects.in_bulk(image_ids) if image_ids else {}
        self.articles = (
            {
                row["pk"]: row
                for row in articles.filter(pk__in=article_ids).values(
                    "pk", "slug", "status", "publish_at"
                )
            }
            if article_ids
            else {}
        )
        self.model = articles.model
        self.result = BodyRendered(rendered=Rendered(html="", words=0))

    def image(self, src: str, *, alt: str, alone: bool) -> str | None:
        if src.startswith("image:"):
            return self._library_image(src, alone=alone)
        if urlparse(src).hostname in VIDEO_HOSTS:
            return _embed(src, alt, alone=alone)
        return None

    def _library_image(self, src: str, *, alone: bool) -> str:
        reference = src.removeprefix("image:")
        image = self.library.get(int(reference)) if reference.isdigit() else None
        if image is None or not image.renditions:
            self.result.missing_images.append(int(reference) if reference.isdigit() else 0)
            return ""  # readers see nothing rather than a broken picture
        self.result.images[image.pk] = image
        return render_to_string(
            "articles/_figure.html",
            {"image": _picture(image), "alone": alone},
            using="jinja2",
        )

    def link(self, href: str) -> str | None:
        if not href.startswith("article:"):
            return None
        reference = href.removeprefix("article:")
        row = self.articles.get(int(reference)) if reference.isdigit() else None
        if row is None or row["status"] not in LINKED_STATUSES:
            if reference.isdigit():
                self.result.hidden_links.append((int(reference), row and row["status"]))
                self.result.links[int(reference)] = ""
            return ""
        address = self.model(slug=row["slug"]).get_absolute_url()
        self.result.links[row["pk"]] = address
        if row["status"] == "scheduled" and row["publish_at"] > timezone.now():
            # Linked already (nothing renders the body again at its time), and reported:
            # until then the link leads nowhere.
            self.result.hidden_links.append((row["pk"], row["status"]))
        return address


def _picture(image: LibraryImage) -> dict:
    """What the figure template shows of an image: plain values."""
    fallback = image.rendition(width=FALLBACK_WIDTH)
    webp = image.renditions_in("webp")
    return {
        "id": image.pk,
        "src": LibraryImage.url_of(fallback),
        "srcset": ", ".join(f"{LibraryImage.url_of(r)} {r['width']}w" for r in webp),
        "sizes": FIGURE_SIZES,
        "width": fallback["width"],
        "height": fallback["height"],
        "alt": image.alt,
        "caption": image.caption,
        "credit": image.credit,
    }


def _embed(url: str, title: str, *, alone: bool) -> str:
    """A video's card on a line of its own; inside a sentence, or for an address of an allowed
    host that is not one video (a channel), a link to it."""
    host = "YouTube" if VIDEO_HOSTS[urlparse(url).hostname] == "youtube" else "Vimeo"
    title = title.strip() or f"Video on {host}"
    player = _video_embed_url(url)
    if player is None or not alone:
        link = format_html('<a href="{}">{}</a>', url, title)
        return format_html("<p>{}</p>", link) if alone else link
    return render_to_string(
        "articles/_embed.html",
        {"player": player, "url": url, "title": title, "host": host},
        using="jinja2",
    )


def render_with_references(source: str, *, articles) -> BodyRendered:
    """The body rendered, images and links resolved; `articles` is where links are looked
    up (the Article manager: this module cannot import the model that uses it)."""
    references = _References(source or "", articles)
    references.result.rendered = render_markdown(source, references=references)
    return references.result
