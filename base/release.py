"""Which code is running: the release, part of every cache key and of every page part kept.

A deploy changes the release, so an entry or a rendered part written by other code is never
read as if it were this code's (a renamed field, a changed template). `RELEASE` comes from
the environment when the deploy names it (a commit hash); otherwise it is a digest of the
code, templates and translation catalogs themselves, worked out once per process.
"""

import hashlib
import os
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_SOURCES = (
    "base", "outbox", "articles", "submissions", "notifications", "newsroom", "templates", "locale"
)  # fmt: skip
# The catalogs too (.po): a changed translation changes the words of the parts kept.
_SUFFIXES = {".py", ".html", ".txt", ".xml", ".css", ".po"}


@cache
def release() -> str:
    named = os.environ.get("RELEASE", "").strip()
    if named:
        return named[:40]
    digest = hashlib.blake2b(digest_size=8)
    for folder in _SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in _SUFFIXES and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()
