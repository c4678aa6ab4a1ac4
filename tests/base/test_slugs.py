"""Addresses for titles in every script the Center writes in (base/slugs.py)."""

import pytest

from base.slugs import readable_slug, unique_slug


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Карабах после 2023 года", "karabakh-posle-2023-goda"),
        ("Ղարաբաղը 2023-ից հետո", "gharabaghy-2023-its-heto"),
        ("ყარაბაღი 2023 წლის შემდეგ", "qarabaghi-2023-tslis-shemdeg"),
        ("قره‌باغ پس از ۲۰۲۳", "qrhbgh-ps-z-2023"),
        ("Qarabağ və İran", "qarabag-ve-iran"),
        ("Drones over Karabakh", "drones-over-karabakh"),
    ],
)
def test_a_title_in_any_script_gets_a_readable_latin_slug(title, slug):
    assert readable_slug(title) == slug


@pytest.mark.parametrize("title", ["2023", "۲۰۲۳", "2020–2023", "", "…", "«»"])
def test_a_slug_is_never_empty_nor_figures_alone(title):
    slug = readable_slug(title, fallback="analysis")
    assert slug.startswith("analysis")
    assert any(c.isalpha() for c in slug)


def test_a_taken_slug_gets_the_first_free_suffix_within_the_length():
    taken = {"karabakh", "karabakh-2", "x" * 10}
    assert unique_slug("karabakh", taken.__contains__) == "karabakh-3"
    assert unique_slug("x" * 10, taken.__contains__, max_length=10) == "x" * 8 + "-2"
