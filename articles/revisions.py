"""Reading an article's revision history: what a revision held, and what changed between two.

Revisions are stored by django-reversion (every save in the admin and every workflow
service makes one, with the article's bylines, tags, moves and corrections followed).
"""

import difflib
import html
import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import router
from django.db.models import QuerySet
from django.utils import timezone
from reversion.models import Revision, Version

from base.diff import DiffBudget, word_diff_html

from .models import Article, Author, Byline, Move, Region, TaggedRegion, TaggedTopic, Topic

# What a revert brings back. Status, dates and the featured flag belong to the workflow and
# stay as they are; the slug stays so that links keep working; corrections stay public.
CONTENT_FIELDS = (
    "title", "kind", "dek", "body", "series_id", "series_position", "image", "image_alt",
    "image_credit", "video_url", "rights", "source_outlet", "source_url", "source_published_on",
    "original_author",
)  # fmt: skip
MOVE_FIELDS = ("position", "phase", "actor", "action", "expected_response")


@dataclass
class Snapshot:
    """An article as one revision recorded it."""

    version: Version
    fields: dict
    author_ids: list[int] = field(default_factory=list)
    topic_ids: list[int] = field(default_factory=list)
    region_ids: list[int] = field(default_factory=list)
    moves: list[dict] = field(default_factory=list)


def revision_write(article: Article, followed: list, *, comment: str, user) -> Revision:
    """One revision of `article` and the rows it follows, as django-reversion's
    `add_to_revision(article)` would write it, in two queries: the rows are the ones just
    written, so there is nothing to read back or to check for existence (a bulk import)."""
    revision = Revision.objects.create(date_created=timezone.now(), user=user, comment=comment)
    Version.objects.bulk_create(
        Version(
            revision=revision,
            content_type=ContentType.objects.get_for_model(row),
            object_id=str(row.pk),
            db=router.db_for_write(type(row), instance=row),
            format="json",  # the models are registered with reversion's defaults
            serialized_data=serializers.serialize("json", [row]),
            object_repr=str(row),
        )
        for row in [article, *followed]
    )
    return revision


def versions_of(article: Article) -> QuerySet[Version]:
    return (
        Version.objects.get_for_object(article)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def snapshot(version: Version) -> Snapshot:
    article_id = int(version.object_id)
    shot = Snapshot(version=version, fields=version.field_dict)
    bylines = []
    for related in version.revision.version_set.select_related("content_type"):
        model = related.content_type.model_class()
        data = related.field_dict
        if model is Byline and data["article_id"] == article_id:
            bylines.append((data["position"], data["author_id"]))
        elif model is TaggedTopic and data["content_object_id"] == article_id:
            shot.topic_ids.append(data["tag_id"])
        elif model is TaggedRegion and data["content_object_id"] == article_id:
            shot.region_ids.append(data["tag_id"])
        elif model is Move and data["article_id"] == article_id:
            shot.moves.append({name: data[name] for name in MOVE_FIELDS})
    shot.author_ids = [author_id for _, author_id in sorted(bylines)]
    shot.moves.sort(key=lambda move: move["position"])
    return shot


@dataclass
class FieldChange:
    label: str
    before: str
    after: str
    diff_html: str


def compare(older: Snapshot, newer: Snapshot) -> list[FieldChange]:
    """The differences a person reviewing two revisions cares about, in reading order."""
    names = _names(older, newer)

    def people(shot: Snapshot) -> str:
        return _join(shot.author_ids, names["authors"])

    def tags(shot: Snapshot, kind: str) -> str:
        return _join(sorted(getattr(shot, f"{kind[:-1]}_ids")), names[kind])

    def status(shot: Snapshot) -> str:
        return Article.Status(shot.fields["status"]).label

    pairs = [
        ("Title", older.fields["title"], newer.fields["title"]),
        ("Standfirst", older.fields["dek"], newer.fields["dek"]),
        ("Body", older.fields["body"], newer.fields["body"]),
        ("Authors", people(older), people(newer)),
        ("Topics", tags(older, "topics"), tags(newer, "topics")),
        ("Regions", tags(older, "regions"), tags(newer, "regions")),
        ("Status", status(older), status(newer)),
    ]
    budget = DiffBudget()  # one for the whole comparison
    return [
        FieldChange(
            label,
            before,
            after,
            folded_diff_html(before, after, budget=budget)
            if label in LONG_TEXTS
            else word_diff_html(before, after, budget=budget),
        )
        for label, before, after in pairs
        if before != after
    ]


# Texts long enough that their unchanged paragraphs are folded away in a comparison.
LONG_TEXTS = {"Standfirst", "Body"}
# Unchanged paragraphs shown on each side of a change, for context.
CONTEXT_PARAGRAPHS = 1
PARAGRAPH_BREAK = "\n\n"


def folded_diff_html(before: str, after: str, *, budget: DiffBudget | None = None) -> str:
    """Paragraph by paragraph: changed ones with their words marked (`word_diff_html`),
    runs of unchanged ones folded into a <details> that says how many there are.

    Paragraphs are matched with difflib's junk heuristic on, so a text of thousands of
    identical paragraphs cannot make the match quadratic; the words inside share `budget`.
    """
    old, new = _paragraphs(before), _paragraphs(after)
    opcodes = difflib.SequenceMatcher(a=old, b=new).get_opcodes()
    parts = []
    for index, (op, a1, a2, b1, b2) in enumerate(opcodes):
        if op != "equal":
            parts.append(
                word_diff_html("\n\n".join(old[a1:a2]), "\n\n".join(new[b1:b2]), budget=budget)
            )
            continue
        same = old[a1:a2]
        keep_before = 0 if index == 0 else CONTEXT_PARAGRAPHS
        keep_after = 0 if index == len(opcodes) - 1 else CONTEXT_PARAGRAPHS
        if len(same) <= keep_before + keep_after + 1:
            parts.append(html.escape("\n\n".join(same)))
            continue
        folded = same[keep_before : len(same) - keep_after]
        parts += [html.escape(p) for p in same[:keep_before]]
        parts.append(
            '<details class="diff__fold"><summary>'
            f"{len(folded)} unchanged paragraph{'s' if len(folded) != 1 else ''}</summary>"
            f"{html.escape(PARAGRAPH_BREAK.join(folded))}</details>"
        )
        parts += [html.escape(p) for p in same[len(same) - keep_after :]]
    return "\n\n".join(parts)


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text.strip()) if p] if text.strip() else []


def _names(*snapshots: Snapshot) -> dict[str, dict[int, str]]:
    def lookup(model, ids):
        return dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))

    return {
        "authors": lookup(Author, {i for s in snapshots for i in s.author_ids}),
        "topics": lookup(Topic, {i for s in snapshots for i in s.topic_ids}),
        "regions": lookup(Region, {i for s in snapshots for i in s.region_ids}),
    }


def _join(ids: list[int], names: dict[int, str]) -> str:
    return ", ".join(names.get(i, f"(deleted #{i})") for i in ids)


def restored_parts(version: Version, article: Article, *, touched: set[str]) -> dict[str, list]:
    """What a revert brings back besides the fields: the revision's authors and timeline,
    unless the editor changed them in the form before saving (`touched`). Only the parts
    that differ from the article's current ones: {"authors": [Author…], "moves": [{…}…]}."""
    shot = snapshot(version)
    restored: dict[str, list] = {}
    current_authors = list(article.bylines.order_by("position").values_list("author", flat=True))
    if "authors" not in touched and shot.author_ids and shot.author_ids != current_authors:
        found = Author.objects.in_bulk(shot.author_ids)
        restored["authors"] = [found[pk] for pk in shot.author_ids if pk in found]
    steps = [{name: move[name] for name in MOVE_FIELDS[1:]} for move in shot.moves]
    current_steps = list(article.moves.order_by("position").values(*MOVE_FIELDS[1:]))
    if "moves" not in touched and steps != current_steps:
        restored["moves"] = steps
    return restored
