"""A Russian and a Persian reader walk the public pages in Chromium, on a desktop and on a
phone: each page says its language and direction, logs no error, and nothing sticks out of
a 390 px screen (long Russian words, Persian laid out right to left). The submission form's
character counters speak the page's language and group figures as its help does."""

import pytest

from tests.factories import ArticleFactory, AuthorFactory, RegionFactory, TopicFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITIONS = {
    "ru": {
        "dir": "ltr",
        "topic": "Безопасность границ",
        "title": "Тегеран и маршрут, который он не выбирал",
        "body": "## Два голоса\n\nТранзитный маршрут через юг Армении проходит вдоль "
        "единственного участка, где Иран граничит с Арменией.\n\n"
        "> Козырь Ирана в том, что он — ближайший сосед.",
        "word": "Тегеран",
        "counter": "Знаков: 0 из 1\xa0500",
    },
    "fa": {
        "dir": "rtl",
        "topic": "امنیت مرزی",
        "title": "تهران و مسیری که خود برنگزید",
        "body": "## دو صدا\n\nمسیر ترانزیتی جنوب ارمنستان از تنها مرز ایران با ارمنستان "
        "می‌گذرد.\n\n> برگ برندهٔ ایران این است که همسایهٔ نزدیک است.",
        "word": "تهران",
        "counter": "0 از 1500 نویسه",
    },
}

# Boxes that start inside the screen and end outside it, or the reverse. A box wholly off
# screen on purpose (the form's honeypot) is not seen, and one inside a box that scrolls or
# clips (a wide table) is that box's business.
STICKING_OUT = """() => {
    const width = document.documentElement.clientWidth;
    const clipped = (el) => {
        for (let p = el.parentElement; p; p = p.parentElement) {
            const overflow = getComputedStyle(p).overflowX;
            if (['auto', 'scroll', 'hidden', 'clip'].includes(overflow)) return true;
        }
        return false;
    };
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
        const box = el.getBoundingClientRect();
        if (!box.width || !box.height) continue;
        const across = (box.left < width && box.right > width + 1)
            || (box.left < -1 && box.right > 0);
        const where = `${Math.round(box.left)}–${Math.round(box.right)}`;
        if (across && !clipped(el)) out.push(`${el.tagName}.${el.className} ${where}`);
    }
    return {page: document.documentElement.scrollWidth, screen: width, out};
}"""


def _pages(language: str) -> dict[str, str]:
    words = EDITIONS[language]
    topic = TopicFactory(name="Border security", slug="border-security",
                         names={language: {"name": words["topic"]}})  # fmt: skip
    region = RegionFactory(name="Iran", slug="iran")
    author = AuthorFactory(name="Nima Rostami", slug="nima-rostami", title="", affiliation="")
    for n in range(2):
        ArticleFactory(
            language=language, slug=f"route-{language}-{n}", title=f"{words['title']} {n + 1}",
            body=words["body"], topics=[topic], regions=[region], authors=[author],
        )  # fmt: skip
    return {
        "home": f"/{language}/",
        "article": f"/{language}/articles/route-{language}-0/",
        "topic page": f"/{language}/topics/border-security/",
        "search results": f"/{language}/search/?q={words['word']}",
        "follow form": f"/{language}/follow/",
        "submission form": f"/{language}/submit/",
    }


@pytest.mark.parametrize("language", EDITIONS)
def test_the_public_pages_say_their_language_and_fit_a_phone(page, language, artifacts_dir):
    pages = _pages(language)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for name, address in pages.items():
            page.goto(page.base_url + address)
            html = page.locator("html")
            assert html.get_attribute("lang") == language, name
            assert html.get_attribute("dir") == EDITIONS[language]["dir"], name
            if width == 390:
                fit = page.evaluate(STICKING_OUT)
                assert fit["page"] <= fit["screen"], (name, fit)
                assert fit["out"] == [], (name, fit)
            shot = f"walk-{language}-{name.replace(' ', '-')}-{width}.png"
            page.screenshot(path=artifacts_dir / shot, full_page=True)
    assert page.console_errors == []


@pytest.mark.parametrize("language", EDITIONS)
def test_the_character_counter_speaks_the_page_language(page, language):
    page.goto(f"{page.base_url}/{language}/submit/")
    counter = page.locator("#id_bio_count")
    assert counter.inner_text() == EDITIONS[language]["counter"]
    page.locator("#id_bio").fill("абв" if language == "ru" else "ابپ")
    assert counter.inner_text() == EDITIONS[language]["counter"].replace("0", "3", 1)
    assert page.console_errors == []
