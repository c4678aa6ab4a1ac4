"""Addresses that read in every script the Center writes in.

A title in Cyrillic, Armenian, Georgian, Persian or Azerbaijani Latin becomes a Latin slug:
anyascii transliterates it, Django's `slugify` does the rest. "Карабах после 2023 года"
is `karabakh-posle-2023-goda`. A Unicode slug would be percent-encoded wherever the address
is copied (mail, logs, citation managers) at about three times its length; a Latin one
reads the same everywhere.

A slug is never empty and never figures alone: "2023" would be taken by the next title
naming the year, and an address made only of figures says nothing. Such a slug gets a word
in front (`analysis-2023`). A slug already taken gets the first free suffix: `-2`, `-3`, …
"""

from collections.abc import Callable

from anyascii import anyascii
from django.utils.text import slugify


def readable_slug(text: str, *, fallback: str = "article", max_length: int = 250) -> str:
    """`text` as a Latin slug of at most `max_length` characters, with a letter in it."""
    slug = slugify(anyascii(text or ""))[:max_length].strip("-")
    if any(c.isalpha() for c in slug):
        return slug
    word = slugify(fallback) or "article"
    return f"{word}-{slug}"[:max_length].strip("-") if slug else word[:max_length]


def unique_slug(slug: str, taken: Callable[[str], bool], *, max_length: int = 250) -> str:
    """`slug`, or `slug-2`, `slug-3`, … : the first that `taken` says is free."""
    candidate, n = slug, 2
    while taken(candidate):
        suffix = f"-{n}"
        candidate, n = f"{slug[: max_length - len(suffix)].rstrip('-')}{suffix}", n + 1
    return candidate


def free_slug(text: str, rows, *, fallback: str = "article", max_length: int = 250) -> str:
    """A slug made of `text` that no row of `rows` has yet. `rows` is a model or a queryset
    (exclude the row being saved from it), whose rows have a `slug`."""
    queryset = rows._default_manager.all() if isinstance(rows, type) else rows
    slug = readable_slug(text, fallback=fallback, max_length=max_length)
    return unique_slug(
        slug, lambda candidate: queryset.filter(slug=candidate).exists(), max_length=max_length
    )
