"""What one post may cost the importer: bounded in size, linear in its shortcodes."""

import time

import pytest

from articles.importer.items import MAX_POST_SIZE
from articles.importer.shortcodes import ShortcodeContext, expand_shortcodes
from articles.models import Article

from .exports import post, write_export

# Loose on purpose (a shared, busy machine): the quadratic pass took minutes on these.
SECONDS = 10


def _expand(text: str) -> tuple[str, float, list[str]]:
    warnings: list[str] = []
    context = ShortcodeContext(
        attachments=lambda _: None,
        children=list,
        warn=lambda message: warnings.append(message) if message not in warnings else None,
        video=lambda _: None,
    )
    started = time.perf_counter()
    out = expand_shortcodes(text, context)
    return out, time.perf_counter() - started, warnings


def test_300000_unclosed_video_shortcodes_expand_in_seconds():
    out, seconds, warnings = _expand("[video]" * 300_000 + '[video src="https://vimeo.com/1"]')

    assert seconds < SECONDS
    assert out.endswith('<p><a href="https://vimeo.com/1">Watch the video</a></p>')
    assert warnings == ["video without an address: (empty)"]


@pytest.mark.parametrize(
    "text",
    [
        "[video x " * 200_000,  # openings whose attributes never end
        "[caption]" + "<" * 500_000 + "[/caption]",  # tags that never end
        "[caption]" + "<a " * 300_000 + "[/caption]",
    ],
    ids=["unclosed-attributes", "unclosed-tags", "unclosed-links"],
)
def test_brackets_that_never_close_expand_in_seconds(text):
    _, seconds, _ = _expand(text)

    assert seconds < SECONDS


@pytest.mark.django_db
def test_a_post_over_the_size_cap_is_reported_and_skipped(tmp_path, run_import):
    export = write_export(
        tmp_path / "export.xml",
        post(101, title="Huge", body="a" * (MAX_POST_SIZE + 1)),
        post(102, title="Ordinary"),
    )

    run = run_import(export)

    assert run.row("post 101")["result"] == "skipped"
    assert "too large to import" in run.row("post 101")["warnings"]
    assert run.row("post 102")["result"] == "created"
    assert not Article.objects.filter(title="Huge").exists()


@pytest.mark.django_db
def test_a_saved_page_over_the_size_cap_is_reported_and_skipped(tmp_path, run_import):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "huge.txt").write_text("Huge\n\n" + "word " * (MAX_POST_SIZE // 5 + 1))

    run = run_import(pages)

    assert run.row("huge.txt")["result"] == "skipped"
    assert "too large to import" in run.row("huge.txt")["warnings"]
    assert not Article.objects.exists()
