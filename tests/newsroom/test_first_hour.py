"""A newcomer's first hour: `make run PORT=8123` in a checkout, then the README's commands
typed as the README shows them, in a shell that has none of the project's variables."""

import csv
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "articles" / "importer" / "fixtures"
PORT = "8123"

# The README's commands, with its placeholders filled in (a demo report has a DOI).
README_COMMANDS = {
    "import_archive": ".venv/bin/python manage.py import_archive export.xml pages/ "
    "--media-dir wp-content/uploads --report report.csv",
    "crossref_xml": ".venv/bin/python manage.py crossref_xml lachin-corridor-blockade",
    "publish_due": ".venv/bin/python manage.py publish_due",
    "axes_reset": ".venv/bin/python manage.py axes_reset",
}


def _newcomer_environment() -> dict[str, str]:
    """A fresh terminal: no DEBUG, SECRET_KEY, SITE_URL or DATABASE_URL of ours. Printing
    the demo's PDFs takes half a minute and is not what these tests look at."""
    kept = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}
    return {k: v for k, v in os.environ.items() if k in kept} | {"PDF_EDITIONS": "0"}


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A copy of this checkout after `make run PORT=8123`, stopped before it serves."""
    if shutil.which("make") is None:
        pytest.skip("needs GNU make")
    copy = tmp_path_factory.mktemp("first-hour") / "newsroom"
    skipped = shutil.ignore_patterns(".venv", ".git", "var", ".env", "__pycache__", ".*_cache")
    shutil.copytree(ROOT, copy, ignore=skipped)
    (copy / ".venv").symlink_to(ROOT / ".venv")  # installed already
    stand_in = copy.parent / "bin" / "python"  # the venv's Python, which does not serve
    stand_in.parent.mkdir()
    stand_in.write_text(
        f'#!/bin/sh\n[ "$2" = runserver ] && exit 0\nexec {copy}/.venv/bin/python "$@"\n'
    )
    stand_in.chmod(0o755)
    installed = copy.parent / ".installed"
    installed.touch()
    subprocess.run(
        ["make", "-s", "run", f"PORT={PORT}", f"BIN={stand_in.parent}", f"INSTALLED={installed}"],
        cwd=copy,
        env=_newcomer_environment(),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    # What the import section of the README imports: an export, saved pages, uploads.
    shutil.copy(FIXTURES / "center.wxr.xml", copy / "export.xml")
    shutil.copytree(FIXTURES / "pages", copy / "pages")
    shutil.copytree(FIXTURES / "uploads", copy / "wp-content" / "uploads")
    return copy


def _type(checkout: Path, command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        shlex.split(command),
        cwd=checkout,
        env=_newcomer_environment(),
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_the_readme_commands_work_as_written_after_make_run(checkout):
    for name, command in README_COMMANDS.items():
        result = _type(checkout, command)
        assert result.returncode == 0, f"{name}: {result.stderr[-2000:]}"
    assert (checkout / "crossref-lachin-corridor-blockade.xml").stat().st_size > 0


def test_the_import_report_links_to_the_port_served(checkout):
    result = _type(checkout, README_COMMANDS["import_archive"].replace("report.csv", "again.csv"))
    assert result.returncode == 0, result.stderr[-2000:]
    with (checkout / "again.csv").open(encoding="utf-8") as report:
        links = [row["admin_url"] for row in csv.DictReader(report) if row["admin_url"]]
    assert links
    assert all(link.startswith(f"http://127.0.0.1:{PORT}/admin/articles/") for link in links)
