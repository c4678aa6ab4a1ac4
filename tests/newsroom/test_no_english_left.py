"""Issue 22, "every word of the interface in the reader's language": a Russian and a Persian
reader walk the site (home, an article, a topic page, search, the follow and submission forms,
a contributor's tracking and withdraw pages, the error pages, the feed, the PDF edition) and
read their mails (the follower's confirmation and alert), and no English of the catalog is
left: no msgid that the language's catalog translates differently appears as text they see.

Stricter than the page walk of test_interface_languages.py, which looks for phrases of two
words or more: here single words count too ("Preview", "History", "Withdrawn"), as whole
words, so a status or a heading left in English is found."""

import datetime
import html
import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import timezone, translation
from django.views import defaults

from articles import pdf
from articles import services as articles
from articles.models import Article
from submissions.models import Submission, SubmissionEvent
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    RegionFactory,
    SubmissionFactory,
    TopicFactory,
    UserFactory,
)
from tests.mail import html_part, link_in, only_mail_to

LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = ["ru", "fa"]

# Words a reader meets as they are in every language: names of things, not interface words.
PROPER_NAMES = {"ORCID", "ORCID iD", "DOI", "RSS", "Atom", "PDF", "Markdown", "BibTeX", "RIS"}

# What each language's test content says, so that nothing English comes from the content.
CONTENT = {
    "ru": {
        "topic": "Энергетика",
        "region": "Армения",
        "title": "Газовые маршруты после 2023 года",
        "dek": "Что изменилось и почему это важно.",
        "body": "## Предыстория\n\nТрубопроводы и транзит через регион.\n\n"
        "## Перспективы\n\nТрубопроводы снова в центре внимания.",
        "other": "Транзит и дипломатия",
        "word": "трубопроводы",
        "outlet": "Кавказский вестник",
        "author": "Нино Беридзе",
    },
    "fa": {
        "topic": "انرژی",
        "region": "ارمنستان",
        "title": "مسیرهای گاز پس از ۲۰۲۳",
        "dek": "چه چیزی تغییر کرد و چرا اهمیت دارد.",
        "body": "## پیشینه\n\nخط لوله و ترانزیت از منطقه.\n\n"
        "## چشم‌انداز\n\nخط لوله دوباره در کانون توجه است.",
        "other": "ترانزیت و دیپلماسی",
        "word": "لوله",
        "outlet": "پیک قفقاز",
        "author": "نینو بریدزه",
    },
}


@cache
def _english_of_the_catalog(language: str) -> tuple[re.Pattern, ...]:
    """Every English msgid the language's catalog translates differently, cut into the pieces
    a page prints whole (at placeholders and markup), each as a whole-word, case-sensitive
    pattern."""
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as po:
        catalog = read_po(po, locale=language)
    pieces, translations = set(), []
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        translations += strings
        if ids[0] in strings:  # the same in this language: a name, a code
            continue
        for text in ids:
            for piece in re.split(r"%\(\w+\)s|%%|\{\w+\}|<[^>]+>", text):
                piece = " ".join(piece.split()).strip(" .,:;!?…“”\"'()[]→←—–·*")
                if re.search(r"[A-Za-z]{2,}", piece) and piece not in PROPER_NAMES:
                    pieces.add(piece)
    # A piece a translation keeps as is is no English left: the search operator `or`.
    kept = {p for p in pieces if any(re.search(rf"\b{re.escape(p)}\b", t) for t in translations)}
    return tuple(
        re.compile(rf"(?<![\w-]){re.escape(piece)}(?![\w-])") for piece in sorted(pieces - kept)
    )


def _readable(page: str) -> str:
    """What a reader sees or hears: the text and the attributes a browser shows or a screen
    reader reads, plus the counter's words (static/js/counter.js prints them). Not addresses,
    nor the machines' data (scripts, JSON-LD, citation tags), nor "Cite this" and the PDF's
    suggested citation, formatted by citeproc in the citation style's own words."""
    attributes = re.findall(
        r'\b(?:placeholder|aria-label|title|alt|data-counter-text)="([^"]*)"', page
    )
    attributes += re.findall(r'<meta name="description" content="([^"]*)"', page)
    text = re.sub(r"<(script|style|template)\b.*?</\1>", " ", page, flags=re.S)
    text = re.sub(r'<p class="cite__text".*?</p>', " ", text, flags=re.S)
    text = re.sub(r'<dd class="citation__reference".*?</dd>', " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = html.unescape(" ".join([text, *attributes]))
    text = re.sub(r"(?:https?://|mailto:)\S+|\S+@\S+", " ", text)
    return " ".join(text.split())


def _english_left(language: str, text: str) -> list[str]:
    seen = _readable(text)
    return [found.pattern for found in _english_of_the_catalog(language) if found.search(seen)]


def _content(language: str) -> dict:
    words = CONTENT[language]
    topic = TopicFactory(name="Energy", slug="energy", names={language: {"name": words["topic"]}})
    region = RegionFactory(
        name="Armenia", slug="armenia", names={language: {"name": words["region"]}}
    )
    author = AuthorFactory(
        name="Nino Beridze",
        slug="nino-beridze",
        title="",
        affiliation="",
        names={language: {"name": words["author"]}},
    )
    shared = {"language": language, "topics": [topic], "regions": [region], "authors": [author]}
    article = ArticleFactory(
        slug=f"gas-{language}",
        title=words["title"],
        dek=words["dek"],
        body=words["body"],
        rights=Article.Rights.REPUBLISHED,
        source_outlet=words["outlet"],
        original_author=words["author"],
        source_published_on=datetime.date(2026, 3, 2),
        **shared,
    )
    ArticleFactory(
        slug=f"transit-{language}", title=words["other"], dek="", body=words["body"], **shared
    )
    return {"topic": topic, "article": article}


def _submission(language: str) -> Submission:
    words = CONTENT[language]["title"]  # what a contributor typed, in the language
    submission = SubmissionFactory(
        status=Submission.Status.REVISION_REQUESTED,
        language=language,
        full_name=CONTENT[language]["author"],
        professional_title=words,
        bio=words,
        title=words,
        summary=words,
        scenario=words,
        assumptions=words,
        outcomes=words,
    )
    start = timezone.now() - datetime.timedelta(days=3)
    steps = [("contributor", "", "submitted"), ("Editor", "submitted", "in_review"),
             ("Editor", "in_review", "revision_requested")]  # fmt: skip
    for day, (actor, before, after) in enumerate(steps):
        SubmissionEvent.objects.create(
            submission=submission,
            actor_label=actor,
            from_status=before,
            to_status=after,
            created_at=start + datetime.timedelta(days=day),
        )
    return submission


def _error_pages(language: str) -> dict[str, str]:
    """The 400, 403 and 500 pages as Django's handlers render them for a page of the language."""
    request = RequestFactory().get(f"/{language}/")
    with translation.override(language):
        return {
            "the 400 page": defaults.bad_request(request, Exception()).content.decode(),
            "the 403 page": defaults.permission_denied(
                request, PermissionDenied()
            ).content.decode(),
            "the 500 page": defaults.server_error(request).content.decode(),
        }


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reader_sees_no_english_of_the_catalog(client, language):
    content = _content(language)
    submission = _submission(language)
    track = f"/{language}/submissions/track/{submission.tracking_secret}/"
    pages = {
        "home": f"/{language}/",
        "article": content["article"].get_absolute_url(),
        "topic page": f"/{language}/topics/energy/",
        "search": f"/{language}/search/?q={CONTENT[language]['word']}",
        "follow form": f"/{language}/follow/",
        "submission form": f"/{language}/submit/",
        "tracking page": track,
        "withdraw page": f"{track}withdraw/",
        "feed": f"/{language}/feed/",
        "topic feed": f"/{language}/topics/energy/feed/",
    }
    left = {}
    for name, address in pages.items():
        response = client.get(address)
        assert response.status_code == 200, (name, address)
        if name.endswith("feed"):
            assert f"<language>{language}</language>" in response.text
        else:
            assert f'<html lang="{language}"' in response.text, name
        left[name] = _english_left(language, response.text)
    missing = client.get(f"/{language}/no-such-page/")
    assert missing.status_code == 404
    left["the 404 page"] = _english_left(language, missing.text)
    for name, page in _error_pages(language).items():
        assert f'<html lang="{language}"' in page, name
        left[name] = _english_left(language, page)
    edition = pdf.edition_html(content["article"], corrected_on=timezone.now())
    left["PDF edition"] = _english_left(language, edition)
    assert {name: words for name, words in left.items() if words} == {}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_followers_mails_leave_no_english_of_the_catalog(
    client, language, django_capture_on_commit_callbacks
):
    content = _content(language)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/{language}/follow/",
            {"email": "reader@example.org", "topics": [content["topic"].pk],
             "frequency": "immediate", "language": language},
        )  # fmt: skip
    confirmation = only_mail_to("reader@example.org")
    assert f'<html lang="{language}"' in html_part(confirmation)
    text = "\n".join([confirmation.subject, confirmation.body, html_part(confirmation)])
    assert _english_left(language, text) == [], "the confirmation"
    confirm = link_in(confirmation, f"/{language}/follow/confirm/")
    client.post(confirm)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(
            draft=True, language=language, title=CONTENT[language]["other"],
            dek=CONTENT[language]["dek"], topics=[content["topic"]],
        )  # fmt: skip
        articles.article_publish(article=article, by=UserFactory(groups=["Editors"]))
    alert = only_mail_to("reader@example.org")
    text = "\n".join([alert.subject, alert.body, html_part(alert)])
    # The kind and the date in the reader's language too: no "Analysis", no "December".
    assert _english_left(language, text) == [], "the alert"
    assert not re.search(r"January|February|March|April|May|June|July|August|September|"
                         r"October|November|December", alert.body)  # fmt: skip
