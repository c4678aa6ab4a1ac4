import datetime

import pytest

from articles.models import Article, ImportRecord

from .conftest import PAGES

pytestmark = pytest.mark.django_db


def _article(name: str) -> Article:
    return ImportRecord.objects.get(source_key=f"page:{name}").article


def test_every_saved_page_becomes_a_draft(vocabulary, run_import):
    run = run_import(PAGES)

    assert set(run.results().values()) == {"created"}
    assert len(run.rows) == 8
    assert set(Article.objects.values_list("status", flat=True)) == {"draft"}
    assert not Article.objects.published().exists()


def test_a_page_with_a_title_and_a_date_line(vocabulary, run_import):
    run_import(PAGES / "own-analysis.txt")

    article = _article("own-analysis.txt")
    assert article.title == "Why the Araz crossings matter more than the drills"
    assert article.kind == "analysis"
    assert article.rights == "exclusive"
    assert article.publish_at == datetime.datetime(2024, 10, 9, 12, tzinfo=datetime.UTC)
    assert "date 2024" not in article.body
    # Hard-wrapped lines are one paragraph again; the sharing buttons are gone.
    assert "the freight bound for Nakhchivan. When Tehran" in article.body
    for chrome in ("Share this", "Twitter", "Like Loading", "Related"):
        assert chrome not in article.body


def test_a_page_without_a_title_gets_one_from_its_first_sentence_and_is_flagged(
    vocabulary, run_import
):
    run = run_import(PAGES / "no-title.txt")

    article = _article("no-title.txt")
    assert article.title == "Talks between Yerevan and Baku resumed this week in a third country…"
    warnings = run.row("no-title.txt")["warnings"]
    assert "no title found" in warnings
    assert "no date found" in warnings
    assert [a.name for a in article.ordered_authors()] == ["Nargiz Talibova"]
    assert "Posted by" not in article.body
    assert set(article.regions.values_list("slug", flat=True)) >= {"armenia"}


def test_a_republished_excerpt_names_its_author_outlet_and_date(vocabulary, run_import):
    run_import(PAGES / "excerpt-attribution.txt")

    article = _article("excerpt-attribution.txt")
    assert article.kind == "republished"
    assert article.rights == "excerpt"
    assert article.source_outlet == "The Highland Review"
    assert article.original_author == "Marina Sargsyan"
    assert article.source_published_on == datetime.date(2024, 3, 3)
    assert article.body.startswith("Georgia earns more")
    assert not article.bylines.exists()


def test_a_republished_piece_with_an_attribution_sentence(vocabulary, run_import):
    run_import(PAGES / "republished-attribution.txt")

    article = _article("republished-attribution.txt")
    assert (article.rights, article.source_outlet, article.original_author) == (
        "republished",
        "Black Sea Monitor",
        "Giorgi Abashidze",
    )
    assert article.source_published_on == datetime.date(2023, 6, 12)
    assert article.publish_at.date() == datetime.date(2023, 6, 20)


def test_a_reblogged_wire_piece_loses_the_blog_comments_and_pingbacks(vocabulary, run_import):
    run_import(PAGES / "reblog-wire.txt")

    article = _article("reblog-wire.txt")
    assert article.title == "Ankara and Baku sign a new defence accord"
    assert article.kind == "republished"
    assert article.rights == "republished"
    assert article.original_author == "Selin Aksoy"
    assert article.source_outlet == "NORTHWIRE"
    assert article.source_published_on == datetime.date(2024, 6, 14)
    assert article.publish_at.date() == datetime.date(2024, 6, 15)
    assert article.body.startswith("ANKARA — Turkey and Azerbaijan signed")
    assert article.body.rstrip().endswith("would take place in the autumn.")
    for chrome in (
        "Caucasus Center Notes",
        "Posted by",
        "Reblogged",
        "Comment by",
        "Pingback",
        "comment form",
        "Share this",
    ):
        assert chrome not in article.body
    assert set(article.regions.values_list("slug", flat=True)) >= {"azerbaijan"}


def test_a_video_post_is_a_briefing_without_credits_or_the_reply_form(vocabulary, run_import):
    run_import(PAGES / "watch-video.txt")

    article = _article("watch-video.txt")
    assert article.kind == "briefing"
    assert article.video_url == "https://www.youtube.com/watch?v=QwErTyUiOpA"
    assert article.body.startswith("Our fellow explains")
    for chrome in (
        "subtitles",
        "Patreon",
        "PayPal",
        "Be the first",
        "Leave a Reply",
        "email address",
        "Post Comment",
        "youtube.com",
    ):
        assert chrome not in article.body


def test_markdown_and_html_pages_keep_their_structure(vocabulary, run_import):
    run_import(PAGES / "border-commission.md", PAGES / "lachin-notes.html")

    markdown = _article("border-commission.md")
    assert markdown.title == "The border commissions, one year on"
    assert "## What they agreed" in markdown.body
    assert "**border commissions**" in markdown.body
    page = _article("lachin-notes.html")
    assert page.title == "Notes from the Lachin road"
    assert page.publish_at.date() == datetime.date(2023, 1, 18)
    assert page.body.startswith("For five weeks")
    for chrome in ("Home", "Share this", "Twitter", "Leave a Reply", "Blog at"):
        assert chrome not in page.body


def test_regions_are_suggested_from_the_text_and_reported(vocabulary, run_import):
    run = run_import(PAGES / "lachin-notes.html")

    article = _article("lachin-notes.html")
    assert "nagorno-karabakh" in set(article.regions.values_list("slug", flat=True))
    assert (
        "tag suggested: region Nagorno-Karabakh (applied)"
        in run.row("lachin-notes.html")["warnings"]
    )


def test_running_again_on_the_same_files_changes_nothing(vocabulary, run_import):
    run_import(PAGES)
    before = list(Article.objects.order_by("pk").values_list("pk", "slug", "lock_version"))

    run = run_import(PAGES)

    assert set(run.results().values()) == {"unchanged"}
    assert list(Article.objects.order_by("pk").values_list("pk", "slug", "lock_version")) == before


def test_with_publish_dated_pages_are_published_and_undated_ones_stay_drafts(
    vocabulary, run_import
):
    run_import(PAGES, publish=True)

    assert _article("own-analysis.txt").is_public
    assert _article("own-analysis.txt").publish_at.date() == datetime.date(2024, 10, 9)
    assert _article("no-title.txt").status == "draft"


def test_an_unknown_file_type_is_refused(db, run_import, tmp_path):
    from django.core.management import CommandError

    odd = tmp_path / "notes.docx"
    odd.write_bytes(b"PK")

    with pytest.raises(CommandError, match="not a WordPress export"):
        run_import(odd)


def test_a_republished_page_credits_its_original_author_on_the_article_page(
    vocabulary, run_import, client
):
    run_import(PAGES / "reblog-wire.txt", publish=True)
    article = _article("reblog-wire.txt")

    page = client.get(article.get_absolute_url()).text

    assert "This piece by Selin Aksoy first appeared in NORTHWIRE on" in page
    assert "14 June 2024" in page
    assert 'href=""' not in page


def test_a_page_imported_alone_then_with_its_folder_is_one_article(
    vocabulary, run_import, tmp_path
):
    folder = tmp_path / "saved" / "2024"
    folder.mkdir(parents=True)
    page = folder / "own-analysis.txt"
    page.write_text((PAGES / "own-analysis.txt").read_text())
    run_import(page)

    run = run_import(tmp_path / "saved")

    assert run.results() == {"2024/own-analysis.txt": "unchanged"}
    assert Article.objects.count() == 1


def test_the_api_gives_the_original_author_of_a_republished_page(vocabulary, run_import, client):
    run_import(PAGES / "reblog-wire.txt", publish=True)
    article = _article("reblog-wire.txt")

    rights = client.get(f"/api/v1/articles/{article.slug}/").json()["rights"]

    assert rights["original_author"] == "Selin Aksoy"
    assert rights["source_outlet"] == "NORTHWIRE"


@pytest.mark.parametrize("date", ["2024-10-09", "October 9, 2024"])
def test_a_date_opening_the_text_on_the_first_line_is_read_and_taken_out(
    db, run_import, tmp_path, date
):
    page = tmp_path / "war.txt"
    page.write_text(
        f"   date {date} In 2020, the war between Armenia and Azerbaijan ended with a "
        "ceasefire signed in Moscow. Russian peacekeepers arrived within days.\n\n"
        "The corridor became the next question.\n",
        encoding="utf-8",
    )

    run = run_import(page)

    article = _article("war.txt")
    assert article.publish_at.date() == datetime.date(2024, 10, 9)
    assert (
        article.title == "In 2020, the war between Armenia and Azerbaijan ended with a ceasefire…"
    )
    assert article.body.startswith("In 2020, the war between Armenia")
    assert "2024" not in article.body
    assert "date" not in article.body.lower()
    assert "no date found" not in run.row("war.txt")["warnings"]


def test_a_short_dated_opening_stays_in_the_text_and_makes_the_title(db, run_import, tmp_path):
    page = tmp_path / "note.txt"
    page.write_text(
        " date 2024-10-09 Talks resumed in Geneva\n\nBoth delegations met for four hours.\n",
        encoding="utf-8",
    )

    run_import(page)

    article = _article("note.txt")
    assert article.title == "Talks resumed in Geneva"
    assert article.body.startswith("Talks resumed in Geneva")
    assert article.publish_at.date() == datetime.date(2024, 10, 9)
