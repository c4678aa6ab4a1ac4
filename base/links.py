"""Addresses of the site's pages and static files, worked out once per process.

An article page links some thirty addresses (the navigation, its authors, topics, regions,
series and citation downloads); Django's `reverse()` takes 20–30 µs each, `static()` some
15 µs, which came to a tenth of the page. The answer depends only on the URLconf (a
request may set its own), the active language (`i18n_patterns` prefix it), the script
prefix and the arguments: all of them are the key.
"""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static as _static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# Enough for every article, author and tag page a busy process links to; older ones are
# worked out again.
_KEPT = 20_000


def url(name: str, *args) -> str:
    """`reverse(name, args=args)`, remembered: for public addresses (an article, a topic)."""
    return _reverse(name, args, get_script_prefix(), get_urlconf(), get_language())


def template_url(name: str, *args) -> str:
    """`url()` in templates: remembered without arguments (the navigation); with them, worked
    out each time, so secret links (a contributor's tracking page) are never kept."""
    return url(name) if not args else reverse(name, args=args)


@functools.lru_cache(maxsize=_KEPT)
def _reverse(name: str, args: tuple, prefix: str, urlconf: str | None, language: str) -> str:
    return reverse(name, args=args, urlconf=urlconf)


@functools.lru_cache(maxsize=256)
def static(path: str) -> str:
    """The address of a static file (with its content hash in production), remembered."""
    return _static(path)


@receiver(setting_changed)
def _forget(setting: str, **kwargs) -> None:
    if setting in ("ROOT_URLCONF", "STATIC_URL", "STORAGES", "FORCE_SCRIPT_NAME"):
        _reverse.cache_clear()
        static.cache_clear()
