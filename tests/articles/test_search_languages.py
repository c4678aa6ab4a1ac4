"""Search per language: each edition found in its own language's way (stems for English,
Russian and Armenian; Python's normalisation for Azerbaijani, Georgian and Persian), the
page's language by default, every language on request, and the other languages offered
when this one has nothing. The relevance set below is small and written for these tests:
each query with the titles it must bring first. PostgreSQL for the relevance (marked
`postgres`); the plain search on SQLite keeps answering."""

import html
import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from articles import search_text
from articles.models import Article, search_vector_expression
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# Per language: (title, standfirst, body) of each edition.
EDITIONS = {
    "en": [
        ("Drones over Karabakh", "A new kind of war.", "Loitering munitions changed the front."),
        ("Sanctions and the pipeline", "Ceyhan.", "Exports through the Ceyhan terminal grew."),
        ("Peacekeepers leave", "", "The drone footage showed the last convoy."),
    ],
    "ru": [
        ("Карабах после войны", "Хрупкий мир.", "Миротворцы уходят раньше срока."),
        ("Газопровод через Грузию", "", "Поставки газа из Азербайджана в Европу растут."),
        ("Лачинский коридор", "", "Жители Карабаха ждут. Объединённые нации молчат."),
    ],
    "hy": [
        ("Ղարաբաղի հակամարտությունը", "", "Խաղաղապահները լքում են տարածաշրջանը։"),
        ("Գազատար Վրաստանով", "", "Էներգետիկ անվտանգությունը և Ղարաբաղում կյանքը։"),
    ],
    "ka": [
        ("საქართველოს ენერგეტიკული უსაფრთხოება", "", "ბათუმის პორტი იზრდება."),
        ("ლაჩინის დერეფანი", "", "გზა კვლავ დაკეტილია."),
    ],
    "az": [
        ("İlham Əliyevin Brüssel səfəri", "", "Azərbaycan ilə Avropa İttifaqı qaz razılaşması."),
        ("Qarabağda sülhməramlılar", "", "Bakı–Tbilisi–Ceyhan kəməri işləyir."),
    ],
    "fa": [
        # Written with Arabic letters (ي ك), a tatweel and a diacritic, as pasted sources are.
        ("تنش‌های مرزی ايران و آذربايجان", "", "كريدور زنگزور و مَرز قفـــقاز."),
        ("کتاب‌های تازه درباره قفقاز", "", "کتابخانه‌ها در تبریز."),
    ],
}

# (language, query, the titles it finds, in order).
RELEVANCE = [
    ("en", "drone", ["Drones over Karabakh", "Peacekeepers leave"]),  # title before body
    ("en", "sanctioned pipelines", ["Sanctions and the pipeline"]),
    ("en", "Ceyhan", ["Sanctions and the pipeline"]),
    # Russian declines: "Карабаха" is "Карабах" (the old English configuration found only
    # the title that spells it so), "газопроводы" is "газопровод", ё is е.
    ("ru", "Карабах", ["Карабах после войны", "Лачинский коридор"]),
    ("ru", "газопроводы", ["Газопровод через Грузию"]),
    ("ru", "миротворцев", ["Карабах после войны"]),
    ("ru", "объединенные нации", ["Лачинский коридор"]),
    ("hy", "Ղարաբաղ", ["Ղարաբաղի հակամարտությունը", "Գազատար Վրաստանով"]),
    ("hy", "խաղաղապահներ", ["Ղարաբաղի հակամարտությունը"]),
    ("hy", "գազատարի", ["Գազատար Վրաստանով"]),
    ("ka", "ბათუმის", ["საქართველოს ენერგეტიკული უსაფრთხოება"]),
    ("ka", "ᲑᲐᲗᲣᲛᲘᲡ", ["საქართველოს ენერგეტიკული უსაფრთხოება"]),  # Georgian capitals
    ("ka", "დერეფანი", ["ლაჩინის დერეფანი"]),
    # Azerbaijani: I, ı, İ and i are one letter to a reader on another keyboard.
    ("az", "ilham", ["İlham Əliyevin Brüssel səfəri"]),
    ("az", "ILHAM", ["İlham Əliyevin Brüssel səfəri"]),
    ("az", "ittifaqi", ["İlham Əliyevin Brüssel səfəri"]),
    ("az", "Qarabağda", ["Qarabağda sülhməramlılar"]),
    # Persian: ی and ي, ک and ك are one letter; tatweel and diacritics change nothing; a
    # zero-width non-joiner separates as PostgreSQL's parser does ("تنش‌ها" has "تنش").
    ("fa", "کریدور", ["تنش‌های مرزی ايران و آذربايجان"]),
    ("fa", "ايران", ["تنش‌های مرزی ايران و آذربايجان"]),
    ("fa", "ایران", ["تنش‌های مرزی ايران و آذربايجان"]),
    ("fa", "تنش", ["تنش‌های مرزی ايران و آذربايجان"]),
    ("fa", "مرز قفقاز", ["تنش‌های مرزی ايران و آذربايجان"]),
    ("fa", "کتاب‌های", ["کتاب‌های تازه درباره قفقاز"]),
    ("fa", "مَرز قفـقاز", ["تنش‌های مرزی ايران و آذربايجان"]),  # typed with marks too
]


def _prefix(language: str) -> str:
    return "" if language == "en" else f"/{language}"


def _titles(page: str) -> list[str]:
    found = re.search(r'<ol class="card-list results">(.*?)</ol>', page, re.S)
    titles = re.findall(
        r'class="card__title"[^>]*><a href="[^"]+">([^<]+)</a>', found.group(1) if found else ""
    )
    return [html.unescape(t) for t in titles]


@pytest.fixture
def editions():
    for language, rows in EDITIONS.items():
        for title, dek, body in rows:
            ArticleFactory(language=language, title=title, dek=dek, body=body)


@pytest.mark.parametrize(("language", "q", "expected"), RELEVANCE)
def test_each_language_finds_its_editions_in_its_own_way(
    client, postgres, editions, language, q, expected
):
    page = client.get(f"{_prefix(language)}/search/", {"q": q}).text
    assert _titles(page) == expected


def test_a_search_is_in_the_pages_language_unless_every_language_is_asked(
    client, postgres, editions
):
    # "Ceyhan" is spelt alike in English and Azerbaijani.
    assert _titles(client.get("/search/", {"q": "Ceyhan"}).text) == ["Sanctions and the pipeline"]
    assert _titles(client.get("/az/search/", {"q": "Ceyhan"}).text) == ["Qarabağda sülhməramlılar"]
    page = client.get("/search/", {"q": "Ceyhan", "language": "all"}).text
    assert sorted(_titles(page)) == ["Qarabağda sülhməramlılar", "Sanctions and the pipeline"]
    # The other language's edition is marked as such, and the box stays ticked.
    assert '<h2 class="card__title" lang="az" dir="ltr">' in page
    assert 'name="language" value="all" checked' in page
    # Every language, each in its own way: Russian stems, Persian letters folded.
    assert len(_titles(client.get("/search/", {"q": "Карабаха", "language": "all"}).text)) == 2
    assert _titles(client.get("/ru/search/", {"q": "ايران", "language": "all"}).text) == [
        "تنش‌های مرزی ايران و آذربايجان"
    ]


def test_the_filters_and_pages_of_a_search_in_every_language_keep_it(client, postgres):
    for n in range(3):
        ArticleFactory(language="ru", title=f"Газопровод {n}", body="Газ.")
    page = client.get("/search/", {"q": "газопровод", "language": "all"}).text
    assert len(_titles(page)) == 3
    facet_links = re.findall(r'<aside class="facets".*?</aside>', page, re.S)[0]
    assert "language=all" in facet_links


def test_nothing_in_this_language_offers_the_languages_that_have_it(client, postgres, editions):
    page = client.get("/search/", {"q": "Карабах"}).text
    assert _titles(page) == []
    block = re.search(r'<div class="elsewhere">(.*?)</div>', page, re.S).group(1)
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a> <span class="count">([^<]+)<', block)
    assert links == [
        ("/ru/search/?q=%D0%9A%D0%B0%D1%80%D0%B0%D0%B1%D0%B0%D1%85", "Русский", "2 results")
    ]
    # The link is the same search on the Russian page, which finds both.
    assert len(_titles(client.get(html.unescape(links[0][0])).text)) == 2
    # A query found nowhere offers no language.
    assert 'class="elsewhere"' not in client.get("/search/", {"q": "qwxz"}).text


def test_a_search_in_another_language_is_never_served_from_the_page_cache(client, settings):
    # The page cache keys a page on its path and page number alone: "/ru/search/" was kept
    # like any list, and the first query's page answered every other query.
    settings.PAGE_CACHE_SECONDS = 300
    ArticleFactory(language="ru", title="Газопровод через Грузию", body="Газ.")
    ArticleFactory(language="ru", title="Лачинский коридор", body="Дорога.")
    first = client.get("/ru/search/", {"q": "Газопровод"})
    second = client.get("/ru/search/", {"q": "коридор"})
    assert _titles(first.text) == ["Газопровод через Грузию"]
    assert _titles(second.text) == ["Лачинский коридор"]
    assert "X-Page-Cache" not in second


def test_the_api_searches_the_language_it_is_asked_for(client, postgres, editions):
    def slugs(**params):
        results = client.get("/api/v1/articles/", params).json()["results"]
        return sorted(a["language"] for a in results)

    assert slugs(q="Карабах", language="ru") == ["ru", "ru"]
    assert slugs(q="Карабах", language="en") == []
    assert slugs(q="Карабах") == ["ru", "ru"]  # every language, each in its own way
    assert slugs(q="Ceyhan") == ["az", "en"]


def test_snippets_highlight_words_written_with_other_letters(client, postgres, editions):
    page = client.get("/fa/search/", {"q": "کریدور"}).text
    snippet = re.search(r'<p class="snippet"[^>]*>(.*?)</p>', page, re.S).group(1)
    # Found through the folded letters, shown as the article writes it.
    assert "<mark>كريدور</mark>" in snippet
    page = client.get("/az/search/", {"q": "ittifaqi"}).text
    assert "<mark>İttifaqı</mark>" in page


def test_the_migration_computes_every_edition_again_in_its_language(postgres):
    article = ArticleFactory(language="ru", title="Карабах", body="Жители Карабаха.")
    # As migration 0006 left it: every row in the English configuration.
    Article.objects.filter(pk=article.pk).update(search_vector=search_vector_expression())
    migration = importlib.import_module("articles.migrations.0023_search_languages")
    migration.recompute_vectors(apps, SimpleNamespace(connection=connection))
    vector = Article.objects.values_list("search_vector", flat=True).get(pk=article.pk)
    # Russian stems ('жител'), and the words as written beside them, each marked Russian.
    assert {"'ru:жител'", "'ru:жители'", "'ru:караб'", "'ru:карабах'"} <= {
        lexeme.rsplit(":", 1)[0] for lexeme in vector.split()
    }


def test_the_search_answers_on_any_database_in_the_pages_language(client, editions):
    # On SQLite (the embedded run) the plain search keeps answering, in the page's language.
    assert _titles(client.get("/ru/search/", {"q": "Газопровод"}).text) == [
        "Газопровод через Грузию"
    ]
    assert _titles(client.get("/search/", {"q": "Ceyhan"}).text) == ["Sanctions and the pipeline"]
    page = client.get("/search/", {"q": "Ceyhan", "language": "all"}).text
    assert sorted(_titles(page)) == ["Qarabağda sülhməramlılar", "Sanctions and the pipeline"]


@pytest.mark.parametrize(
    ("written", "searched"),
    [
        ("كتاب", "کتاب"),
        ("قفـــقاز", "قفقاز"),
        ("مَرز", "مرز"),
        ("می‌خواهند", "می خواهند"),
        ("İlham ILHAM ılham", "ilham ilham ilham"),
        ("Объединённые", "объединенные"),
        ("ᲑᲐᲗᲣᲛᲘ", "ბათუმი"),
        ("۱۴۰۲", "1402"),
    ],
)
def test_one_normalisation_reads_texts_and_queries(written, searched):
    assert search_text.normalise(written) == searched


def test_a_new_language_needs_only_settings(settings):
    assert search_text.search_config("de") == "simple"
    settings.SEARCH_CONFIGS = {"de": "german"}
    assert search_text.search_config("de") == "german"
    assert search_text.search_config("ru") == "russian"
