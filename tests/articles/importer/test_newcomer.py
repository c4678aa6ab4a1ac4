"""What a newcomer's first import showed: WordPress's default category, an outlet in
capitals, and the report saying early what will block publishing."""

import pytest

from articles.models import ImportRecord, TermProposal

from .conftest import UPLOADS
from .exports import attachment, post, write_export

pytestmark = pytest.mark.django_db


def test_wordpress_default_category_is_not_proposed_as_a_topic(tmp_path, run_import):
    export = write_export(
        tmp_path / "export.xml", post(101, categories=["Uncategorized", "Caspian shipping"])
    )
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "note.txt").write_text(
        "Talks resumed\n\nThe talks resumed in Geneva.\n\nPosted by Nargiz | Uncategorised\n"
    )

    run = run_import(export, pages)

    assert list(TermProposal.objects.values_list("name", flat=True)) == ["Caspian shipping"]
    assert "Uncategori" not in run.output + str(run.rows)


def _reblog(tmp_path, body: str):
    page = tmp_path / "wire.txt"
    page.write_text(
        "Caucasus Center Notes\n\nEurope's quiet role in the South Caucasus\n\n"
        f"By Thomas de Waal | CARNEGIE EUROPE | June 14, 2024\n\n{body}\n"
    )
    return page


def test_an_outlet_in_capitals_takes_the_case_the_text_writes_it_in(tmp_path, run_import):
    page = _reblog(tmp_path, "Writing for Carnegie  Europe, the author looks at the EU mission.")

    run_import(page)

    article = ImportRecord.objects.get(source_key="page:wire.txt").article
    assert article.source_outlet == "Carnegie Europe"


def test_an_outlet_the_text_never_writes_otherwise_stays_as_it_was(tmp_path, run_import):
    run_import(_reblog(tmp_path, "The author looks at the EU monitoring mission in Armenia."))

    article = ImportRecord.objects.get(source_key="page:wire.txt").article
    assert article.source_outlet == "CARNEGIE EUROPE"


def test_the_report_warns_of_what_will_block_publishing(tmp_path, run_import):
    export = write_export(
        tmp_path / "export.xml",
        attachment(501, "2021/05/araz-border-map.png", parent=101),  # no alt, no caption
        post(
            101,
            creator="",
            body='A map: <img src="https://maps.example/araz.png">',
            meta={"_thumbnail_id": ["501"]},
        ),
    )

    run = run_import(export, media_dir=UPLOADS)

    warnings = run.row("post 101")["warnings"]
    assert "blocks publishing: To publish, the article needs at least one author." in warnings
    assert "blocks publishing: The featured image has no alt text" in warnings
    assert "blocks publishing: The image https://maps.example/araz.png in the body has no alt" in (
        warnings
    )


def test_the_report_warns_of_a_republished_page_without_its_source_url(tmp_path, run_import):
    run = run_import(_reblog(tmp_path, "The author looks at the EU mission."))

    warnings = run.row("wire.txt")["warnings"]
    assert "blocks publishing: A republished piece needs the URL of the original" in warnings


def test_a_post_ready_to_publish_has_no_such_warning(tmp_path, run_import):
    body = "Iranian ground forces held manoeuvres near the Araz river."
    export = write_export(tmp_path / "export.xml", post(101, body=body))
    export.write_text(
        export.read_text().replace(
            "<excerpt:encoded><![CDATA[]]>", "<excerpt:encoded><![CDATA[Drills, read.]]>"
        )
    )

    run = run_import(export)

    assert "blocks publishing" not in run.row("post 101")["warnings"]
