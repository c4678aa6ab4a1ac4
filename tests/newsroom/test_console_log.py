"""What the console of `make run` shows: what happened and what is wrong, nothing else.

Each test runs a few lines in a fresh process with the project's own settings and DEBUG on,
as `make run` does, and reads what that process wrote to its console."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import django
django.setup()
from django.test import Client
"""


def _console(code: str) -> str:
    dropped = {"DJANGO_SETTINGS_MODULE", "DEBUG", "LOG_LEVEL", "CELERY_BROKER_URL"}
    env = {k: v for k, v in os.environ.items() if k not in dropped} | {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "1",
        "NEWSROOM_ENV_FILE": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", SETUP + textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


def test_a_refused_permission_is_one_line_without_traceback():
    console = _console(
        """
        from django.core.exceptions import PermissionDenied
        from django.core.handlers.exception import response_for_exception
        from django.test import RequestFactory
        request = RequestFactory().get("/admin/articles/article/", HTTP_HOST="127.0.0.1")
        response_for_exception(request, PermissionDenied("writers may not publish"))
        """
    )
    lines = [line for line in console.splitlines() if line.strip()]
    assert len(lines) == 1, console
    assert (
        "WARNING django.request Forbidden (Permission denied): /admin/articles/article/"
        in (lines[0])
    )


def test_a_refused_csrf_token_is_one_line():
    console = _console(
        """
        Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1").post("/follow/", {})
        """
    )
    lines = [line for line in console.splitlines() if line.strip()]
    assert len(lines) == 1, console
    assert "WARNING django.security.csrf Forbidden (CSRF cookie not set.): /follow/" in lines[0]


def test_a_server_error_keeps_its_traceback():
    console = _console(
        """
        from django.core.handlers.exception import response_for_exception
        from django.test import RequestFactory
        request = RequestFactory().get("/articles/x/", HTTP_HOST="127.0.0.1")
        try:
            raise ZeroDivisionError("a bug of ours")
        except ZeroDivisionError as error:
            response_for_exception(request, error)
        """
    )
    assert "ERROR django.request Internal Server Error: /articles/x/" in console
    assert "Traceback" in console and "ZeroDivisionError: a bug of ours" in console


def test_printing_pdfs_shows_no_progress_and_each_warning_once():
    console = _console(
        """
        import logging
        try:
            import weasyprint
        except (ImportError, OSError):
            raise SystemExit(0)
        for _ in range(3):
            weasyprint.HTML(string="<h1>Lachin</h1><p>The corridor.</p>").write_pdf()
        """
    )
    assert "weasyprint.progress" not in console
    assert "INFO fontTools" not in console
    # A missing system library is said once, not for every PDF.
    assert all(console.count(line) == 1 for line in console.splitlines() if line.strip())


def test_an_eager_task_gives_no_broker_warning():
    console = _console(
        """
        from newsroom.celery import app
        assert app.conf.task_always_eager
        for _ in range(3):
            app.tasks["celery.accumulate"].delay(1)
        """
    )
    assert "No hostname was supplied" not in console
    assert console.strip() == ""
