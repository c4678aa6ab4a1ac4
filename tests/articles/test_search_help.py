"""Search that helps: "did you mean" from the site's own words, snippets cut between words,
and an empty result that offers somewhere to go. On SQLite by default, on PostgreSQL with
DATABASE_URL (the tests marked `postgres` need it)."""

import html
import re
from urllib.parse import parse_qs, urlparse

import pytest

from articles import search_help, services
from articles.models import Article, SearchWord
from tests.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db

# The sentence the newcomer's search showed as "… d that the EU would send…".
PRAGUE = (
    "EUMA has a short prehistory. After the fighting of September 2022, when Azerbaijani "
    "forces struck positions inside Armenia's internationally recognised territory, the two "
    "countries' leaders met in Prague on 6 October on the margins of the first European "
    "Political Community summit. They agreed that the EU would send a civilian presence to "
    "the Armenian side of the border. Within two weeks about 40 monitors, most of them drawn "
    "from the EU mission in Georgia, were on the ground."
)
# Every word hyphenated: PostgreSQL's parser splits such a word into parts, and its
# headline began or ended on a part ("tanks who agreed…", "…with well").
COMPOUNDS = " ".join(["think-tanks", "well-known", "south-east", "Russian-brokered"] * 12)


def _titles(page: str) -> list[str]:
    """The titles a search found (not the latest articles an empty result offers)."""
    found = re.search(r'<ol class="card-list results">(.*?)</ol>', page, re.S)
    return re.findall(
        r'class="card__title"[^>]*><a href="[^"]+">([^<]+)</a>', found.group(1) if found else ""
    )


def _snippets(page: str) -> list[str]:
    found = re.findall(r'<p class="snippet">(.*?)</p>', page, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", s)).strip("… ") for s in found]


def _suggestion(page: str) -> str | None:
    """The address of the "Did you mean" link, if the page offers one."""
    found = re.search(r'class="suggestion">Did you mean <a href="([^"]+)"', page)
    return html.unescape(found.group(1)) if found else None


def _assert_whole_words(extract: str, text: str) -> None:
    at = text.find(extract)
    assert at >= 0, extract
    end = at + len(extract)
    assert at == 0 or text[at - 1].isspace(), f"starts inside a word: {extract[:30]!r}"
    assert end == len(text) or text[end].isspace(), f"ends inside a word: {extract[-30:]!r}"


@pytest.fixture
def words_kept():
    """What the periodic count does in production; factories publish without the services."""

    def rebuild():
        search_help.search_words_rebuild()

    return rebuild


# --- Snippets ----------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["EU would send", "civilian presence", "monitors", "Georgia"])
def test_snippets_start_and_end_between_words(client, q):
    article = ArticleFactory(title="EU monitors", body=PRAGUE)
    article.refresh_from_db()
    snippets = _snippets(client.get("/search/", {"q": q}).text)
    assert snippets
    for snippet in snippets:
        _assert_whole_words(snippet, article.plain_text)


@pytest.mark.parametrize("filler", range(3))
def test_snippets_do_not_cut_hyphenated_words(client, filler):
    words = "word " * filler
    ArticleFactory(title="At the end", body=f"{COMPOUNDS} {words}monitors came.")
    ArticleFactory(title="At the start", body=f"Monitors came. {words}{COMPOUNDS}")
    snippets = _snippets(client.get("/search/", {"q": "monitors"}).text)
    assert len(snippets) == 2
    texts = Article.objects.values_list("plain_text", flat=True)
    for snippet in snippets:
        assert any(snippet in text for text in texts)
        _assert_whole_words(snippet, next(text for text in texts if snippet in text))


def test_snippet_says_where_text_was_left_out(client):
    ArticleFactory(title="A piece", body=f"{COMPOUNDS} monitors came. {COMPOUNDS}")
    page = client.get("/search/", {"q": "monitors"}).text
    snippet = re.search(r'<p class="snippet">(.*?)</p>', page, re.S).group(1)
    assert snippet.startswith("… ") and snippet.endswith(" …")


def test_a_word_found_by_its_stem_far_into_the_text_is_highlighted(client, postgres):
    # "flies" and "fly" share a stem but not a beginning: the snippet is looked for in the
    # whole text when the part read first holds no match.
    filler = " ".join([COMPOUNDS] * 4)  # some 2,300 characters
    ArticleFactory(title="Border", body=f"{filler} Drones fly over the border.")
    page = client.get("/search/", {"q": "flies"}).text
    assert "<mark>fly</mark>" in page


# --- Did you mean ------------------------------------------------------------------------------


def test_a_typo_is_answered_with_the_word_the_site_uses(client, words_kept):
    energy = TopicFactory(name="Energy", slug="energy")
    for n in range(3):
        ArticleFactory(
            title=f"Azerbaijan and gas {n}", body="Azerbaijan exports gas.", topics=[energy]
        )
    words_kept()
    page = client.get("/search/", {"q": "Azerbajan", "topic": "energy"}).text
    assert _titles(page) == []
    link = _suggestion(page)
    assert link is not None
    assert "Did you mean" in page and "<strong>Azerbaijan</strong>" in page
    assert parse_qs(urlparse(link).query) == {"q": ["Azerbaijan"], "topic": ["energy"]}
    assert len(_titles(client.get("/search/" + link).text)) == 3


def test_the_suggestion_keeps_the_rest_of_the_query(client, words_kept):
    ArticleFactory(title="Drones over Karabakh", body="Loitering drones and the ceasefire.")
    ArticleFactory(title="Ukraine", body="Drones over Kyiv.")
    words_kept()
    link = _suggestion(client.get("/search/", {"q": 'drones "the cesefire" -Ukraine'}).text)
    assert parse_qs(urlparse(link).query)["q"] == ['drones "the ceasefire" -Ukraine']


def test_nothing_is_suggested_when_the_words_are_known(client, words_kept):
    ArticleFactory(title="Lachin corridor", body="The road.")
    words_kept()
    page = client.get("/search/", {"q": "Lachin"}).text
    assert _titles(page) == ["Lachin corridor"] and _suggestion(page) is None
    page = client.get("/search/", {"q": "Lachin Karabakh"}).text  # both known, no article
    assert _suggestion(page) is None


def test_a_rare_spelling_that_finds_something_still_points_to_the_usual_one(client, words_kept):
    ArticleFactory(title="Old note", body="Azerbajan, as the old dispatch spelt it.")
    for n in range(12):
        ArticleFactory(title=f"Report {n}", body="Azerbaijan and its neighbours.")
    words_kept()
    page = client.get("/search/", {"q": "azerbajan"}).text
    assert _titles(page) == ["Old note"]
    assert parse_qs(urlparse(_suggestion(page)).query)["q"] == ["azerbaijan"]


def test_a_drafts_words_are_never_suggested(client, words_kept):
    ArticleFactory(title="Secret", body="Operation Zangezurian begins.", draft=True)
    ArticleFactory(title="Later", body="Zangezurian plans.", future=True)
    ArticleFactory(title="Public", body="Zangezur corridor.")
    words_kept()
    page = client.get("/search/", {"q": "Zangezurians"}).text
    assert "zangezurian" not in page.replace("Zangezurians", "").lower()


def test_an_unpublished_articles_words_are_not_offered(client, editor, postgres):
    article = ArticleFactory(title="Draft", body="The Meghrian option.", draft=True)
    ArticleFactory(title="Public", body="Meghri road.")
    services.article_publish(article=article, by=editor)
    assert SearchWord.objects.filter(word="meghrian").exists()
    services.article_unpublish(article=article, by=editor)
    # The word stays until the next count, but its search finds no public article.
    assert "Meghrian" not in client.get("/search/", {"q": "Meghrians"}).text.replace(
        "Meghrians", ""
    )
    search_help.search_words_rebuild()
    assert not SearchWord.objects.filter(word="meghrian").exists()


def test_publishing_and_editing_add_the_articles_words(editor, postgres):
    drones = TopicFactory(name="Loitering munitions")
    article = ArticleFactory(title="Kamikaze drones", body="Shahed strikes.", draft=True)
    assert not SearchWord.objects.filter(word="shahed").exists()
    services.article_publish(article=article, by=editor)
    assert set(SearchWord.objects.values_list("word", flat=True)) >= {"kamikaze", "shahed"}
    article.body = "Shahed and Lancet strikes."
    services.article_update(
        article=article, by=editor, changed=["body"], parts=services.ArticleParts(topics=[drones])
    )
    assert SearchWord.objects.filter(word__in=["lancet", "loitering", "munitions"]).count() == 3


def test_the_count_holds_only_public_articles_words(postgres):
    ArticleFactory(title="Pipeline", body="Ceyhan terminal.", topics=[TopicFactory(name="Energy")])
    ArticleFactory(title="Pipeline two", body="Ceyhan again.")
    ArticleFactory(title="Draft", body="Unreleased Tabrizian memo.", draft=True)
    search_help.search_words_rebuild()
    counts = dict(SearchWord.objects.values_list("word", "articles"))
    assert counts["ceyhan"] == 2 and counts["pipeline"] == 2 and counts["energy"] == 1
    assert "tabrizian" not in counts and "unreleased" not in counts


# --- An empty result ---------------------------------------------------------------------------


def test_an_empty_result_offers_the_topics_and_the_latest_articles(client, words_kept):
    ArticleFactory(title="Latest analysis", topics=[TopicFactory(name="Peacekeeping")])
    ArticleFactory(title="Hidden draft", draft=True, topics=[TopicFactory(name="Unused topic")])
    words_kept()
    page = client.get("/search/", {"q": "qwxz"}).text
    assert "Nothing matches" in page
    assert ">Peacekeeping</a>" in page
    assert "Latest analysis" in page
    assert "Hidden draft" not in page and "Unused topic" not in page


def test_an_empty_result_with_filters_offers_the_search_without_them(client):
    ArticleFactory(title="Ceasefire talks", body="Ceasefire.")
    page = client.get("/search/", {"q": "ceasefire", "kind": "report"}).text
    assert 'href="?q=ceasefire"' in page


def test_the_command_and_the_periodic_task_count_the_words_again(postgres):
    from io import StringIO

    from django.core.management import call_command

    from articles import tasks

    ArticleFactory(title="Gyumri", body="The base at Gyumri.")
    out = StringIO()
    call_command("search_words", stdout=out)
    assert SearchWord.objects.get(word="gyumri").articles == 1
    assert "words listed" in out.getvalue()
    ArticleFactory(title="Gyumri again", body="Gyumri.")
    tasks.rebuild_search_words.apply()
    assert SearchWord.objects.get(word="gyumri").articles == 2
