"""Persian pages mirror (CSS logical properties); English pages keep their left-to-right layout."""

import pytest

from tests.factories import ArticleFactory, AuthorFactory, SeriesFactory, TopicFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = (
    "## {heading}\n\n{para}[^1]\n\n> {quote}\n\n- {item}\n- {item}\n\n"
    "| {cell} | 2023 |\n|---|---|\n| {cell} | 2024 |\n\n[^1]: {note}"
)


def _layout(page):
    """Where the mirrored parts sit: the side of the quote's rule, of the list's indent, ..."""
    return page.evaluate(
        """() => {
        const css = (sel) => getComputedStyle(document.querySelector(sel));
        const box = (sel) => document.querySelector(sel).getBoundingClientRect();
        const quote = css('.prose blockquote');
        const textSide = (sel) => {
            const range = document.createRange();
            range.selectNodeContents(document.querySelector(sel));
            const text = range.getBoundingClientRect(), block = box(sel);
            return text.left - block.left < block.right - text.right ? 'left' : 'right';
        };
        return {
            direction: css('html').direction,
            quoteRule: parseFloat(quote.borderLeftWidth) > 0
                ? 'left' : (parseFloat(quote.borderRightWidth) > 0 ? 'right' : 'none'),
            listIndent: parseFloat(css('.prose ul').paddingLeft) > 0 ? 'left' : 'right',
            titleSide: box('.site-title').left > box('.site-nav').left ? 'right' : 'left',
            headingSide: textSide('.prose h2'),
            cellAlign: css('.prose td').textAlign,
            width: document.documentElement.scrollWidth,
        };
    }"""
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_the_persian_edition_mirrors_and_the_english_one_does_not(page, width, artifacts_dir):
    source = ArticleFactory(
        title="Tehran and the route",
        slug="tehran-and-the-route",
        body=BODY.format(
            heading="Two echoes",
            para="Iran watches the road.",
            quote="Iran's leverage is the wall it shares.",
            item="Drills",
            cell="Border",
            note="See the statement.",
        ),
    )
    ArticleFactory(
        language="fa",
        translation_key=source.translation_key,
        translation_of=source,
        title="تهران و مسیر",
        slug="thrn-w-msyr",
        body=BODY.format(
            heading="دو صدا",
            para="ایران مسیر را زیر نظر دارد.",
            quote="اهرم ایران دیواری است که با همسایه دارد.",
            item="رزمایش‌ها",
            cell="مرز",
            note="بنگرید به بیانیه.",
        ),
    )
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(page.base_url + "/fa/articles/thrn-w-msyr/")
    page.screenshot(path=artifacts_dir / f"rtl-persian-{width}.png", full_page=True)
    persian = _layout(page)
    page.goto(page.base_url + "/articles/tehran-and-the-route/")
    english = _layout(page)

    assert persian == {
        "direction": "rtl",
        "quoteRule": "right",
        "listIndent": "right",
        "titleSide": "right" if width == 1280 else persian["titleSide"],
        "headingSide": "right",
        "cellAlign": "start",
        "width": width,
    }
    assert english == {
        "direction": "ltr",
        "quoteRule": "left",
        "listIndent": "left",
        "titleSide": "left",
        "headingSide": "left",
        "cellAlign": "start",
        "width": width,
    }
    assert page.console_errors == []


def _ends_on_the_right(paragraph) -> bool:
    """Whether the paragraph's full stop is drawn right of the letter it follows."""
    letter, stop = paragraph.evaluate(
        """p => {
        const text = p.firstChild, at = (i) => {
            const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1);
            return r.getBoundingClientRect().left;
        };
        return [at(text.length - 2), at(text.length - 1)];
    }"""
    )
    return stop > letter


def test_words_of_the_other_direction_keep_their_order_on_a_persian_page(page, artifacts_dir):
    """A card's standfirst in another script on a Persian page (a Persian analysis whose
    standfirst quotes a Russian sentence) ends with its full stop on the right, and a Latin
    author's name and title in a Persian byline read left to right, each apart. (The card was
    once the piece's own Russian edition, listed as related: editions are no longer related to
    each other, so the other-script card is another Persian analysis.)"""
    author = AuthorFactory(name="Nima Rostami", title="Researcher, Iranian Foreign Policy")
    borders = TopicFactory(name="Border security")
    ArticleFactory(
        language="fa", title="تهران و مسیر", dek="پاسخ ایران تاکنون دوصدایی بوده است.",
        slug="route-fa", authors=[author], topics=[borders],
    )  # fmt: skip
    ArticleFactory(
        language="fa", title="دو صدا در تهران", dek="Ответ Ирана пока звучит двумя голосами.",
        slug="two-voices-fa", authors=[author], topics=[borders],
    )  # fmt: skip

    page.goto(page.base_url + "/fa/articles/route-fa/")
    page.screenshot(path=artifacts_dir / "rtl-mixed.png", full_page=True)
    russian = page.locator(".card__dek", has_text="Ответ Ирана")
    assert russian.count() == 1
    assert _ends_on_the_right(russian)
    byline = page.locator(".article__header .byline")
    assert (
        byline.get_by_role("link", name="Nima Rostami").evaluate(
            "a => getComputedStyle(a).direction"
        )
        == "ltr"
    )
    assert page.console_errors == []


def test_an_english_series_on_the_persian_home_keeps_its_full_stop_on_the_right(page):
    series = SeriesFactory(
        title="After the 2020 ceasefire",
        description="From the trilateral statement to the talks that followed.",
        is_active=True,
    )
    ArticleFactory(series=series)
    page.goto(page.base_url + "/fa/")
    description = page.locator(".series-teaser p", has_text="trilateral statement")
    assert _ends_on_the_right(description)
    assert page.console_errors == []
