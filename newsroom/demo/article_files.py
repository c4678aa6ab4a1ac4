"""The demo articles: one Markdown file each (FORMAT.md), written to the database only where
the article is missing or differs from its file."""

import datetime
import tomllib
from dataclasses import dataclass
from pathlib import Path

import reversion
from reversion.models import Version

from articles import editions
from articles.models import Article, Author, Byline, Correction, Move, Region, Series, Topic
from base import slugs

FRONT_MATTER = "+++"
LOADED = "Loaded from the demo content"
# Pieces dated "N days before the first load" go out at this time of that day (UTC).
RELATIVE_PUBLISH_TIME = datetime.time(8, tzinfo=datetime.UTC)
MOVE_FIELDS = ("phase", "actor", "action", "expected_response")


def read_article_file(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split(FRONT_MATTER + "\n", 2)
    return tomllib.loads(front), body.strip() + "\n"


@dataclass
class _Wanted:
    """An article as its file has it: its fields and its related rows."""

    values: dict
    author_ids: list[int]
    topic_ids: set[int]
    region_ids: set[int]
    moves: list[dict]
    corrections: list[tuple[str, datetime.datetime]]


@dataclass
class DemoArticles:
    authors: dict[str, Author]
    series: dict[str, Series]
    topics: dict[str, Topic]
    regions: dict[str, Region]

    def load(self, path: Path, *, today: datetime.date) -> tuple[str, str]:
        """Bring one article in line with its file: ("added" | "updated" | "unchanged" |
        "kept", slug). "kept": someone edited it in the admin since it was loaded, and their
        edit stays."""
        meta, body = read_article_file(path)
        article = Article.objects.filter(slug=meta["slug"]).first()
        added = article is None
        earlier = path.parent.parent / "editions" / "earlier" / path.name
        if added and earlier.exists():
            # First its earlier text, which a demo translation followed (editions/README.md).
            article = self._written(None, self._wanted(*read_article_file(earlier), None, today))
        outcome, slug = self._sync(meta["slug"], article, self._wanted(meta, body, article, today))
        return ("added" if added else outcome), slug

    def load_edition(self, path: Path, *, today: datetime.date) -> tuple[str, str]:
        """One edition of a demo article (editions/README.md): its own title, standfirst and
        body; the rest is its source's. Loaded after the sources."""
        meta, body = read_article_file(path)
        source_path = path.parent.parent.parent / "articles" / f"{meta['translation_of']}.md"
        source_meta, _ = read_article_file(source_path)
        source = Article.objects.get(slug=meta["translation_of"])
        edition = Article.objects.filter(
            translation_key=source.translation_key, language=meta["language"]
        ).first()
        slug = edition.slug if edition else free_slug(meta["title"])
        shared = {k: v for k, v in source_meta.items() if k not in ("report_number", "corrections")}
        wanted = self._wanted(
            {**shared, "slug": slug, "title": meta["title"], "dek": meta["dek"]},
            body,
            edition,
            today,
        )
        followed = _source_revision(source, earlier=meta.get("made_from") == "earlier")
        wanted.values.update(
            publish_at=source.publish_at,
            first_published_at=source.first_published_at,
            is_featured=False,
            language=meta["language"],
            translation_key=source.translation_key,
            translation_of_id=source.pk,
            source_revision_id=edition.source_revision_id if edition else followed,
        )
        if meta.get("made_from") == "earlier":
            # Its source's text moved on after it: stale since then (the lifecycle's demo).
            changed_at = _latest_change(source)
            wanted.values["stale_since"] = edition.stale_since if edition else changed_at
            Article.objects.filter(pk=source.pk).update(text_changed_at=changed_at)
        return self._sync(slug, edition, wanted, new=Article(slug=slug))

    def _sync(self, slug: str, article, wanted, *, new=None) -> tuple[str, str]:
        if article is None:
            outcome = "added"
        elif _matches(article, wanted):
            return "unchanged", slug
        elif _edited_since_loaded(article):
            return "kept", slug
        else:
            outcome = "updated"
        article = self._written(article or new or Article(slug=slug), wanted)
        if article.status == Article.Status.PUBLISHED:
            editions.pdf_edition_schedule(article=article)
        return outcome, article.slug

    def _written(self, article: Article | None, wanted: _Wanted) -> Article:
        with reversion.create_revision():
            reversion.set_comment(LOADED)
            article = _write(article or Article(slug=wanted.values.pop("slug")), wanted)
            # Bulk-created rows send no signal; put them in the revision by hand.
            for related in [
                *article.bylines.all(),
                *article.moves.all(),
                *article.corrections.all(),
            ]:
                reversion.add_to_revision(related)
        return article

    def _wanted(
        self, meta: dict, body: str, article: Article | None, today: datetime.date
    ) -> _Wanted:
        status = meta.get("status", Article.Status.PUBLISHED)
        publish_at = _publish_at(meta, article, today)
        values = {
            **({"slug": meta["slug"]} if article is None else {}),
            "title": meta["title"],
            "kind": meta["kind"],
            "dek": meta["dek"],
            "body": body,
            "series_id": self.series[meta["series"]].pk if "series" in meta else None,
            "series_position": meta.get("series_position"),
            "status": status,
            "publish_at": publish_at,
            "first_published_at": publish_at if status == Article.Status.PUBLISHED else None,
            "is_featured": meta.get("featured", False),
            "rights": meta.get("rights", Article.Rights.EXCLUSIVE),
            "source_outlet": meta.get("source_outlet", ""),
            "source_url": meta.get("source_url", ""),
            "source_published_on": meta.get("source_published_on"),
            "video_url": meta.get("video_url", ""),
            "doi": meta.get("doi", ""),
            "key_takeaways": "\n".join(meta.get("key_takeaways", [])),
            "recommendations": "\n".join(meta.get("recommendations", [])),
            "about_report": meta.get("about_report", ""),
        }
        # A report without a number in its file gets one when it is published: that one stays.
        if "report_number" in meta:
            values["report_number"] = meta["report_number"]
        return _Wanted(
            values=values,
            author_ids=[self.authors[slug].pk for slug in meta["authors"]],
            topic_ids={self.topics[slug].pk for slug in meta.get("topics", [])},
            region_ids={self.regions[slug].pk for slug in meta.get("regions", [])},
            moves=[
                {name: move.get(name, "") for name in MOVE_FIELDS} for move in meta.get("moves", [])
            ],
            corrections=sorted(
                (
                    correction["note"],
                    datetime.datetime.combine(
                        correction["date"], datetime.time(12), tzinfo=datetime.UTC
                    ),
                )
                for correction in meta.get("corrections", [])
            ),
        )


def _source_revision(source: Article, *, earlier: bool) -> int | None:
    """The revision of `source` a translation followed: its latest, or its first (the
    earlier text) for an edition made from that."""
    versions = Version.objects.get_for_object(source).order_by("pk" if earlier else "-pk")
    return versions.values_list("pk", flat=True).first()


def _latest_change(source: Article) -> datetime.datetime | None:
    latest = Version.objects.get_for_object(source).select_related("revision").order_by("-pk")
    version = latest.first()
    return version.revision.date_created if version else None


def free_slug(title: str) -> str:
    return slugs.free_slug(title, Article)


def _publish_at(
    meta: dict, article: Article | None, today: datetime.date
) -> datetime.datetime | None:
    """A piece dated "N days ago" keeps the date of its first load: the demo's recent months
    stay recent whenever it is first loaded, and a second run moves nothing."""
    if "published_days_ago" not in meta:
        return meta.get("publish_at")
    if article is not None and article.publish_at is not None:
        return article.publish_at
    days = meta["published_days_ago"]
    if days < 1:
        raise ValueError(f"{meta['slug']}: published_days_ago must be 1 or more")
    day = today - datetime.timedelta(days=days)
    return datetime.datetime.combine(day, RELATIVE_PUBLISH_TIME)


def _matches(article: Article, wanted: _Wanted) -> bool:
    return (
        all(getattr(article, name) == value for name, value in wanted.values.items())
        and list(article.bylines.order_by("position").values_list("author_id", flat=True))
        == wanted.author_ids
        and set(article.topics.values_list("pk", flat=True)) == wanted.topic_ids
        and set(article.regions.values_list("pk", flat=True)) == wanted.region_ids
        and list(article.moves.order_by("position").values(*MOVE_FIELDS)) == wanted.moves
        and sorted(article.corrections.values_list("note", "created_at")) == wanted.corrections
    )


def _edited_since_loaded(article: Article) -> bool:
    """True when the article's last revision is not the demo loader's: an editor's save, a
    status change, a publication at its scheduled time."""
    last = Version.objects.get_for_object(article).select_related("revision").order_by("-pk")
    last = last.first()
    return last is not None and last.revision.comment != LOADED


def _write(article: Article, wanted: _Wanted) -> Article:
    for name, value in wanted.values.items():
        setattr(article, name, value)
    article.save()
    if article.report_number:
        editions.report_number_assign(article=article)  # recorded, never given again
    article.bylines.all().delete()
    Byline.objects.bulk_create(
        Byline(article=article, author_id=author_id, position=position)
        for position, author_id in enumerate(wanted.author_ids)
    )
    article.topics.set(Topic.objects.filter(pk__in=wanted.topic_ids))
    article.regions.set(Region.objects.filter(pk__in=wanted.region_ids))
    article.moves.all().delete()
    Move.objects.bulk_create(
        Move(article=article, position=position, **move)
        for position, move in enumerate(wanted.moves)
    )
    article.corrections.all().delete()
    Correction.objects.bulk_create(
        Correction(article=article, note=note, created_at=created_at)
        for note, created_at in wanted.corrections
    )
    return article
