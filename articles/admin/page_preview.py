"""The article as readers will see it, from the editor's form as it stands (nothing saved).

The editor's preview renders the article page's own main column (`_page_top.html`, through
`read_only.page_as_readers`: kicker, title, standfirst, byline, dates, image, report box,
rights notice, contents, body, timeline, corrections, tags) with an article built from the
form: its fields as the form cleans them, and what the page lists (authors, tags, moves)
from the form's inlines.
"""

import copy

from django.http import QueryDict

from .. import kept_image
from ..models import Article, Author, Move, Region, Topic, render_body

# The article's own fields the page shows, as the change form sends them.
SHOWN_FIELDS = (
    "title", "dek", "body", "kind", "series", "series_position", "publish_at", "image_alt",
    "image_credit", "video_url", "rights", "source_outlet", "source_url", "original_author",
    "source_published_on", "report_number", "key_takeaways", "recommendations", "about_report",
)  # fmt: skip


class _Listed:
    """What the templates call `.all()` on, already in hand."""

    def __init__(self, items: list):
        self._items = items

    def all(self) -> list:
        return self._items


class UnsavedArticle:
    """An article as the form holds it: its own fields from `article`, its lists given."""

    def __init__(self, article: Article, *, authors, topics, regions, moves, corrections):
        self._article = article
        self._authors = authors
        self.topics = _Listed(topics)
        self.regions = _Listed(regions)
        self.moves = _Listed(moves)
        self.corrections = _Listed(corrections)

    def __getattr__(self, name: str):
        return getattr(self._article, name)

    def ordered_authors(self) -> list[Author]:
        return self._authors

    @property
    def last_corrected_at(self):
        return max((c.created_at for c in self.corrections.all()), default=None)


def article_from_form(form, data: QueryDict, saved: Article | None) -> UnsavedArticle:
    """`saved` (or a new article) with the values of `form` (bound to `data`) that are
    valid; a field the form refuses keeps its saved value."""
    candidate = copy.copy(saved) if saved is not None else Article()
    form.is_valid()
    for name, value in getattr(form, "cleaned_data", {}).items():
        if name in SHOWN_FIELDS:
            setattr(candidate, name, value)
    kept = kept_image.read(data.get("kept_image", ""))
    if kept is not None and not data.get("image-clear"):
        candidate.image = kept.name  # the image kept from a refused save, as it will show
    rendered = render_body(candidate.body or "").rendered  # library images and links resolved
    candidate.body_html = rendered.html
    candidate.toc = rendered.toc
    candidate.reading_minutes = rendered.reading_minutes
    return UnsavedArticle(
        candidate,
        authors=_authors(data),
        topics=list(Topic.objects.filter(pk__in=_ids(data.getlist("topics")))),
        regions=list(Region.objects.filter(pk__in=_ids(data.getlist("regions")))),
        moves=_moves(data) if candidate.kind == Article.Kind.SIMULATION else [],
        corrections=list(saved.corrections.all()) if saved is not None else [],
    )


def _ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit()]


def _rows(data: QueryDict, prefix: str) -> list[tuple[int, dict[str, str]]]:
    """The inline forms of `prefix` in the POST that are not marked for deletion."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS") or 0), 1000)
    except ValueError:
        return []
    rows = []
    for i in range(total):
        if data.get(f"{prefix}-{i}-DELETE"):
            continue
        start = f"{prefix}-{i}-"
        rows.append((i, {k[len(start) :]: v for k, v in data.items() if k.startswith(start)}))
    return rows


def _position(value: str, index: int) -> tuple[int, int]:
    return (int(value) if value.isdigit() else 0, index)


def _authors(data: QueryDict) -> list[Author]:
    chosen = [
        (_position(row.get("position", ""), i), int(row["author"]))
        for i, row in _rows(data, "bylines")
        if row.get("author", "").isdigit()
    ]
    found = Author.objects.in_bulk([pk for _, pk in chosen])
    return [found[pk] for _, pk in sorted(chosen) if pk in found]


def _moves(data: QueryDict) -> list[Move]:
    moves = []
    for _, row in sorted(
        _rows(data, "moves"), key=lambda r: _position(r[1].get("position", ""), r[0])
    ):
        if row.get("action", "").strip() or row.get("phase", "").strip():
            moves.append(
                Move(
                    phase=row.get("phase", ""),
                    actor=row.get("actor", ""),
                    action=row.get("action", ""),
                    expected_response=row.get("expected_response", ""),
                )
            )
    return moves
