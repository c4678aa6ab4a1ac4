"""Request limits for the public forms, counted in the cache by django-ratelimit.

Counts are per client (`base.clientip.client_network`, the one rule for who the client
is) or per mailbox (`mailbox`, so that `name+1@…` and `"name"@…` are one person). With
several processes, the cache must be shared (CACHE_URL=redis://…) for a limit to hold.
"""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django_ratelimit.core import get_usage

from .clientip import client_network

GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}


def by_client(group: str, request: HttpRequest) -> str:
    return client_network(request)


def by_mailbox(email: str) -> Callable[[str, HttpRequest], str]:
    return lambda group, request: mailbox(email)


def mailbox(email: str) -> str:
    """The mailbox an address reaches, however it is spelled: lower case; quotes and
    backslashes in the local part dropped; a `+tag` dropped; for Gmail, dots in the local
    part ignored and googlemail.com read as gmail.com."""
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.replace('"', "").replace("\\", "").split("+", 1)[0]
    domain = domain.rstrip(".")
    if domain in GMAIL_DOMAINS:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def count(request: HttpRequest, *, group: str, rate: str, key: Callable = by_client) -> bool:
    """Count this request against `rate`; True when that goes past the limit."""
    usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    return usage is not None and usage["should_limit"]


def used_up(request: HttpRequest, *, group: str, rate: str, key: Callable = by_client) -> bool:
    """True when the limit is already reached, without counting this request."""
    usage = get_usage(request, group=group, key=key, rate=rate, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def body_too_large(request: HttpRequest, limit: int) -> bool:
    """Decided on the declared length, before anything reads the body."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return True


def checked_before_the_body(guard: Callable[[HttpRequest], HttpResponse | None]):
    """Run `guard` before anything parses the request body, then the CSRF check, then the
    view. Django's CSRF middleware reads `request.POST` before a view runs, which parses
    every uploaded file; here the middleware's check is moved after the guard, so a request
    refused for its size or its rate is never parsed. The guard may also swap
    `request.upload_handlers` (to read the text of a refused form without its files)."""

    def decorator(view):
        protected = csrf_protect(view)

        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            refusal = guard(request) if request.method == "POST" else None
            if refusal is not None:
                return refusal
            return protected(request, *args, **kwargs)

        return csrf_exempt(guarded)

    return decorator
