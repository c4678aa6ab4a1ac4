import datetime

import pytest
import reversion
from django.core.management import CommandError
from django.db import DatabaseError
from django.utils import timezone

from articles import services
from articles.models import Article, ImportRecord, Redirect, TermProposal
from articles.revisions import snapshot, versions_of
from notifications.models import Follower
from outbox.models import Notification
from tests.factories import UserFactory

from .conftest import UPLOADS, WXR

pytestmark = pytest.mark.django_db

SITE = "https://blog.caucasus-center.example"


def _article(post_id: int) -> Article:
    return ImportRecord.objects.get(source_key=f"wordpress:{SITE}:{post_id}").article


def test_without_publish_every_post_is_a_draft_and_nothing_is_public(vocabulary, run_import):
    run = run_import(WXR, media_dir=UPLOADS)

    assert run.results() == {
        "post 101": "created",
        "post 102": "created",
        "post 103": "created",
        "post 104": "created",
        "post 105": "created",
        "post 106": "created",
        "post 107": "skipped",
        "post 108": "skipped",
        "post 109": "created",
    }
    assert Article.objects.count() == 7
    assert set(Article.objects.values_list("status", flat=True)) == {"draft"}
    assert not Article.objects.published().exists()


def test_with_publish_posts_keep_their_status_and_original_date(vocabulary, run_import):
    run_import(WXR, media_dir=UPLOADS, publish=True)

    published = _article(101)
    assert published.status == "published"
    assert published.publish_at == datetime.datetime(2021, 10, 4, 8, 0, tzinfo=datetime.UTC)
    assert published.first_published_at == published.publish_at
    assert _article(102).status == "draft"  # draft
    assert _article(103).status == "draft"  # pending
    assert _article(104).status == "draft"  # private
    assert _article(106).status == "draft"  # scheduled on WordPress, never seen there
    assert set(Article.objects.published().values_list("slug", flat=True)) == {
        "drills-on-the-araz",
        "watch-ceasefire-statement",
        "untitled-note",
    }


def test_the_report_explains_skipped_and_unusual_posts(vocabulary, run_import):
    run = run_import(WXR, media_dir=UPLOADS)

    assert "trash" in run.row("post 107")["warnings"]
    assert "page" in run.row("post 108")["warnings"]
    assert "private on WordPress" in run.row("post 104")["warnings"]
    assert "date guessed" in run.row("post 109")["warnings"]
    assert "no title found" in run.row("post 109")["warnings"]
    assert _article(109).title.startswith("Shelling along the Armenia–Azerbaijan border")
    assert run.row("post 101")["admin_url"].endswith(
        f"/admin/articles/article/{_article(101).pk}/change/"
    )


def test_publishing_an_import_alerts_no_reader_and_no_partner(vocabulary, run_import):
    run_import(WXR, media_dir=UPLOADS, publish=True)

    assert Article.objects.published().count() == 3
    assert not Notification.objects.exists()


def test_a_draft_from_the_old_site_published_later_keeps_its_date_and_alerts_nobody(
    vocabulary, run_import, editor, django_capture_on_commit_callbacks
):
    run_import(WXR, media_dir=UPLOADS)
    reader = Follower.objects.create(email="reader@example.org", confirmed_at=timezone.now())
    reader.topics.set(_article(101).topics.all())
    reader.regions.set(_article(101).regions.all())

    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_publish(article=_article(101), by=editor)

    assert article.publish_at == datetime.datetime(2021, 10, 4, 8, 0, tzinfo=datetime.UTC)
    # Old news: the reader who follows its topics gets no alert.
    assert not Notification.objects.filter(recipient="reader@example.org").exists()


def test_slug_excerpt_authors_and_coauthors_are_kept(vocabulary, run_import):
    run_import(WXR, media_dir=UPLOADS)

    article = _article(101)
    assert article.slug == "drills-on-the-araz"
    assert article.dek == "Iran's October drills near the Araz river, read as a message to Baku."
    assert [author.name for author in article.ordered_authors()] == [
        "Nargiz Talibova",
        "Davit Kapanadze",
    ]


def test_categories_and_tags_become_topics_and_regions(vocabulary, run_import):
    run_import(WXR, media_dir=UPLOADS)

    article = _article(101)
    assert set(article.topics.values_list("slug", flat=True)) == {"border-security"}
    assert set(article.regions.values_list("slug", flat=True)) == {"iran", "azerbaijan"}


def test_unknown_categories_are_reported_and_proposed_as_topics(vocabulary, run_import):
    run = run_import(WXR, media_dir=UPLOADS)

    assert "new topic “Araz river”" in run.row("post 101")["warnings"]
    proposal = TermProposal.objects.get(name="Araz river")
    assert list(proposal.articles.all()) == [_article(101)]
    assert set(TermProposal.objects.values_list("name", flat=True)) == {
        "Araz river",
        "Photo essays",
        "Video",
    }


def test_a_mapping_file_maps_categories_to_tags_and_kinds(vocabulary, run_import, tmp_path):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        '[terms]\n"araz-river" = "region:azerbaijan"\n"Video" = "kind:briefing"\n'
        '"Photo essays" = "ignore"\n'
    )

    run = run_import(WXR, media_dir=UPLOADS, mapping=str(mapping))

    assert "Araz river" not in run.row("post 101")["warnings"]
    assert not TermProposal.objects.exists()
    assert _article(105).kind == "briefing"


def test_a_mapping_to_a_tag_that_does_not_exist_is_refused(vocabulary, run_import, tmp_path):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[terms]\n"Video" = "topic:no-such-topic"\n')

    with pytest.raises(CommandError, match="no-such-topic"):
        run_import(WXR, mapping=str(mapping))
    assert not Article.objects.exists()


def test_shortcodes_are_converted_and_unknown_ones_kept_and_reported(vocabulary, run_import):
    run = run_import(WXR, media_dir=UPLOADS)

    body = _article(101).body
    assert "[caption" not in body
    assert "*The border along the Araz river*" in body
    assert "[youtube" not in body
    assert "(https://www.youtube.com/watch?v=AbCdEfGhIjK)" in body
    assert '[contact-form-7 id="12" title="Newsletter"]' in body
    assert "unknown shortcode [contact-form-7]" in run.row("post 101")["warnings"]
    gallery = _article(102).body
    assert "[gallery" not in gallery
    assert gallery.count("![") == 2  # 501 and 502; 599 is not in the export
    assert "gallery image 599 is not in the export" in run.row("post 102")["warnings"]


def test_the_first_video_of_a_post_becomes_its_video(vocabulary, run_import):
    run_import(WXR, media_dir=UPLOADS)

    assert _article(101).video_url == "https://www.youtube.com/watch?v=AbCdEfGhIjK"
    assert _article(102).video_url == "https://vimeo.com/123456789"
    assert _article(105).kind == "briefing"
    assert _article(105).video_embed_url.endswith("/embed/ZyXwVuTsRqP")


def test_images_are_stored_and_references_rewritten(vocabulary, run_import, media_root):
    run_import(WXR, media_dir=UPLOADS)

    article = _article(101)
    # The post shows a resized variant; the copy has only the original, which is used.
    assert "](/media/archive/2021/05/araz-border-map.png)" in article.body
    assert (media_root / "archive/2021/05/araz-border-map.png").exists()
    assert '<img src="/media/archive/2021/05/araz-border-map.png"' in article.body_html


def test_a_missing_image_is_reported_per_post_and_kept(vocabulary, run_import):
    run = run_import(WXR, media_dir=UPLOADS)

    assert "missing image: 2020/11/statement-signing.jpg" in run.row("post 105")["warnings"]
    assert "uploads/2020/11/statement-signing.jpg" in _article(105).body
    assert "missing image: 2022/05/lachin-checkpoint.jpg" in run.row("post 102")["warnings"]


def test_without_a_media_copy_every_image_is_reported(vocabulary, run_import):
    run = run_import(WXR)

    assert "missing image: 2021/05/araz-border-map" in run.row("post 101")["warnings"]
    assert "missing featured image" in run.row("post 101")["warnings"]


def test_the_featured_image_comes_with_its_alt_text(vocabulary, run_import):
    run_import(WXR, media_dir=UPLOADS)

    article = _article(101)
    assert article.image.name == "archive/2021/05/araz-border-map.png"
    assert article.image_alt == "Sketch map of the Araz river along the Iran–Azerbaijan border"


def test_scripts_in_a_post_never_reach_the_page(vocabulary, run_import):
    run_import(WXR, media_dir=UPLOADS)

    article = _article(105)
    assert "alert" not in article.body
    assert "<script" not in article.body_html


def test_running_twice_creates_nothing_twice(vocabulary, run_import, media_root):
    first = run_import(WXR, media_dir=UPLOADS, publish=True)
    before = {
        "articles": list(Article.objects.order_by("pk").values_list("pk", "slug", "lock_version")),
        "redirects": Redirect.objects.count(),
        "media": sorted(p.name for p in media_root.rglob("*") if p.is_file()),
    }

    second = run_import(WXR, media_dir=UPLOADS, publish=True)

    assert set(first.results().values()) == {"created", "skipped"}
    assert set(second.results().values()) == {"unchanged", "skipped"}
    assert (
        list(Article.objects.order_by("pk").values_list("pk", "slug", "lock_version"))
        == (before["articles"])
    )
    assert Redirect.objects.count() == before["redirects"]
    assert sorted(p.name for p in media_root.rglob("*") if p.is_file()) == before["media"]


def test_a_changed_post_is_updated_in_place(vocabulary, run_import, tmp_path):
    run_import(WXR, media_dir=UPLOADS)
    changed = tmp_path / "changed.xml"
    changed.write_text(
        WXR.read_text().replace("Baku did not.", "Baku did not, and said so."), encoding="utf-8"
    )

    run = run_import(changed, media_dir=UPLOADS)

    assert run.row("post 101")["result"] == "updated"
    assert run.row("post 103")["result"] == "unchanged"
    assert Article.objects.count() == 7
    assert "Baku did not, and said so." in _article(101).body


def test_a_post_is_recognised_by_its_guid_when_the_site_address_changed(
    vocabulary, run_import, tmp_path
):
    run_import(WXR, media_dir=UPLOADS)
    moved = tmp_path / "moved.xml"
    moved.write_text(
        WXR.read_text().replace(
            "<wp:base_site_url>https://blog.caucasus-center.example",
            "<wp:base_site_url>https://www.caucasus-center.example",
        ),
        encoding="utf-8",
    )

    run = run_import(moved, media_dir=UPLOADS)

    assert run.row("post 101")["result"] == "unchanged"
    assert Article.objects.count() == 7


def test_an_article_edited_since_its_import_is_not_overwritten(vocabulary, run_import, tmp_path):
    run_import(WXR, media_dir=UPLOADS)
    article = _article(101)
    article.body = "An editor rewrote this."
    article.save()
    changed = tmp_path / "changed.xml"
    changed.write_text(WXR.read_text().replace("Baku did not.", "Baku objected."))

    run = run_import(changed, media_dir=UPLOADS)

    assert run.row("post 101")["result"] == "skipped"
    assert "edited since its import" in run.row("post 101")["warnings"]
    article.refresh_from_db()
    assert article.body == "An editor rewrote this."


def test_a_dry_run_writes_nothing_but_reports_everything(vocabulary, run_import, media_root):
    run = run_import(WXR, media_dir=UPLOADS, dry_run=True)

    assert run.results()["post 101"] == "created"
    assert "unknown shortcode" in run.row("post 101")["warnings"]
    assert run.row("post 101")["admin_url"] == ""
    assert not Article.objects.exists()
    assert not ImportRecord.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.png"))
    assert "Dry run" in run.output


def test_a_broken_export_is_refused_with_its_reason(db, run_import, tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text('<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>')

    with pytest.raises(CommandError, match="not well-formed"):
        run_import(broken)


def test_entities_in_an_export_are_not_expanded(db, run_import, tmp_path):
    hostile = tmp_path / "hostile.xml"
    hostile.write_text(
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        '<rss xmlns:wp="http://wordpress.org/export/1.2/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><item>'
        "<title>Hostile</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>"
        "<wp:status>draft</wp:status><content:encoded>&secret;</content:encoded>"
        "</item></channel></rss>"
    )

    run_import(hostile)

    assert "root:" not in Article.objects.get().body


def test_a_run_without_publish_never_takes_a_published_import_down(vocabulary, run_import):
    run_import(WXR, media_dir=UPLOADS, publish=True)

    run_import(WXR, media_dir=UPLOADS)

    assert _article(101).is_public
    assert Article.objects.published().count() == 3


def test_each_imported_article_has_one_revision_holding_its_bylines_and_tags(
    vocabulary, run_import
):
    editor = UserFactory(username="archivist")
    run_import(WXR, media_dir=UPLOADS, publish=True, user="archivist")

    article = _article(101)
    [version] = versions_of(article)
    shot = snapshot(version)
    assert version.revision.comment == "Imported from post 101"
    assert version.revision.user == editor
    assert shot.fields["title"] == article.title
    assert shot.fields["body"] == article.body
    assert shot.author_ids == [byline.author_id for byline in article.bylines.all()]
    assert sorted(shot.topic_ids) == sorted(article.topics.values_list("pk", flat=True))
    assert sorted(shot.region_ids) == sorted(article.regions.values_list("pk", flat=True))
    assert shot.region_ids  # the post is tagged, so the revision has something to hold


def test_an_updated_import_adds_a_revision_with_the_new_text(vocabulary, run_import, tmp_path):
    run_import(WXR, media_dir=UPLOADS)
    changed = tmp_path / "changed.xml"
    changed.write_text(WXR.read_text().replace("Baku did not.", "Baku did not, and said so."))

    run_import(changed, media_dir=UPLOADS)

    newest, oldest = versions_of(_article(101))
    assert "Baku did not, and said so." in snapshot(newest).fields["body"]
    assert "Baku did not, and said so." not in snapshot(oldest).fields["body"]
    assert snapshot(newest).author_ids == snapshot(oldest).author_ids != []


def test_the_import_revision_holds_what_django_reversion_records_for_an_article(
    vocabulary, run_import
):
    run_import(WXR, media_dir=UPLOADS, publish=True)
    article = _article(101)
    [imported] = versions_of(article)
    with reversion.create_revision():
        reversion.add_to_revision(article)
    recorded = versions_of(article).first()

    def held(version) -> dict:
        rows = {}
        for row in version.revision.version_set.select_related("content_type"):
            fields = row.field_dict
            fields.pop("search_vector", None)  # written by the database after the save
            rows[row.content_type.model, row.object_id] = fields
        return rows

    assert recorded != imported
    assert held(imported) == held(recorded)


def _export(*posts: str) -> str:
    return (
        '<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<wp:base_site_url>{SITE}</wp:base_site_url>{''.join(posts)}</channel></rss>"
    )


def _post(post_id: int, link: str) -> str:
    return (
        f"<item><title>Lachin report {post_id}</title><link>{SITE}{link}</link>"
        f"<dc:creator>Nina Aslanyan</dc:creator><wp:post_id>{post_id}</wp:post_id>"
        "<wp:post_type>post</wp:post_type><wp:status>draft</wp:status>"
        "<content:encoded>The road was closed again.</content:encoded></item>"
    )


def test_a_post_that_fails_after_creating_its_author_leaves_the_next_post_its_author(
    db, run_import, tmp_path, monkeypatch
):
    export = tmp_path / "export.xml"
    export.write_text(_export(_post(1, "/2022/broken/"), _post(2, "/2022/lachin/")))
    # The database refuses the first post's old address, after its author was created.
    bulk_create = Redirect.objects.bulk_create

    def refuse_the_broken_one(redirects, **options):
        if any(r.old_path == "/2022/broken" for r in redirects):
            raise DatabaseError("value too long for type character varying(500)")
        return bulk_create(redirects, **options)

    monkeypatch.setattr(Redirect.objects, "bulk_create", refuse_the_broken_one)

    run = run_import(export)

    assert run.results() == {"post 1": "failed", "post 2": "created"}
    assert [author.name for author in _article(2).ordered_authors()] == ["Nina Aslanyan"]


def test_an_old_address_too_long_to_keep_is_reported_and_the_post_imported(
    db, run_import, tmp_path
):
    export = tmp_path / "export.xml"
    export.write_text(_export(_post(1, "/2022/" + "x" * 600 + "/")))

    run = run_import(export)

    assert run.results() == {"post 1": "created"}
    assert "too long to redirect" in run.row("post 1")["warnings"]
    assert not Redirect.objects.exists()
