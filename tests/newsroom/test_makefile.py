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


def _project(tmp_path: Path) -> Path:
    """The Makefile in a folder of its own, installed already, with the stand-in Python."""
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
    return project


def _make(project: Path, target: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    ours = ("SITE_URL", "HOST", "PORT", "DEBUG")
    environment = {k: v for k, v in os.environ.items() if k not in ours}
    bin_dir, installed = project.parent / "bin", project.parent / ".installed"
    command = ["make", "-s", "-C", str(project), target, f"BIN={bin_dir}", f"INSTALLED={installed}"]
    return subprocess.run(
        [*command, *args],
        env=environment | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _make_run(tmp_path: Path, *args: str, **env: str) -> str:
    result = _make(_project(tmp_path), "run", *args, **env)
    assert result.returncode == 0, result.stderr
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


def test_make_run_leaves_its_settings_for_every_command_in_the_checkout(tmp_path):
    project = _project(tmp_path)
    _make(project, "run", "PORT=8201")
    assert (project / ".env").read_text().splitlines()[1:] == [
        "DEBUG=1",
        "SITE_URL=http://127.0.0.1:8201",
    ]
    _make(project, "run", "PORT=8202")  # its own file follows the port served
    assert "SITE_URL=http://127.0.0.1:8202" in (project / ".env").read_text()


def test_make_run_never_overwrites_a_env_you_wrote(tmp_path):
    project = _project(tmp_path)
    yours = "DEBUG=1\nSITE_URL=https://newsroom.example.org\nSECRET_KEY=mine\n"
    (project / ".env").write_text(yours)
    _make(project, "run", "PORT=8201")
    assert (project / ".env").read_text() == yours


def test_make_up_refuses_the_settings_make_run_left(tmp_path):
    project = _project(tmp_path)
    _make(project, "run")
    production = {
        "DATABASE_URL": "postgres://db/newsroom",
        "CELERY_BROKER_URL": "redis://redis/0",
        "SECRET_KEY": "x" * 60,
        "CACHE_URL": "redis://redis/1",
    }
    result = _make(project, "up", **production)
    assert result.returncode != 0
    assert "remove .env" in result.stdout
    assert "migrate" not in result.stdout  # stopped before touching anything
