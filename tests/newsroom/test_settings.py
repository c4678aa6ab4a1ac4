import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SECRET_KEY": "a-real-production-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "newsroom.example.org",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "SESSION_COOKIE_SECURE": "1",
    "CSRF_COOKIE_SECURE": "1",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
}


def _environment_without(*names: str) -> dict[str, str]:
    """This process's environment as a fresh deployment would have it."""
    # The browser tests allow Django's async-unsafe mode in this process; a deployment never.
    dropped = {*names, "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    return env | {"DJANGO_SETTINGS_MODULE": "newsroom.settings"}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = _environment_without(*PRODUCTION, "DEBUG")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_site_refuses_to_start_without_a_secret_key():
    result = _manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_site_refuses_a_short_secret_key():
    result = _manage("check", SECRET_KEY="changeme")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_run_starts_without_a_secret_key():
    assert _manage("check", DEBUG="1").returncode == 0


def test_deploy_check_is_clean_with_the_documented_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_sends_hsts():
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz', secure=True, HTTP_HOST='newsroom.example.org');"
        "print(r.headers.get('Strict-Transport-Security'))"
    )
    env = _environment_without("DEBUG") | PRODUCTION
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert "max-age=31536000; includeSubDomains; preload" in result.stdout, result.stderr


def _page_cache_seconds(**env: str) -> int:
    code = "from django.conf import settings; print(settings.PAGE_CACHE_SECONDS)"
    result = _manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.split()[-1])


def test_page_cache_is_off_without_a_shared_cache():
    without_cache = {k: v for k, v in PRODUCTION.items() if k != "CACHE_URL"}
    assert _page_cache_seconds(**without_cache) == 0
    assert _page_cache_seconds(**PRODUCTION) == 300


def test_site_refuses_the_page_cache_on_a_local_memory_cache():
    without_cache = {k: v for k, v in PRODUCTION.items() if k != "CACHE_URL"}
    result = _manage("check", PAGE_CACHE_SECONDS="300", **without_cache)
    assert result.returncode != 0
    assert "newsroom.E001" in result.stderr and "CACHE_URL" in result.stderr


def test_deploy_check_says_rate_limits_need_a_shared_cache():
    without_cache = {k: v for k, v in PRODUCTION.items() if k != "CACHE_URL"}
    result = _manage("check", "--deploy", **without_cache)
    assert result.returncode != 0
    assert "newsroom.E002" in result.stderr and "Rate limits" in result.stderr


def test_every_periodic_task_names_a_task_the_workers_know():
    """The beat sends tasks by name: a name no worker knows is a job that silently never runs."""
    from django.conf import settings

    from newsroom.celery import app

    app.loader.import_default_modules()
    known = set(app.tasks)
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in known, name
