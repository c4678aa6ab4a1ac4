"""Keeping good attachments across a form that comes back with errors.

Browsers never refill a file input, so a contributor whose form is refused for a missing field
would have to choose every file again. Files that passed their checks are kept in private
storage under `pending/`, and the form carries a signed list of them; the next submission of
the form picks them up. Unused ones are deleted by the nightly purge after a day.
"""

import secrets
from dataclasses import asdict, dataclass

from django.core import signing

from .models import private_storage

SALT = "submissions.kept-files"
PREFIX = "pending/"


@dataclass(frozen=True)
class KeptFile:
    name: str  # in private storage
    original_name: str
    kind: str
    size: int


def keep(uploads: list[tuple]) -> list[KeptFile]:
    kept = []
    for upload, kind in uploads:
        upload.seek(0)
        name = private_storage.save(f"{PREFIX}{secrets.token_hex(16)}", upload)
        kept.append(KeptFile(name, upload.name[:255], kind, upload.size))
    return kept


def token(files: list[KeptFile]) -> str:
    return signing.dumps([asdict(f) for f in files], salt=SALT) if files else ""


def from_token(value: str) -> list[KeptFile]:
    """The files a form's signed token names; anything forged or stale is ignored."""
    try:
        data = signing.loads(value, salt=SALT, max_age=24 * 3600) if value else []
    except signing.BadSignature:
        return []
    files = [KeptFile(**item) for item in data if str(item.get("name", "")).startswith(PREFIX)]
    return [f for f in files if private_storage.exists(f.name)]
