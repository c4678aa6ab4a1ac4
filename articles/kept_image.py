"""A featured image chosen in a form that comes back refused (publishing refused, a field
missing) is kept, so that the editor does not have to choose it again.

Browsers never refill a file input. The upload is saved in media storage under `pending/`
and the re-shown form carries a signed token naming it; the next submission of the form
takes it up as if it had been chosen again (it goes through the image field's own checks),
and the kept copy is deleted once the article is saved. Copies never taken up (a form
abandoned) are deleted by a daily task after a day (`forget_stale`).
"""

import datetime
import secrets
from dataclasses import dataclass
from pathlib import PurePath

from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

SALT = "articles.kept-image"
PREFIX = "pending/images/"
MAX_AGE = 24 * 3600


@dataclass(frozen=True)
class KeptImage:
    name: str  # in media storage
    original_name: str
    content_type: str


def keep(upload: UploadedFile) -> str:
    """Store `upload` and return the token that names it."""
    upload.seek(0)
    suffix = PurePath(upload.name or "").suffix.lower()[:10]
    name = default_storage.save(f"{PREFIX}{secrets.token_hex(16)}{suffix}", upload)
    data = [name, (upload.name or "image")[:200], upload.content_type or ""]
    return signing.dumps(data, salt=SALT)


def read(token: str) -> KeptImage | None:
    """The image a form's token names (None: no token, forged, stale or gone)."""
    if not token:
        return None
    try:
        name, original, content_type = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not str(name).startswith(PREFIX) or not default_storage.exists(name):
        return None
    return KeptImage(name, original, content_type)


def as_upload(kept: KeptImage) -> SimpleUploadedFile:
    """The kept image as the form would have received it."""
    with default_storage.open(kept.name, "rb") as stored:
        return SimpleUploadedFile(kept.original_name, stored.read(), kept.content_type)


def is_valid(token: str) -> bool:
    """Whether a token is ours and current (without touching storage)."""
    try:
        signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return False
    return True


def forget(kept: KeptImage) -> None:
    default_storage.delete(kept.name)


def forget_stale(*, now: datetime.datetime) -> int:
    """Delete kept images older than a token lives (their form was never sent again)."""
    try:
        _, names = default_storage.listdir(PREFIX.rstrip("/"))
    except FileNotFoundError:
        return 0
    cutoff = now - datetime.timedelta(seconds=MAX_AGE)
    stale = [PREFIX + name for name in names]
    stale = [name for name in stale if default_storage.get_modified_time(name) < cutoff]
    for name in stale:
        default_storage.delete(name)
    return len(stale)
