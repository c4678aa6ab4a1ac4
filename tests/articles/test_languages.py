"""Editions in the region's languages: addresses by language, the switcher and hreflang."""

import io
import re

import pytest

from notifications.purges import keys_for_article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _edition(source, language: str, **fields):
    return ArticleFactory(
        language=language,
        translation_key=source.translation_key,
        translation_of=source,
        **fields,
    )


def _hreflang(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"', html))


def _switcher(html: str) -> str:
    return html.split('<nav class="languages"', 1)[1].split("</nav>", 1)[0]


def test_each_edition_lives_under_its_languages_prefix_with_its_language_and_direction(client):
    source = ArticleFactory(title="Karabakh after 2023", slug="karabakh-after-2023")
    _edition(source, "ru", title="Карабах после 2023 года", slug="karabakh-posle-2023-goda")
    _edition(source, "fa", title="قره‌باغ پس از ۲۰۲۳", slug="qrhbgh-ps-z-2023")
    english = client.get("/articles/karabakh-after-2023/")
    russian = client.get("/ru/articles/karabakh-posle-2023-goda/")
    persian = client.get("/fa/articles/qrhbgh-ps-z-2023/")
    assert '<html lang="en" dir="ltr">' in english.text
    assert '<html lang="ru" dir="ltr">' in russian.text
    assert "Карабах после 2023 года" in russian.text
    assert '<html lang="fa" dir="rtl">' in persian.text
    # An edition asked for under another language's prefix moves to its own address.
    moved = client.get("/articles/karabakh-posle-2023-goda/")
    assert (moved.status_code, moved["Location"]) == (301, "/ru/articles/karabakh-posle-2023-goda/")
    assert client.get("/ru/articles/karabakh-after-2023/")["Location"] == (
        "/articles/karabakh-after-2023/"
    )


def test_hreflang_is_reciprocal_names_itself_and_a_default_and_never_a_draft(client, settings):
    source = ArticleFactory(slug="lachin-road")
    _edition(source, "hy", slug="lachini-chanaparh")
    _edition(source, "ka", slug="lachinis-gza", draft=True)
    site = settings.SITE_URL
    expected = {
        "en": f"{site}/articles/lachin-road/",
        "hy": f"{site}/hy/articles/lachini-chanaparh/",
        "x-default": f"{site}/articles/lachin-road/",
    }
    for url in ("/articles/lachin-road/", "/hy/articles/lachini-chanaparh/"):
        page = client.get(url).text
        assert _hreflang(page) == expected
        assert "lachinis-gza" not in page  # the Georgian draft is named nowhere
    assert client.get("/ka/articles/lachinis-gza/").status_code == 404


def test_the_switcher_links_the_same_piece_or_says_there_is_none_and_links_that_home(client):
    source = ArticleFactory(slug="minsk-group")
    _edition(source, "ru", slug="minskaya-gruppa")
    switcher = _switcher(client.get("/articles/minsk-group/").text)
    assert 'aria-current="true" lang="en"' in switcher
    assert 'href="/ru/articles/minskaya-gruppa/" hreflang="ru"' in switcher
    for code in ("az", "hy", "ka", "fa"):
        assert f'href="/{code}/" hreflang="{code}"' in switcher
    assert switcher.count("not in this language") == 4
    # A list page exists in every language: the switcher links each language's own.
    topics = _switcher(client.get("/ru/topics/").text)
    assert 'href="/topics/" hreflang="en"' in topics
    assert 'href="/fa/topics/" hreflang="fa"' in topics


def test_the_language_is_in_the_path_only_never_a_header(client):
    ArticleFactory(slug="aras-water")
    for url in ("/", "/articles/aras-water/", "/ru/"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ru,fa;q=0.8")
        assert response.status_code == 200
        assert "Accept-Language" not in response.get("Vary", "")
    assert '<html lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="ru").text
    assert '<html lang="ru"' in client.get("/ru/", HTTP_ACCEPT_LANGUAGE="en").text


def test_publishing_an_edition_purges_the_pages_of_the_other_editions(client):
    source = ArticleFactory(slug="peacekeepers")
    russian = _edition(source, "ru", slug="mirotvortsy")
    page = client.get("/articles/peacekeepers/")
    key = f"editions-{source.translation_key}"
    assert key in page["xkey"].split()
    assert key in keys_for_article(russian.pk)


def test_an_edition_published_or_withdrawn_shows_in_the_others_switcher_at_once(
    client, editor, django_capture_on_commit_callbacks
):
    from articles import services

    source = ArticleFactory(slug="syunik-route")
    client.get("/articles/syunik-route/")  # rendered, with no other edition yet
    georgian = _edition(source, "ka", slug="siunikis-gza", draft=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=georgian, by=editor)
    assert (
        'href="/ka/articles/siunikis-gza/" hreflang="ka"'
        in client.get("/articles/syunik-route/").text
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(article=georgian, by=editor)
    page = client.get("/articles/syunik-route/").text
    assert "siunikis-gza" not in page and 'href="/ka/" hreflang="ka"' in page


def test_the_sitemap_names_each_public_edition_with_reciprocal_alternates(client):
    import xml.etree.ElementTree as ET

    for n in range(3):
        source = ArticleFactory(slug=f"piece-{n}")
        _edition(source, "ru", slug=f"statya-{n}")
        _edition(source, "fa", slug=f"maghale-{n}", draft=n == 1)
    ArticleFactory(slug="english-only")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(client.get("/sitemap.xml").content)
    alternates = {
        url.find("s:loc", ns).text: {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)
        }
        for url in root.findall("s:url", ns)
    }
    assert not any("maghale-1" in loc for loc in alternates)  # a draft is nowhere
    assert alternates[next(loc for loc in alternates if loc.endswith("/english-only/"))] == {}
    for loc, links in alternates.items():
        if not links:
            continue
        assert links["x-default"] == links["en"]
        assert loc in links.values()  # names itself
        for other in (href for code, href in links.items() if code != "x-default"):
            assert alternates[other] == links  # reciprocal: every edition lists the same set
    assert len([loc for loc, links in alternates.items() if "fa" in links]) == 6


def test_home_lists_and_feeds_show_the_editions_of_their_language(client):
    from tests.factories import TopicFactory

    drones = TopicFactory(slug="drones")
    source = ArticleFactory(slug="drones-2020", title="Drones over Karabakh", topics=[drones])
    _edition(source, "ru", slug="drony-2020", title="Дроны над Карабахом", topics=[drones])
    ArticleFactory(slug="english-only", title="Only in English", topics=[drones])
    for url in ("/", "/topics/drones/", "/feed/", "/topics/drones/feed/", "/archive/"):
        english, russian = client.get(url).text, client.get(f"/ru{url}").text
        if url != "/archive/":
            assert "Drones over Karabakh" in english and "Only in English" in english, url
            assert "Дроны над Карабахом" in russian, url
        assert "Дроны над Карабахом" not in english, url
        assert "Only in English" not in russian and "Drones over Karabakh" not in russian, url


def test_structured_data_and_citations_name_the_editions_language(client, settings):
    import json

    source = ArticleFactory(slug="red-lines", title="Red lines")
    _edition(source, "hy", slug="karmir-gtser", title="Կարմիր գծեր")

    def jsonld(url: str) -> dict:
        page = client.get(url).text
        return json.loads(
            page.split('<script type="application/ld+json">')[1].split("</script>")[0]
        )

    english, armenian = jsonld("/articles/red-lines/"), jsonld("/hy/articles/karmir-gtser/")
    assert (english["inLanguage"], armenian["inLanguage"]) == ("en", "hy")
    assert armenian["translationOfWork"]["url"] == f"{settings.SITE_URL}/articles/red-lines/"
    assert [w["inLanguage"] for w in english["workTranslation"]] == ["hy"]
    assert "translationOfWork" not in english
    page = client.get("/hy/articles/karmir-gtser/").text
    assert '<meta name="citation_language" content="hy">' in page
    assert "language = {armenian}" in client.get("/hy/articles/karmir-gtser/cite.bib").text
    assert "LA  - hy" in client.get("/hy/articles/karmir-gtser/cite.ris").text
    assert client.get("/hy/articles/karmir-gtser/cite.json").json()["language"] == "hy"


def test_each_pdf_edition_names_the_others_in_a_link_header(client, settings, pdf_printing):
    from pypdf import PdfReader

    from articles.editions import pdf_edition_make

    source = ArticleFactory(slug="aktau", title="Aktau")
    georgian = _edition(source, "ka", slug="aktau-ka", title="აქტაუ და მისი შედეგები")
    for article in (source, georgian):
        pdf_edition_make(article_id=article.pk)
    response = client.get("/ka/articles/aktau-ka/aktau-ka.pdf")
    assert response.status_code == 200
    site = settings.SITE_URL
    assert response["Link"] == (
        f'<{site}/articles/aktau/aktau.pdf>; rel="alternate"; hreflang="en", '
        f'<{site}/ka/articles/aktau-ka/aktau-ka.pdf>; rel="alternate"; hreflang="ka", '
        f'<{site}/articles/aktau/aktau.pdf>; rel="alternate"; hreflang="x-default"'
    )
    text = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text()
    assert "აქტაუ და მისი შედეგები" in text


def test_an_editions_related_analyses_and_series_neighbours_are_of_its_language(client):
    """Found on the Persian page: its related analyses were the piece's own editions in
    other languages, and the series' next article an English one."""
    from articles.rendering import article_render
    from tests.factories import SeriesFactory, TopicFactory

    topic = TopicFactory(name="Transit")
    series = SeriesFactory()
    source = ArticleFactory(title="Route one", topics=[topic], series=series, series_position=1)
    russian = _edition(
        source, "ru", title="Маршрут один", slug="marshrut-odin", topics=[topic],
        series=series, series_position=1,
    )  # fmt: skip
    for code in ("az", "hy", "ka", "fa"):
        _edition(source, code, slug=f"route-one-{code}", topics=[topic])
    ArticleFactory(title="An English neighbour", topics=[topic], series=series, series_position=2)
    next_in_russian = ArticleFactory(
        title="Маршрут два", slug="marshrut-dva", language="ru", topics=[topic], series=series,
        series_position=2,
    )  # fmt: skip
    article_render(article_id=russian.pk)
    page = client.get("/ru/articles/marshrut-odin/").text
    related = page.split('class="related', 1)[1]
    assert "Маршрут два" in related
    assert "An English neighbour" not in related and "route-one-" not in related
    assert "Route one" not in related
    assert f'href="{next_in_russian.get_absolute_url()}"' in page
    assert "/articles/an-english-neighbour/" not in page


def test_search_filters_name_topics_and_regions_in_the_pages_language(client):
    """Found by a review: the filters beside Russian results said "Drones" and "Armenia"."""
    from tests.factories import RegionFactory, TopicFactory

    drones = TopicFactory(name="Drones", slug="drones")
    drones.set_names_in("ru", name="Беспилотники")
    drones.save()
    armenia = RegionFactory(name="Armenia", slug="armenia")
    armenia.set_names_in("ru", name="Армения")
    armenia.save()
    ArticleFactory(
        title="Беспилотники над границей", slug="bespilotniki", language="ru",
        body="Беспилотники летают.", topics=[drones], regions=[armenia],
    )  # fmt: skip
    page = client.get("/ru/search/?q=Беспилотники").text
    filters = page.split('class="facets"', 1)[1].split("</aside>", 1)[0]
    assert "Беспилотники" in filters and "Армения" in filters
    assert ">Drones<" not in page and ">Armenia<" not in page
