import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import RegionFactory, TopicFactory

FIXTURES = Path(__file__).resolve().parent / "fixtures"
WXR = FIXTURES / "center.wxr.xml"
UPLOADS = FIXTURES / "uploads"
PAGES = FIXTURES / "pages"


@pytest.fixture
def vocabulary(db):
    """The part of the Center's vocabulary the fixtures talk about, with its keywords."""
    return {
        "iran": RegionFactory(name="Iran", slug="iran", keywords="Iranian\nTehran"),
        "azerbaijan": RegionFactory(
            name="Azerbaijan", slug="azerbaijan", keywords="Azerbaijani\nAzeri\nBaku"
        ),
        "armenia": RegionFactory(name="Armenia", slug="armenia", keywords="Armenian\nYerevan"),
        "georgia": RegionFactory(name="Georgia", slug="georgia", keywords="Georgian\nTbilisi"),
        "russia": RegionFactory(name="Russia", slug="russia", keywords="Russian\nMoscow\nKremlin"),
        "israel": RegionFactory(name="Israel", slug="israel", keywords="Israeli\nJerusalem"),
        "nagorno-karabakh": RegionFactory(
            name="Nagorno-Karabakh",
            slug="nagorno-karabakh",
            keywords="Karabakh\nArtsakh\nStepanakert",
        ),
        "border-security": TopicFactory(
            name="Border security", slug="border-security", keywords="border\ncheckpoint"
        ),
        "drones": TopicFactory(name="Drones", slug="drones", keywords="drone\nUAV"),
        "energy-security": TopicFactory(
            name="Energy security", slug="energy-security", keywords="pipeline\ngas\noil"
        ),
    }


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


class Run:
    """What one `import_archive` run printed and reported."""

    def __init__(self, output: str, report: Path):
        self.output = output
        with report.open(encoding="utf-8") as handle:
            self.rows = list(csv.DictReader(handle))

    def row(self, source: str) -> dict:
        return next(row for row in self.rows if row["source"] == source)

    def results(self) -> dict[str, str]:
        return {row["source"]: row["result"] for row in self.rows}


@pytest.fixture
def run_import(tmp_path, media_root):
    counter = iter(range(1000))

    def run(*paths, **options) -> Run:
        report = tmp_path / f"report-{next(counter)}.csv"
        out = io.StringIO()
        call_command("import_archive", *map(str, paths), report=str(report), stdout=out, **options)
        return Run(out.getvalue(), report)

    return run
