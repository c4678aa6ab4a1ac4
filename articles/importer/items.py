"""What a reader (WordPress export, saved pages) hands to the runner: one item per article."""

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, field

# The largest post the importer reads: characters of a post in an export, bytes of a saved
# page. An article body holds at most 60,000 characters of Markdown (BODY_MAX_CHARS); the
# HTML of a WordPress post, with its markup, inline styles and shortcodes, is rarely more
# than four times its Markdown, so 1,000,000 leaves room for the largest real post while
# bounding what one post costs: parsing takes some 15 to 20 times the input in memory (a
# 200 MB post once took over 3 GiB).
MAX_POST_SIZE = 1_000_000


def too_large(size: int) -> str:
    return f"too large to import ({size:,} characters; at most {MAX_POST_SIZE:,}): skipped"


@dataclass(frozen=True)
class AuthorRef:
    """A byline as the source names it; matched to an Author by name when imported."""

    name: str
    login: str = ""


@dataclass
class Item:
    """One article to be, with everything the source says about it.

    `label` names it in the report (a WordPress post id, a file); `source_key` identifies it
    across runs. Readers fill `topics`/`regions` with slugs of our vocabulary and
    `unknown_terms` with the source's categories and tags that matched none.
    """

    source: str
    source_key: str
    label: str
    title: str
    body: str
    guid: str = ""
    slug: str = ""
    kind: str = "analysis"
    status: str = "draft"
    # Public on the old site: it keeps its original date even as a draft here, so that
    # publishing it later neither re-dates it nor alerts readers (an archive is not news).
    was_public: bool = False
    date: datetime.datetime | None = None
    dek: str = ""
    authors: list[AuthorRef] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    unknown_terms: list[str] = field(default_factory=list)
    rights: str = "exclusive"
    source_outlet: str = ""
    source_url: str = ""
    source_published_on: datetime.date | None = None
    original_author: str = ""
    video_url: str = ""
    image_name: str = ""  # a file already in our media storage
    image_alt: str = ""
    old_paths: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skip_reason: str = ""  # set when the source item is not an article (a page, the trash)
    error: str = ""  # set when the source item could not be read

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def offer_video(self, url: str) -> None:
        """The first video found in the post becomes the article's video."""
        if not self.video_url:
            self.video_url = url

    def content_hash(self) -> str:
        """A digest of what the article would be made of; equal hashes, nothing to update."""
        data = asdict(self)
        for transient in ("warnings", "label", "source_key"):
            data.pop(transient)
        text = json.dumps(data, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()
