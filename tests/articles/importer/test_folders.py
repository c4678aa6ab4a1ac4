"""A folder handed to the importer is read only for the regular files inside it."""

import os
import threading
import time

import pytest

from articles.models import Article

pytestmark = pytest.mark.django_db

SECRET = "root:x:0:0:the secret line of a file outside the folder"


def _page(path, text="Why the crossings matter\n\nThe Araz crossings matter.\n"):
    path.write_text(text, encoding="utf-8")
    return path


def _feed_the_pipe_if_opened(fifo, text: str, seconds: float = 5) -> None:
    """A pipe blocks whoever opens it until someone writes: if the import opens it, this
    writes into it, so that the test fails rather than hangs."""

    def feed():
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                descriptor = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # nobody reading yet
                time.sleep(0.02)
                continue
            os.write(descriptor, text.encode())
            os.close(descriptor)
            return

    threading.Thread(target=feed, daemon=True).start()


def test_a_link_out_of_the_pages_folder_is_reported_and_not_read(tmp_path, run_import):
    outside = tmp_path / "outside" / "passwd"
    outside.parent.mkdir()
    outside.write_text(SECRET + "\n", encoding="utf-8")
    pages = tmp_path / "pages"
    pages.mkdir()
    _page(pages / "real.txt")
    (pages / "x.txt").symlink_to(outside)
    (pages / "sub").mkdir()
    (pages / "sub" / "up.md").symlink_to("../../outside/passwd")

    run = run_import(pages)

    assert run.row("x.txt")["result"] == "skipped"
    assert "outside the folder" in run.row("x.txt")["warnings"]
    assert run.row("sub/up.md")["result"] == "skipped"
    assert run.row("real.txt")["result"] == "created"
    assert not Article.objects.filter(body__contains="secret line").exists()
    assert not Article.objects.filter(title__contains="secret line").exists()


def test_a_link_inside_the_pages_folder_is_read(tmp_path, run_import):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "saved").mkdir()
    _page(pages / "saved" / "original.txt")
    (pages / "alias.txt").symlink_to("saved/original.txt")

    run = run_import(pages / "alias.txt", pages)

    assert run.row("alias.txt")["result"] == "created"
    assert Article.objects.filter(title="Why the crossings matter").exists()


def test_a_pipe_in_the_pages_folder_is_reported_and_not_read(tmp_path, run_import):
    pages = tmp_path / "pages"
    pages.mkdir()
    _page(pages / "real.txt")
    os.mkfifo(pages / "pipe.txt")
    _feed_the_pipe_if_opened(pages / "pipe.txt", SECRET)

    run = run_import(pages)

    assert run.row("pipe.txt")["result"] == "skipped"
    assert "not a regular file" in run.row("pipe.txt")["warnings"]
    assert not Article.objects.filter(body__contains="secret line").exists()


def test_a_link_out_of_the_folder_named_like_an_export_is_not_read(tmp_path, run_import):
    export = tmp_path / "elsewhere.xml"
    export.write_text(
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>'
        "<title>From outside</title><wp:post_type>post</wp:post_type>"
        "<wp:post_id>1</wp:post_id><wp:status>draft</wp:status></item></channel></rss>",
        encoding="utf-8",
    )
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "export.xml").symlink_to(export)

    run = run_import(folder)

    assert run.row("export.xml")["result"] == "skipped"
    assert not Article.objects.filter(title="From outside").exists()
