"""`make run` as a newcomer types it, with a stand-in for the virtualenv's Python."""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Stands in for .venv/bin/python: says what it was asked to run, and with which SITE_URL.
FAKE_PYTHON = '#!/bin/sh\necho "python $* SITE_URL=$SITE_URL"\n'


def _make_run(tmp_path: Path, *args: str, **env: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("needs GNU make")
    project = tmp_path / "project"
    project.mkdir()
    for name in ("Makefile", "requirements.txt", "requirements-dev.txt"):
        shutil.copy(ROOT / name, project / name)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").write_text(FAKE_PYTHON)
    (bin_dir / "python").chmod(0o755)
    installed = tmp_path / ".installed"  # newer than the requirements: nothing to install
    time.sleep(0.01)
    installed.touch()
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT")}
    command = ["make", "-s", "-C", str(project), "run", f"BIN={bin_dir}", f"INSTALLED={installed}"]
    result = subprocess.run(
        [*command, *args],
        env=environment | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return next(line for line in result.stdout.splitlines() if "runserver" in line)


def test_make_run_on_another_port_links_to_that_port(tmp_path):
    line = _make_run(tmp_path, "PORT=8201")
    assert line == "python manage.py runserver 127.0.0.1:8201 SITE_URL=http://127.0.0.1:8201"


def test_make_run_uses_host_and_port_by_default(tmp_path):
    line = _make_run(tmp_path)
    assert line == "python manage.py runserver 127.0.0.1:8000 SITE_URL=http://127.0.0.1:8000"


def test_a_site_url_given_by_the_environment_wins(tmp_path):
    line = _make_run(tmp_path, "PORT=8201", SITE_URL="https://newsroom.example.org")
    assert line.endswith("runserver 127.0.0.1:8201 SITE_URL=https://newsroom.example.org")
