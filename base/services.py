"""Site-wide writes: API keys for partners."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from .models import ApiKey


@transaction.atomic
def api_key_issue(*, name: str, by: AbstractBaseUser | None) -> tuple[ApiKey, str]:
    """A new key and its raw value. The raw value is shown once and never stored."""
    return ApiKey.issue(name=name, by=by)


def api_key_revoke(*, keys, by: AbstractBaseUser | None) -> int:
    """Revoke the keys not revoked yet; the number revoked. A revoked key stays listed."""
    return keys.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
