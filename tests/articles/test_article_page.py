"""What article and list pages cost, and that their parts rendered on write never outlive
the content."""

import re

import pytest
from django.core.cache import cache

from articles.models import Article, Correction, Move
from tests.factories import ArticleFactory, AuthorFactory, SeriesFactory, TopicFactory
from tests.forms import form_as_shown

pytestmark = pytest.mark.django_db


@pytest.fixture
def fragment_cache(settings):
    settings.FRAGMENT_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _edit_author_in_the_admin(editor_client, author, capture_on_commit, **changes: str) -> None:
    change = f"/admin/articles/author/{author.pk}/change/"
    data = form_as_shown(editor_client.get(change).text, "author_form")
    data.update({field: [value] for field, value in changes.items()})
    with capture_on_commit(execute=True):
        assert editor_client.post(change, data).status_code == 302


def _simulation_with_everything(related: int, tags_each: int = 1) -> Article:
    """A simulation in a series with moves and a correction, and `related` articles sharing
    its topic, each with two authors and `tags_each` topics."""
    topic, series = TopicFactory(), SeriesFactory()
    article = ArticleFactory(
        kind=Article.Kind.SIMULATION, topics=[topic], series=series, series_position=2
    )
    Move.objects.create(article=article, phase="Day 1", actor="Baku", action="Moves first.")
    Correction.objects.create(article=article, note="A date was wrong.")
    ArticleFactory(series=series, series_position=1)
    ArticleFactory(series=series, series_position=3)
    for _ in range(related):
        ArticleFactory(
            topics=[topic, *(TopicFactory() for _ in range(tags_each - 1))],
            authors=[AuthorFactory(), AuthorFactory()],
        )
    return article


def test_an_article_published_through_the_services_is_read_in_two_queries(
    client, editor, django_assert_num_queries
):
    """Rendered when published: the first reader's request reads the page's row (byline,
    tags, timeline, corrections, references, JSON-LD, series navigation rendered on write) and
    the cards of its related analyses. No cache of any kind is involved."""
    from articles import rendering, services

    article = _simulation_with_everything(related=4)
    # As if published through the services too: rendered on write.
    rendering.articles_render(ids=Article.objects.values_list("pk", flat=True))
    draft = ArticleFactory(draft=True, topics=list(article.topics.all()), title="Fresh piece")
    services.article_publish(article=draft, by=editor)
    with django_assert_num_queries(2):
        page = client.get(draft.get_absolute_url())
    assert page.status_code == 200 and "Fresh piece" in page.text
    assert "Related analyses" in page.text


def test_an_article_without_related_analyses_is_read_in_one_query(
    client, django_assert_num_queries
):
    article = ArticleFactory(topics=[TopicFactory()])
    client.get(article.get_absolute_url())  # made outside the services: rendered when first read
    with django_assert_num_queries(1):  # the article's row with its rendered parts
        assert client.get(article.get_absolute_url()).status_code == 200


def test_article_page_shows_an_authors_new_title_on_the_next_load(
    client, editor_client, fragment_cache, django_capture_on_commit_callbacks
):
    author = AuthorFactory(title="Research Fellow")
    article = ArticleFactory(authors=[author])
    assert "Research Fellow" in client.get(article.get_absolute_url()).text
    _edit_author_in_the_admin(
        editor_client, author, django_capture_on_commit_callbacks, title="Senior Fellow"
    )
    page = client.get(article.get_absolute_url()).text
    assert "Senior Fellow" in page and "Research Fellow" not in page


def test_article_page_queries_do_not_grow_with_related_articles_and_their_tags(
    client, django_assert_num_queries
):
    few = _simulation_with_everything(related=1)
    many = _simulation_with_everything(related=6, tags_each=4)
    for article in (few, many):
        client.get(article.get_absolute_url())  # rendered when first read (made by the ORM)
        # the article's row with its rendered parts; the related analyses' cards
        with django_assert_num_queries(2, info=article.title):
            assert client.get(article.get_absolute_url()).status_code == 200


def test_related_analyses_show_an_edit_on_the_next_load(
    client, editor_client, fragment_cache, django_capture_on_commit_callbacks
):
    topic = TopicFactory()
    article = ArticleFactory(topics=[topic])
    neighbour = ArticleFactory(topics=[topic], title="The old headline")
    assert "The old headline" in client.get(article.get_absolute_url()).text

    change = f"/admin/articles/article/{neighbour.pk}/change/"
    data = form_as_shown(editor_client.get(change).text, "article_form")
    data["title"] = ["The new headline"]
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(change, data).status_code == 302

    page = client.get(article.get_absolute_url()).text
    assert "The new headline" in page and "The old headline" not in page


def test_topic_pages_picked_from_the_fragment_cache_follow_a_publication(
    client, editor, fragment_cache, settings, django_capture_on_commit_callbacks
):
    from articles import services

    settings.ARTICLES_PER_PAGE = 2
    topic = TopicFactory(slug="drones")
    for n in range(3):
        ArticleFactory(topics=[topic], title=f"Piece {n}")

    def pages() -> tuple[str, list[str], list[str]]:
        first, second = client.get("/topics/drones/").text, client.get("/topics/drones/?page=2")
        cards = re.compile(r">(Piece \d|Fresh piece)<")
        return first, cards.findall(first), cards.findall(second.text)

    first, on_first, on_second = pages()
    assert (on_first, on_second) == (["Piece 0", "Piece 1"], ["Piece 2"])
    assert "3 articles" in first
    draft = ArticleFactory(draft=True, topics=[topic], title="Fresh piece")
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=draft, by=editor)
    first, on_first, on_second = pages()
    # Both cached pages move on: the new piece leads, and the second page gets Piece 1.
    assert (on_first, on_second) == (["Fresh piece", "Piece 0"], ["Piece 1", "Piece 2"])
    assert "4 articles" in first


@pytest.mark.parametrize("many", [1, 15])
def test_list_pages_make_three_queries_however_many_articles(
    client, many, django_assert_num_queries
):
    # the topic, author or series itself; the count; the page's cards (plain values rendered
    # on write) -- with no cache of any kind
    topic, author, series = TopicFactory(), AuthorFactory(), SeriesFactory()
    for position in range(many):
        ArticleFactory(topics=[topic], authors=[author], series=series, series_position=position)
    for url in (topic.get_absolute_url(), author.get_absolute_url(), series.get_absolute_url()):
        client.get(url)  # the cards of articles made by the ORM are rendered when first read
        with django_assert_num_queries(3, info=url):
            assert client.get(url).status_code == 200


def test_list_page_cards_show_an_authors_new_name_on_the_next_load(
    client, editor_client, fragment_cache, django_capture_on_commit_callbacks
):
    topic = TopicFactory()
    author = AuthorFactory(name="Old Byline")
    ArticleFactory(topics=[topic], authors=[author])
    assert "Old Byline" in client.get(topic.get_absolute_url()).text
    _edit_author_in_the_admin(
        editor_client, author, django_capture_on_commit_callbacks, name="New Byline"
    )
    page = client.get(topic.get_absolute_url()).text
    assert "New Byline" in page and "Old Byline" not in page


def test_home_makes_four_queries(client, django_assert_num_queries):
    # the latest cards; the featured card; the active series; the open calls
    for _ in range(12):
        ArticleFactory(series=SeriesFactory(is_active=True), series_position=1)
    client.get("/")  # cards of articles made by the ORM are rendered when first read
    with django_assert_num_queries(4):
        assert client.get("/").status_code == 200


def test_home_shows_a_publication_on_the_next_load(
    client, editor, fragment_cache, django_capture_on_commit_callbacks
):
    from articles import services

    ArticleFactory(title="Already out")
    assert "Already out" in client.get("/").text
    draft = ArticleFactory(draft=True, title="Just published", authors=[AuthorFactory()])
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=draft, by=editor)
    page = client.get("/").text
    assert "Just published" in page and "Already out" in page


def test_pages_name_what_they_show_for_the_http_cache(client, settings):
    """Varnish purges by these tags: the article page names the article, its authors, tags,
    series and its related analyses; a topic page names the topic and every article listed."""
    settings.HTTP_CACHE_TAG_HEADERS = ["xkey"]
    topic, series, author = TopicFactory(), SeriesFactory(), AuthorFactory()
    article = ArticleFactory(topics=[topic], series=series, series_position=1, authors=[author])
    neighbour = ArticleFactory(topics=[topic])
    page = client.get(article.get_absolute_url())
    shown = set(page.headers["xkey"].split())
    assert {
        f"article-{article.pk}",
        f"author-{author.pk}",
        f"topic-{topic.pk}",
        f"series-{series.pk}",
        f"article-{neighbour.pk}",  # its card among the related analyses
    } <= shown
    listed = set(client.get(topic.get_absolute_url()).headers["xkey"].split())
    assert {f"topic-{topic.pk}", f"list-topic-{topic.pk}", f"article-{article.pk}"} <= listed
    assert f"article-{neighbour.pk}" in listed
