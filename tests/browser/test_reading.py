import pytest

from tests.factories import ArticleFactory, AuthorFactory, RegionFactory, TopicFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_follows_the_featured_article_then_its_topic(page, artifacts_dir):
    drones = TopicFactory(name="Drones", slug="drones")
    author = AuthorFactory(name="Elif Demir", slug="elif-demir", title="Defence Analyst")
    ArticleFactory(
        title="Drones over Karabakh",
        slug="drones-over-karabakh",
        is_featured=True,
        authors=[author],
        topics=[drones],
        regions=[RegionFactory(name="Armenia", slug="armenia")],
        body="## The war in the air\n\nTB2s and loitering munitions.[^1]\n\n[^1]: A note.",
    )
    ArticleFactory(title="Shahed drones in Ukraine", topics=[drones])
    ArticleFactory(title="A draft nobody may see", draft=True, topics=[drones])

    page.goto(page.base_url + "/")
    page.screenshot(path=artifacts_dir / "reading-1-home.png", full_page=True)
    featured = page.get_by_role("region", name="Featured analysis")
    featured.get_by_role("link", name="Drones over Karabakh").click()

    page.wait_for_url("**/articles/drones-over-karabakh/")
    assert page.get_by_role("heading", level=1).inner_text() == "Drones over Karabakh"
    assert "Defence Analyst" in page.locator(".article__header .byline").inner_text()
    page.screenshot(path=artifacts_dir / "reading-2-article.png", full_page=True)

    page.locator(".article__footer > .tags").first.get_by_role("link", name="Drones").click()
    page.wait_for_url("**/topics/drones/")
    titles = page.locator(".card__title").all_inner_texts()
    assert titles == ["Drones over Karabakh", "Shahed drones in Ukraine"]
    page.screenshot(path=artifacts_dir / "reading-3-topic.png", full_page=True)

    assert page.console_errors == []


def test_skip_link_moves_focus_to_the_content(page):
    ArticleFactory(title="Anything")
    page.goto(page.base_url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("width", [390, 1280])
def test_pages_fit_the_screen_without_sideways_scrolling(page, width, artifacts_dir):
    article = ArticleFactory(
        title="A long table",
        body="| "
        + " | ".join(f"Column {n}" for n in range(12))
        + " |\n|"
        + "---|" * 12
        + "\n| "
        + " | ".join("value" for _ in range(12))
        + " |",
    )
    page.set_viewport_size({"width": width, "height": 900})
    for url in ("/", article.get_absolute_url(), "/topics/"):
        page.goto(page.base_url + url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at {width}px"
    page.screenshot(path=artifacts_dir / f"article-{width}px.png", full_page=True)
