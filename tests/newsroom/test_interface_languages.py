"""The interface in the reader's language: gettext catalogs (locale/) for every language but
English, complete, and the public pages under /ru/ and /fa/ with no English word of them left."""

import datetime
import html
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core import mail

from articles import services as articles
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    RegionFactory,
    TopicFactory,
    UserFactory,
)
from tests.mail import html_part, link_in, only_mail_to
from tests.submissions.conftest import filled_submission_form

LOCALE = Path(settings.LOCALE_PATHS[0])
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")
# Every language but English, the language the words are written in.
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _catalog(language: str):
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as po:
        return read_po(po, locale=language)


def _strings(message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_catalog_entry_is_translated_and_keeps_its_placeholders(language):
    catalog = _catalog(language)
    with open(LOCALE / "django.pot", "rb") as pot:
        template = read_po(pot)
    assert {m.id for m in catalog if m.id} == {m.id for m in template if m.id}, (
        "the catalog lags behind the templates: run `make messages` and translate"
    )
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        expected = set(PLACEHOLDER.findall(ids[0]))
        for string in _strings(message):
            assert string.strip(), f"{language}: no translation of {message.id!r}"
            assert set(PLACEHOLDER.findall(string)) == expected, (language, message.id, string)


def test_the_compiled_catalogs_are_up_to_date():
    for language in TRANSLATED:
        source = LOCALE / language / "LC_MESSAGES" / "django.po"
        compiled = source.with_suffix(".mo")
        assert compiled.exists() and compiled.stat().st_mtime >= source.stat().st_mtime, (
            f"{compiled} is missing or older than its catalog: run `make install`"
        )


def _english_phrases() -> list[str]:
    """The catalog's English of more than one word, in the pieces a page prints whole: split
    at the placeholders and the markup."""
    with open(LOCALE / "django.pot", "rb") as pot:
        template = read_po(pot)
    phrases = set()
    for message in template:
        for text in [message.id] if isinstance(message.id, str) else message.id:
            for piece in re.split(r"%\(\w+\)s|<[^>]+>", text):
                piece = " ".join(piece.split()).strip(' .,:;“”"()→←—')
                if len(piece.split()) > 1:
                    phrases.add(piece)
    return sorted(phrases)


def _readable(page: str) -> str:
    """What a reader sees or hears: the text, and the attributes a screen reader or a
    browser shows (placeholders, labels, titles, the description). Not the data for machines
    (the citation tags, JSON-LD), nor the references of "Cite this", which name the publisher
    as it is registered and are formatted by citeproc."""
    attributes = re.findall(r'\b(?:placeholder|aria-label|title|alt)="([^"]*)"', page)
    attributes += re.findall(r'<meta name="description" content="([^"]*)"', page)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    text = re.sub(r'<p class="cite__text".*?</p>', " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(html.unescape(" ".join([text, *attributes])).split())


@pytest.mark.django_db
@pytest.mark.parametrize("language", TRANSLATED)
def test_the_public_pages_leave_no_english_of_the_catalog(client, language):
    topic = TopicFactory(name="Energy", slug="energy")
    region = RegionFactory(name="Armenia", slug="armenia")
    ArticleFactory(
        language=language,
        slug=f"gas-{language}",
        title="Gas",
        body="Pipelines. " * 40,
        topics=[topic],
        regions=[region],
        authors=[
            AuthorFactory(
                name="Nino Beridze", slug="nino-beridze", title="Fellow", affiliation="CCSIS"
            )
        ],
    )
    pages = {
        "home": f"/{language}/",
        "article": f"/{language}/articles/gas-{language}/",
        "topics": f"/{language}/topics/",
        "topic": f"/{language}/topics/energy/",
        "search with results": f"/{language}/search/?q=pipelines",
        "search without": f"/{language}/search/?q=zzzz",
        "follow form": f"/{language}/follow/",
        "follow sent": f"/{language}/follow/sent/",
        "lost link": f"/{language}/submissions/lost-link/",
        "submission form": f"/{language}/submit/",
        "archive": f"/{language}/archive/",
        "author": f"/{language}/authors/nino-beridze/",
    }
    phrases = _english_phrases()
    for name, address in pages.items():
        response = client.get(address)
        assert response.status_code == 200, name
        _says_no_english(response, language, f"{name} ({address})", phrases)
    missing = client.get(f"/{language}/no-such-page/")
    assert missing.status_code == 404
    _says_no_english(missing, language, "the 404 page", phrases)


def _says_no_english(response, language: str, name: str, phrases: list[str]) -> None:
    assert f'<html lang="{language}"' in response.text
    seen = _readable(response.text)
    left = [phrase for phrase in phrases if phrase in seen]
    assert left == [], f"{name} still says in English: {left}"


@pytest.mark.django_db
def test_dates_follow_the_language(client):
    published = datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC)
    expected = {
        "en": "2 March 2026",
        "ru": "2 марта 2026\u202fг.",  # CLDR: a narrow no-break space before "г."
        "az": "2 mart 2026",
        "hy": "2 մարտի, 2026 թ.",
        "ka": "2 მარტი, 2026",
        "fa": "2 مارس 2026",
    }
    for language, day in expected.items():
        ArticleFactory(language=language, slug=f"dated-{language}", publish_at=published)
        prefix = "" if language == "en" else f"/{language}"
        page = client.get(f"{prefix}/articles/dated-{language}/").text
        assert f'<time datetime="2026-03-02T12:00:00+00:00">{day}</time>' in page


@pytest.mark.django_db
def test_the_submission_forms_errors_and_figures_are_in_the_readers_language(client):
    page = client.get("/ru/submit/").text
    # Figures grouped as the language writes them: a (non-breaking) space in Russian.
    assert re.search(r"Не более \d{1,3}(\xa0|&nbsp;|\s)\d{3} знаков\.", page)
    sent = client.post("/ru/submit/", {"full_name": "Анна Петросян", "phone": "12345"})
    assert sent.status_code == 400  # the form again, with what is wrong
    assert "Исправьте отмеченные ниже поля" in sent.text
    assert "Введите номер в международном формате" in sent.text
    assert 'value="Анна Петросян"' in sent.text  # what was typed is kept
    persian = client.post("/fa/submit/", {"full_name": "Sara", "phone": "12345"}).text
    assert "لطفاً شماره را به قالب بین‌المللی وارد کنید" in persian


@pytest.mark.django_db
def test_a_follower_gets_every_mail_in_the_language_chosen_on_the_form(
    client, django_capture_on_commit_callbacks
):
    topic = TopicFactory(name="Energy", slug="energy")
    follow = client.get("/fa/follow/").text
    assert re.search(r'<option value="fa" selected>', follow)  # the page's language, ticked
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/fa/follow/",
            {"email": "reader@example.org", "topics": [topic.pk], "frequency": "immediate",
             "language": "ru"},
        )  # fmt: skip
    confirmation = only_mail_to("reader@example.org")
    assert confirmation.subject == "Подтвердите подписку на рассылку Кавказского центра"
    assert "по темам: Energy" in confirmation.body
    assert '<html lang="ru" dir="ltr">' in html_part(confirmation)
    _no_english_left(confirmation.body + html_part(confirmation))
    confirm = link_in(confirmation, "/ru/follow/confirm/")
    phrases = _english_phrases()
    _says_no_english(client.get(confirm), "ru", "the confirm page", phrases)
    confirmed = client.post(confirm)
    _says_no_english(confirmed, "ru", "the confirmed page", phrases)
    manage = confirm.replace("/confirm/", "/manage/")
    _says_no_english(client.get(manage), "ru", "the manage page", phrases)
    unsubscribe = confirm.replace("/confirm/", "/unsubscribe/")
    _says_no_english(client.get(unsubscribe), "ru", "the unsubscribe page", phrases)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(draft=True, topics=[topic])
        articles.article_publish(article=article, by=UserFactory(groups=["Editors"]))
    alert = only_mail_to("reader@example.org")
    assert "Читать материал" in html_part(alert)
    _no_english_left(alert.body + html_part(alert))


def _no_english_left(message: str) -> None:
    seen = _readable(message)
    assert [phrase for phrase in _english_phrases() if phrase in seen] == []


@pytest.mark.django_db
def test_a_contributor_gets_the_mails_in_the_language_of_the_form(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SUBMISSIONS_MIN_SECONDS = 3
    vocabulary = {
        "armenia": RegionFactory(slug="armenia"),
        "iran": RegionFactory(slug="iran"),
        "corridors": TopicFactory(slug="corridors"),
    }
    form = client.get("/hy/submit/").text
    assert re.search(r'<option value="hy" selected>', form)  # the page's language, ticked
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/hy/submit/", filled_submission_form(vocabulary, language="fa"))
    assert sent.status_code == 302
    phrases = _english_phrases()
    _says_no_english(client.get(sent["Location"]), "hy", "the sent page", phrases)
    confirmation = only_mail_to("nare@example.org")
    assert confirmation.subject == "ارسال شبیه‌سازی «A month without the Meghri road» را تأیید کنید"
    assert '<html lang="fa" dir="rtl">' in html_part(confirmation)
    _no_english_left(confirmation.body + html_part(confirmation))
    mail.outbox.clear()
    confirm = link_in(confirmation, "/fa/submissions/confirm/")
    _says_no_english(client.get(confirm), "fa", "the confirm page", phrases)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(confirm, follow=True)
    _says_no_english(confirmed, "fa", "the confirmed page", phrases)
    received = only_mail_to("nare@example.org")
    assert "در دست سردبیران" in received.subject
    assert "/fa/submissions/track/" in received.body
    _no_english_left(received.body + html_part(received))


@pytest.mark.django_db
def test_what_an_empty_search_offers_is_kept_once_per_language(client, settings):
    settings.FRAGMENT_CACHE_SECONDS = 300
    ArticleFactory(topics=[TopicFactory(name="Energy")])
    assert "Browse by topic" in client.get("/search/?q=zzzz").text
    assert "Темы" in client.get("/ru/search/?q=zzzz").text.split("search-explore", 1)[1]
    assert "Browse by topic" in client.get("/search/?q=zzzz").text
