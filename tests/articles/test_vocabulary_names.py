"""Topic, region and series names and descriptions in each language, and an author's name in
each script: on pages, cards, feeds, JSON-LD, the API, alerts and the admin."""

import json
import re

import pytest
from django.core import mail

from articles.models import Author, Topic
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    RegionFactory,
    SeriesFactory,
    TopicFactory,
)
from tests.forms import form_as_shown

pytestmark = pytest.mark.django_db


def _edition(source, language: str, **fields):
    return ArticleFactory(
        language=language,
        translation_key=source.translation_key,
        translation_of=source,
        **fields,
    )


def _diplomacy() -> Topic:
    return TopicFactory(
        name="Diplomacy",
        slug="diplomacy",
        description="Talks, treaties and envoys.",
        names={"ru": {"name": "Дипломатия", "description": "Переговоры, договоры и посланники."}},
    )


def _cards(html: str) -> str:
    """The page's list of cards, without its header and navigation."""
    return html.split('<div class="card-list', 1)[1] if '<div class="card-list' in html else html


def _jsonld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_a_russian_topic_page_is_named_and_described_in_russian(client):
    _diplomacy()
    page = client.get("/ru/topics/diplomacy/").text
    assert "<title>Дипломатия — " in page
    assert "<h1>Дипломатия</h1>" in page
    assert "Переговоры, договоры и посланники." in page
    assert "Diplomacy" not in page and "Talks, treaties" not in page
    # the feed's link in the head, and the feed itself
    assert 'title="Кавказский центр — Дипломатия (RSS)"' in page
    feed = client.get("/ru/topics/diplomacy/feed/").text
    assert "<title>Кавказский центр — Дипломатия</title>" in feed
    # English keeps its own
    assert "<h1>Diplomacy</h1>" in client.get("/topics/diplomacy/").text


def test_a_russian_card_names_its_topic_series_and_author_in_russian(client):
    topic = _diplomacy()
    series = SeriesFactory(title="After the ceasefire", names={"ru": {"name": "После перемирия"}})
    author = AuthorFactory(name="Leyla Huseynova", names={"ru": {"name": "Лейла Гусейнова"}})
    source = ArticleFactory(title="Talks resume", topics=[topic])
    _edition(
        source,
        "ru",
        title="Переговоры возобновились",
        topics=[topic],
        series=series,
        series_position=1,
        authors=[author],
    )
    cards = _cards(client.get("/ru/topics/diplomacy/").text)
    assert "Переговоры возобновились" in cards
    assert ">Дипломатия</a>" in cards and ">После перемирия</a>" in cards
    assert ">Лейла Гусейнова</a>" in cards
    assert "Diplomacy" not in cards and "Leyla" not in cards
    # The English card of the source keeps the English name.
    assert ">Diplomacy</a>" in _cards(client.get("/topics/diplomacy/").text)


def test_an_armenian_edition_signs_with_the_armenian_spelling(client):
    author = AuthorFactory(name="Anna Grigoryan", names={"hy": {"name": "Աննա Գրիգորյան"}})
    region = RegionFactory(name="Armenia", slug="armenia", names={"hy": {"name": "Հայաստան"}})
    source = ArticleFactory(title="Yerevan's choice", authors=[author], regions=[region])
    edition = _edition(
        source, "hy", title="Երևանի ընտրությունը", slug="yerevani-yntrutyuny", authors=[author]
    )
    edition.regions.set([region])
    page = client.get("/hy/articles/yerevani-yntrutyuny/").text
    byline = page.split('<p class="byline">', 1)[1].split("</p>", 1)[0]
    assert "Աննա Գրիգորյան" in byline and "Anna Grigoryan" not in byline
    assert ">Հայաստան</a>" in page  # the region under the article
    jsonld = _jsonld(page)
    assert [a["name"] for a in jsonld["author"]] == ["Աննա Գրիգորյան"]
    assert "Հայաստան" in jsonld["keywords"]
    # The English source keeps the name as the author writes it in English.
    assert "Anna Grigoryan" in client.get(source.get_absolute_url()).text


def test_a_language_without_a_translation_shows_the_english_name(client):
    TopicFactory(name="Sanctions", slug="sanctions", description="Who is cut off from what.")
    author = AuthorFactory(name="Yonatan Levi", names={"ru": {"name": "Йонатан Леви"}})
    source = ArticleFactory(authors=[author])
    _edition(source, "ka", slug="tbilisi", title="თბილისი", authors=[author])
    page = client.get("/ka/topics/sanctions/").text
    assert "<h1>Sanctions</h1>" in page and "Who is cut off from what." in page
    byline = client.get("/ka/articles/tbilisi/").text.split('<p class="byline">', 1)[1]
    assert "Yonatan Levi" in byline.split("</p>", 1)[0]


def test_changing_a_translated_name_in_the_admin_renders_the_cards_again(
    client, editor_client, django_capture_on_commit_callbacks
):
    topic = _diplomacy()
    source = ArticleFactory(topics=[topic])
    _edition(source, "ru", title="Переговоры возобновились", topics=[topic])
    assert ">Дипломатия</a>" in _cards(client.get("/ru/topics/diplomacy/").text)  # rendered
    change = f"/admin/articles/topic/{topic.pk}/change/"
    data = form_as_shown(editor_client.get(change).text, "topic_form")
    data["names_ru_name"] = ["Дипломатия и переговоры"]
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(change, data).status_code == 302
    cards = _cards(client.get("/ru/topics/diplomacy/").text)
    assert ">Дипломатия и переговоры</a>" in cards and ">Дипломатия</a>" not in cards


def test_the_api_names_each_articles_tags_in_its_own_language_and_lists_in_the_one_asked(client):
    topic = _diplomacy()
    series = SeriesFactory(
        title="After the ceasefire",
        slug="after-the-ceasefire",
        description="From 2020 on.",
        names={"ru": {"name": "После перемирия", "description": "С 2020 года."}},
    )
    source = ArticleFactory(topics=[topic], series=series, series_position=1)
    _edition(source, "ru", slug="peregovory", topics=[topic], series=series, series_position=1)
    [item] = client.get("/api/v1/articles/?language=ru").json()["results"]
    assert item["topics"] == [{"name": "Дипломатия", "slug": "diplomacy"}]
    assert item["series"]["title"] == "После перемирия"
    [english] = client.get("/api/v1/articles/?language=en").json()["results"]
    assert english["topics"] == [{"name": "Diplomacy", "slug": "diplomacy"}]
    detail = client.get("/api/v1/articles/peregovory/").json()
    assert detail["topics"][0]["name"] == "Дипломатия"

    [listed] = client.get("/api/v1/topics/?language=ru").json()
    assert (listed["name"], listed["slug"]) == ("Дипломатия", "diplomacy")
    assert listed["url"].endswith("/ru/topics/diplomacy/")  # the page in that language
    english = client.get("/api/v1/topics/").json()[0]["url"]
    assert english.endswith("/topics/diplomacy/") and "/ru/" not in english
    [listed] = client.get("/api/v1/series/?language=ru").json()
    assert (listed["title"], listed["description"]) == ("После перемирия", "С 2020 года.")
    [listed] = client.get("/api/v1/series/?language=hy").json()  # none in Armenian
    assert listed["title"] == "After the ceasefire"
    refused = client.get("/api/v1/topics/?language=xx")
    assert refused.status_code == 400 and "language" in refused.json()["errors"]


def test_an_editor_saves_a_georgian_name_on_the_topic_form(editor_client):
    topic = TopicFactory(name="Energy security", slug="energy-security")
    change = f"/admin/articles/topic/{topic.pk}/change/"
    form = editor_client.get(change).text
    assert 'name="names_ka_name"' in form and 'name="names"' not in form  # no raw JSON
    persian = re.search(r'<input[^>]*name="names_fa_name"[^>]*>', form).group(0)
    assert 'dir="rtl"' in persian and 'lang="fa"' in persian
    data = form_as_shown(form, "topic_form")
    data["names_ka_name"] = ["ენერგეტიკული უსაფრთხოება"]
    data["names_ka_description"] = ["მილსადენები და კონტრაქტები."]
    assert editor_client.post(change, data).status_code == 302
    topic.refresh_from_db()
    assert topic.names == {
        "ka": {"name": "ენერგეტიკული უსაფრთხოება", "description": "მილსადენები და კონტრაქტები."}
    }
    assert topic.name_in("ka") == "ენერგეტიკული უსაფრთხოება"
    # Shown again on the form, and emptied away.
    form = editor_client.get(change).text
    assert 'value="ენერგეტიკული უსაფრთხოება"' in form
    data = form_as_shown(form, "topic_form")
    data["names_ka_name"], data["names_ka_description"] = [""], [""]
    assert editor_client.post(change, data).status_code == 302
    topic.refresh_from_db()
    assert topic.names == {} and topic.name_in("ka") == "Energy security"


def test_an_author_form_takes_a_name_per_script_and_refuses_a_line_break(editor_client):
    author = AuthorFactory(name="Tamar Beridze", slug="tamar-beridze")
    change = f"/admin/articles/author/{author.pk}/change/"
    data = form_as_shown(editor_client.get(change).text, "author_form")
    data["names_ka_name"] = ["თამარ\nბერიძე"]
    refused = editor_client.post(change, data)
    assert refused.status_code == 200 and "names_ka_name" in refused.text
    data["names_ka_name"] = ["თამარ ბერიძე"]
    assert editor_client.post(change, data).status_code == 302
    assert Author.objects.get(pk=author.pk).name_in("ka") == "თამარ ბერიძე"


def test_a_topic_alert_names_the_topics_in_the_readers_language(
    client, editor, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from articles import services
    from notifications.models import Follower

    topic = _diplomacy()
    reader = Follower.objects.create(
        email="reader@example.org", language="ru", confirmed_at=timezone.now()
    )
    reader.topics.add(topic)
    draft = ArticleFactory(draft=True, title="Talks resume", topics=[topic])
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=draft, by=editor)
    [alert] = [m for m in mail.outbox if m.to == ["reader@example.org"]]
    assert "Дипломатия" in alert.body and "Diplomacy" not in alert.body


def test_the_demo_loads_the_names_in_each_language_and_its_editions_show_them(client):
    from articles.models import Article, Series
    from newsroom.demo.loader import load_demo

    load_demo(password="demo-password")
    assert Topic.objects.get(slug="arms-trade").name_in("ru") == "Торговля оружием"
    assert Author.objects.get(slug="anna-grigoryan").name_in("hy") == "Աննա Գրիգորյան"
    assert Series.objects.get(slug="after-the-ceasefire").description_in("fa").startswith("از")
    armenian = Article.objects.published().filter(language="hy").first()
    page = client.get(armenian.get_absolute_url()).text
    byline = page.split('<p class="byline">', 1)[1].split("</p>", 1)[0]
    names = [author.names["hy"]["name"] for author in armenian.ordered_authors()]
    assert names and all(name in byline for name in names)
    # A second run finds the names as they are: nothing written.
    assert not load_demo(password="demo-password").changed_anything


def test_the_persian_topic_index_is_in_the_persian_alphabets_order(client):
    # By code point, پ (U+067E) would come after every Arabic letter, ت and د included.
    for slug, name in (("arms", "تجارت تسلیحات"), ("drones", "پهپادها"), ("energy", "امنیت")):
        TopicFactory(slug=slug, name=slug.title(), names={"fa": {"name": name}})
    page = client.get("/fa/topics/").text
    shown = re.findall(r'<li><a href="/fa/topics/[\w-]+/" dir="auto">([^<]+)</a>', page)
    assert shown == ["امنیت", "پهپادها", "تجارت تسلیحات"]
