import datetime
import tomllib
from dataclasses import dataclass
from pathlib import Path

import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from articles import editions
from articles.models import Article, Author, Byline, Correction, Move, Region, Series, Topic
from newsroom.pagecache import pages_changed
from submissions.models import Call

DEMO_DIR = Path(__file__).resolve().parent
FRONT_MATTER = "+++"


@dataclass(frozen=True)
class DemoUser:
    username: str
    group: str
    author_slug: str


DEMO_USERS = (
    DemoUser("editor", "Editors", "rashad-mammadli"),
    DemoUser("writer", "Writers", "tamar-beridze"),
)


def read_article_file(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split(FRONT_MATTER + "\n", 2)
    return tomllib.loads(front), body.strip() + "\n"


@transaction.atomic
def load_demo(*, password: str) -> dict[str, int]:
    vocabulary = tomllib.loads((DEMO_DIR / "vocabulary.toml").read_text(encoding="utf-8"))
    authors = {a["slug"]: _author(a) for a in vocabulary["authors"]}
    series = {s["slug"]: _series(s) for s in vocabulary["series"]}
    topics = {t["slug"]: _tag(Topic, t) for t in vocabulary["topics"]}
    regions = {r["slug"]: _tag(Region, r) for r in vocabulary["regions"]}
    articles = []
    for path in sorted((DEMO_DIR / "articles").glob("*.md")):
        with reversion.create_revision():
            reversion.set_comment("Loaded from the demo content")
            article = _article(*read_article_file(path), authors, series, topics, regions)
            # Bulk-created rows send no signal; put them in the revision by hand.
            for related in [
                *article.bylines.all(),
                *article.moves.all(),
                *article.corrections.all(),
            ]:
                reversion.add_to_revision(related)
        articles.append(article)
    pages_changed()
    for call in vocabulary.get("calls", []):
        _call(call, series)
    for demo_user in DEMO_USERS:
        _user(demo_user, password, authors[demo_user.author_slug])
    return {
        "authors": len(authors),
        "series": len(series),
        "topics": len(topics),
        "regions": len(regions),
        "articles": len(articles),
    }


def _author(data: dict) -> Author:
    author, _ = Author.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "name": data["name"],
            "title": data["title"],
            "affiliation": data["affiliation"],
            "bio": data["bio"],
            "is_contributor": not data["staff"],
            "orcid": data.get("orcid", ""),
        },
    )
    return author


def _series(data: dict) -> Series:
    series, _ = Series.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "title": data["title"],
            "description": data["description"],
            "is_active": data["active"],
        },
    )
    return series


def _call(data: dict, series: dict) -> None:
    # The deadline moves with the clock so that the demo always has an open call.
    deadline = timezone.now() + datetime.timedelta(days=data["deadline_days"])
    Call.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "title": data["title"],
            "brief": data["brief"].strip(),
            "deadline": deadline.replace(hour=23, minute=59, second=0, microsecond=0),
            "series": series[data["series"]],
            "is_open": True,
        },
    )


def _tag(model, data: dict):
    tag, _ = model.objects.update_or_create(slug=data["slug"], defaults={"name": data["name"]})
    if not tag.keywords and data.get("keywords"):  # editors' own keywords are kept
        tag.keywords = "\n".join(data["keywords"])
        tag.save(update_fields=["keywords"])
    return tag


def _article(meta: dict, body: str, authors, series, topics, regions) -> Article:
    status = meta.get("status", Article.Status.PUBLISHED)
    publish_at = meta.get("publish_at")
    article, _ = Article.objects.update_or_create(
        slug=meta["slug"],
        defaults={
            "title": meta["title"],
            "kind": meta["kind"],
            "dek": meta["dek"],
            "body": body,
            "series": series[meta["series"]] if "series" in meta else None,
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
            "report_number": meta.get("report_number"),
            "doi": meta.get("doi", ""),
            "key_takeaways": "\n".join(meta.get("key_takeaways", [])),
            "recommendations": "\n".join(meta.get("recommendations", [])),
            "about_report": meta.get("about_report", ""),
        },
    )
    if article.report_number:
        editions.report_number_assign(article=article)  # recorded, never given again
    article.bylines.all().delete()
    Byline.objects.bulk_create(
        Byline(article=article, author=authors[slug], position=position)
        for position, slug in enumerate(meta["authors"])
    )
    article.topics.set([topics[slug] for slug in meta.get("topics", [])])
    article.regions.set([regions[slug] for slug in meta.get("regions", [])])
    article.moves.all().delete()
    Move.objects.bulk_create(
        Move(article=article, position=position, **move)
        for position, move in enumerate(meta.get("moves", []))
    )
    article.corrections.all().delete()
    Correction.objects.bulk_create(
        Correction(
            article=article,
            note=correction["note"],
            created_at=datetime.datetime.combine(
                correction["date"], datetime.time(12), tzinfo=datetime.UTC
            ),
        )
        for correction in meta.get("corrections", [])
    )
    if status == Article.Status.PUBLISHED:
        editions.pdf_edition_schedule(article=article)
    return article


def _user(demo_user: DemoUser, password: str, author: Author) -> None:
    user, _ = get_user_model().objects.get_or_create(
        username=demo_user.username, defaults={"email": f"{demo_user.username}@localhost"}
    )
    user.is_staff = True
    user.first_name, _, user.last_name = author.name.partition(" ")
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=demo_user.group))
    author.user = user
    author.save(update_fields=["user"])
