"""System checks: what the settings cannot refuse on their own."""

from django.conf import settings
from django.core.checks import Error, Tags, register

SHARED_CACHE_HINT = "Set CACHE_URL to a shared cache, e.g. CACHE_URL=redis://127.0.0.1:6379/1."


@register()
def page_cache_needs_a_shared_cache(app_configs, **kwargs) -> list[Error]:
    """`manage.py migrate` (run by `make up`) stops here: with several processes and a
    local-memory cache, a page emptied in one worker would still be served by the others."""
    if settings.PAGE_CACHE_SECONDS > 0 and not settings.SHARED_CACHE and not settings.DEBUG:
        return [
            Error(
                "The page cache needs a cache shared by every process; with the local-memory "
                "cache each worker would keep serving pages another one emptied.",
                hint=SHARED_CACHE_HINT + " Or set PAGE_CACHE_SECONDS=0.",
                id="newsroom.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def rate_limits_need_a_shared_cache(app_configs, **kwargs) -> list[Error]:
    if not settings.SHARED_CACHE:
        return [
            Error(
                "Rate limits (submissions per address, API throttling) count in the cache; "
                "with the local-memory cache each process counts on its own, so the limits "
                "multiply by the number of workers.",
                hint=SHARED_CACHE_HINT,
                id="newsroom.E002",
            )
        ]
    return []
