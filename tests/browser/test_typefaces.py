"""Every script of the site in one vendored family per role: an Armenian, a Georgian and a
Persian edition are set in the Noto faces under static/fonts/, and a page downloads only the
faces of the scripts it shows (unicode-range)."""

import pytest

from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITIONS = {
    "hy": ("Թեհրանը և երթուղին", "Իրանի համար Արաքս գետի երկայնքով սահմանը վաղուց գծից ավելին է։"),
    "ka": (
        "თეირანი და მარშრუტი",
        "ირანისთვის სომხეთთან საზღვარი დიდი ხანია უბრალო ხაზზე მეტს ნიშნავს.",
    ),
    "fa": (
        "تهران و مسیر",
        "برای ایران، مرز با ارمنستان از دیرباز چیزی بیش از خطی بر روی نقشه بوده است.",
    ),
}
SCRIPT_FILES = {
    "hy": ("noto-serif-armenian-regular", "noto-serif-armenian-bold"),
    "ka": ("noto-serif-georgian-regular", "noto-serif-georgian-bold"),
    "fa": ("noto-naskh-arabic-regular", "noto-naskh-arabic-bold"),
}


@pytest.mark.parametrize("language", ["hy", "ka", "fa"])
def test_an_edition_is_set_in_the_vendored_face_of_its_script(page, language, artifacts_dir):
    title, text = EDITIONS[language]
    source = ArticleFactory(title="Tehran and the route", slug="tehran-and-the-route")
    ArticleFactory(
        language=language,
        translation_key=source.translation_key,
        translation_of=source,
        title=title,
        slug=f"route-{language}",
        body=f"{text}\n\n## {title}\n\n{text}",
    )
    fonts = []
    page.on("response", lambda r: "/static/fonts/" in r.url and fonts.append(r))

    page.goto(f"{page.base_url}/{language}/articles/route-{language}/")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=artifacts_dir / f"typefaces-{language}.png", full_page=True)

    downloaded = {r.url.rsplit("/", 1)[1].split(".")[0] for r in fonts if r.status == 200}
    # The script's own serif faces (text and headings) and the Latin ones, nothing else.
    assert set(SCRIPT_FILES[language]) <= downloaded
    others = {f for lang, files in SCRIPT_FILES.items() if lang != language for f in files}
    assert not downloaded & others
    # The body's text is set in that family, and the browser has it loaded.
    prose = page.locator(".prose p").first
    assert prose.evaluate("p => getComputedStyle(p).fontFamily").startswith('"Newsroom Serif"')
    assert page.evaluate(f"document.fonts.check('16px \"Newsroom Serif\"', {text!r})")
    statuses = page.evaluate(
        "[...document.fonts].filter(f => f.family.includes('Newsroom Serif')).map(f => f.status)"
    )
    assert "loaded" in statuses and "error" not in statuses
    if language == "fa":
        assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
        title_box = page.locator(".site-title").bounding_box()
        nav_box = page.locator(".site-nav").bounding_box()
        assert title_box["x"] > nav_box["x"]  # the site's name on the right, the menu left
    assert page.console_errors == []
