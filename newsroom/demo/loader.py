"""The demo content: what `manage.py load_demo` (and so every `make run`) puts in the database.

Running it again changes only what is missing or differs from the files here: a second run
writes no row, no revision, no PDF. The demo users' passwords are set when they are created,
never again; a demo article edited in the admin since it was loaded is left as it is.
"""

import datetime
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone

from articles import list_counts, rendering
from articles.models import Author, Region, Series, Topic
from base.languages import default_language, language_codes
from base.pagecache import pages_changed
from base.roles import TRANSLATORS
from submissions.models import Call, MessageTemplate

from .article_files import DemoArticles

DEMO_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str  # as the command's summary names it
    groups: tuple[str, ...]
    author_slug: str = ""  # the author profile they sign as, if any
    name: str = ""  # for one who signs nothing


DEMO_USERS = (
    DemoUser("editor", "editor", ("Editors",), "rashad-mammadli"),
    DemoUser("writer", "writer", ("Writers",), "tamar-beridze"),
    # Translates into Russian and Armenian: the translation lifecycle's third role.
    DemoUser(
        "translator", "translator (ru, hy)",
        (TRANSLATORS.format("ru"), TRANSLATORS.format("hy")), name="Anahit Grigoryan",
    ),
)  # fmt: skip


@dataclass
class DemoLoad:
    """What a run found and what it did."""

    counts: dict[str, int] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)  # article slugs
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # edited in the admin since loaded
    other_changes: int = 0  # authors, series, tags, calls, users written
    new_users: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.updated or self.other_changes)


@transaction.atomic
def load_demo(*, password: str, today: datetime.date | None = None) -> DemoLoad:
    """`today` dates the demo pieces given as "N days ago" when they are first loaded."""
    today = today or timezone.now().date()
    vocabulary = tomllib.loads((DEMO_DIR / "vocabulary.toml").read_text(encoding="utf-8"))
    names = _names_in_languages()
    load = DemoLoad()
    authors = {
        a["slug"]: _synced(load, Author, a["slug"], _author_values(a, names["authors"]))
        for a in vocabulary["authors"]
    }
    series = {
        s["slug"]: _synced(load, Series, s["slug"], _series_values(s, names["series"]))
        for s in vocabulary["series"]
    }
    topics = {t["slug"]: _tag(load, Topic, t, names["topics"]) for t in vocabulary["topics"]}
    regions = {r["slug"]: _tag(load, Region, r, names["regions"]) for r in vocabulary["regions"]}
    articles = DemoArticles(authors=authors, series=series, topics=topics, regions=regions)
    paths = sorted((DEMO_DIR / "articles").glob("*.md"))
    outcomes = {"added": load.added, "updated": load.updated, "kept": load.kept}
    for path in paths:
        outcome, slug = articles.load(path, today=today)
        outcomes.get(outcome, []).append(slug)
    # Editions in the other languages, once their sources are there (editions/README.md).
    edition_paths = sorted(
        path
        for path in (DEMO_DIR / "editions").glob("*/*.md")
        if path.parent.name in language_codes()
    )
    for path in edition_paths:
        outcome, slug = articles.load_edition(path, today=today)
        outcomes.get(outcome, []).append(slug)
    for call in vocabulary.get("calls", []):
        _call(load, call, series)
    templates = tomllib.loads((DEMO_DIR / "message_templates.toml").read_text(encoding="utf-8"))
    for template in templates["templates"]:
        _message_template(load, template)
    for demo_user in DEMO_USERS:
        _user(load, demo_user, password, authors.get(demo_user.author_slug))
    if load.changed_anything:
        list_counts.lists_refresh_all()  # the articles were written here, not by the services
        pages_changed()
    load.counts = {
        "authors": len(authors),
        "series": len(series),
        "topics": len(topics),
        "regions": len(regions),
        "articles": len(paths),
        "editions": len(edition_paths),
    }
    return load


def _names_in_languages() -> dict[str, dict[str, dict]]:
    """editions/vocabulary.toml: per kind ("topics", "regions", "series", "authors") and slug,
    the `names` of the row, in the languages of settings (a series' `name` is its title)."""
    path = DEMO_DIR / "editions" / "vocabulary.toml"
    given = tomllib.loads(path.read_text(encoding="utf-8"))
    languages = set(language_codes()) - {default_language()}
    return {
        kind: {
            slug: {code: names for code, names in by_language.items() if code in languages}
            for slug, by_language in given.get(kind, {}).items()
        }
        for kind in ("topics", "regions", "series", "authors")
    }


def _synced(load: DemoLoad, model: type[models.Model], slug: str, values: dict) -> models.Model:
    """The row with this slug as the demo has it: created when missing, saved only when one
    of `values` differs; the articles showing a changed row are rendered again, as after an
    edit in the admin."""
    row = model.objects.filter(slug=slug).first()
    if row is None:
        load.other_changes += 1
        return model.objects.create(slug=slug, **values)
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        row.save()
        rendering.dependents_render(ids=rendering.dependents_of(row))
        load.other_changes += 1
    return row


def _author_values(data: dict, names: dict) -> dict:
    return {
        "name": data["name"],
        "names": names.get(data["slug"], {}),
        "title": data["title"],
        "affiliation": data["affiliation"],
        "bio": data["bio"],
        "is_contributor": not data["staff"],
        "orcid": data.get("orcid", ""),
    }


def _series_values(data: dict, names: dict) -> dict:
    return {
        "title": data["title"],
        "names": names.get(data["slug"], {}),
        "description": data["description"],
        "is_active": data["active"],
    }


def _tag(load: DemoLoad, model: type[models.Model], data: dict, names: dict):
    values = {"name": data["name"], "names": names.get(data["slug"], {})}
    tag = _synced(load, model, data["slug"], values)
    if not tag.keywords and data.get("keywords"):  # editors' own keywords are kept
        tag.keywords = "\n".join(data["keywords"])
        tag.save(update_fields=["keywords"])
        load.other_changes += 1
    return tag


def _call(load: DemoLoad, data: dict, series: dict) -> None:
    values = {
        "title": data["title"],
        "brief": data["brief"].strip(),
        "series_id": series[data["series"]].pk,
        "is_open": True,
    }
    # The deadline moves with the clock, once it has passed, so that the demo always has an
    # open call; a deadline still ahead is left where it is.
    deadline = timezone.now() + datetime.timedelta(days=data["deadline_days"])
    deadline = deadline.replace(hour=23, minute=59, second=0, microsecond=0)
    call = Call.objects.filter(slug=data["slug"]).first()
    if call is None:
        Call.objects.create(slug=data["slug"], deadline=deadline, **values)
        load.other_changes += 1
        return
    if call.deadline <= timezone.now():
        values["deadline"] = deadline
    changed = [name for name, value in values.items() if getattr(call, name) != value]
    if changed:
        for name in changed:
            setattr(call, name, values[name])
        call.save(update_fields=changed)
        load.other_changes += 1


def _message_template(load: DemoLoad, data: dict) -> None:
    """Added when missing; a text an editor has reworded since is theirs and stays."""
    _, created = MessageTemplate.objects.get_or_create(
        purpose=data["purpose"], name=data["name"], defaults={"body": data["body"].strip()}
    )
    if created:
        load.other_changes += 1


def _user(load: DemoLoad, demo_user: DemoUser, password: str, author: Author | None) -> None:
    """The demo user, with the demo password only when it is created: a password changed
    since is theirs, and setting it again would sign them out of every open tab."""
    first_name, _, last_name = (author.name if author else demo_user.name).partition(" ")
    user, created = get_user_model().objects.get_or_create(
        username=demo_user.username,
        defaults={
            "email": f"{demo_user.username}@localhost",
            "first_name": first_name,
            "last_name": last_name,
            "is_staff": True,
        },
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
        load.new_users.append(user.username)
    elif not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        load.other_changes += 1
    missing = set(demo_user.groups) - set(user.groups.values_list("name", flat=True))
    if missing:
        user.groups.add(*Group.objects.filter(name__in=missing))
        load.other_changes += 1
    if author is not None and author.user_id != user.pk:
        author.user = user
        author.save(update_fields=["user"])
        load.other_changes += 1
