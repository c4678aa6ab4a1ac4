"""What a 100 MB submission costs the server before it is refused.

Sends POST /submit/ with a valid CSRF token and one 100 MB attachment straight to Django's
WSGI handler (the body read from a file, as a server would stream it), and reports the
answer, the wall time, the Python memory peak (tracemalloc) and the bytes Django wrote to
temporary upload files. Runs on a throw-away SQLite database; needs nothing else.

    .venv/bin/python bench/oversized_upload.py [--megabytes 100]
"""

import argparse
import os
import re
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="newsroom-bench-upload-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="newsroom.settings",
    DEBUG="1",
    DATABASE_URL=f"sqlite:///{WORK / 'db.sqlite3'}",
    CACHE_URL="locmemcache://bench",
    LOG_LEVEL="ERROR",
)
os.environ.pop("CELERY_BROKER_URL", None)
tempfile.tempdir = str(WORK)  # where Django spools uploads: measured below


def _environ(body_path: Path, boundary: str, cookie: str, length: int) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/submit/",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
        "CONTENT_LENGTH": str(length),
        "wsgi.input": body_path.open("rb"),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=100)
    size = parser.parse_args().megabytes * 1024 * 1024

    import django
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.test import Client

    django.setup()
    call_command("migrate", verbosity=0)
    page = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1").get("/submit/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    cookie = f"csrftoken={page.cookies['csrftoken'].value}"

    boundary = "benchboundary7c1f"
    body_path = WORK / "body.bin"
    with body_path.open("wb") as body:
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{token}\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f'name="attachments"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
            "%PDF-1.4\n".encode()
        )
        chunk = b"0" * (1024 * 1024)
        for _ in range(size // len(chunk)):
            body.write(chunk)
        body.write(f"\r\n--{boundary}--\r\n".encode())
    length = body_path.stat().st_size

    # Uploads past FILE_UPLOAD_MAX_MEMORY_SIZE are spooled to temporary files: count them.
    import django.core.files.temp as django_temp

    spooled: list[str] = []
    make_temporary = django_temp.NamedTemporaryFile

    def counting(*args, **kwargs):
        handle = make_temporary(*args, **kwargs)
        spooled.append(handle.name)
        return handle

    django_temp.NamedTemporaryFile = counting

    handler = WSGIHandler()
    status = []
    tracemalloc.start()
    started = time.perf_counter()
    chunks = handler(_environ(body_path, boundary, cookie, length), lambda s, h: status.append(s))
    answer = b"".join(chunks)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"body: {length / 1e6:.1f} MB")
    print(f"answer: {status[0]} ({len(answer)} bytes)")
    print(f"time: {elapsed * 1000:.0f} ms")
    print(f"python memory peak: {peak / 1e6:.1f} MB")
    print(f"temporary upload files written: {len(spooled)}")


if __name__ == "__main__":
    main()
