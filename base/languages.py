"""The languages the site publishes in, and the one a request is in.

Languages come from settings (`LANGUAGES`: English, the default, first; then Russian,
Azerbaijani, Armenian, Georgian and Persian): adding one is a line there and a catalog, never
a migration. A public page's language is in its path only (`/ru/articles/…`; English has no
prefix): never a cookie or `Accept-Language`, so every page means one thing for every reader
and stays cacheable (no `Vary: Accept-Language`). Django's `LocaleMiddleware` would consult
both and redirect; `PathLanguageMiddleware` does neither.

Direction comes from one function: Django marks Azerbaijani right to left in `LANG_INFO`
(for its Arabic-script past) but the Center writes it in Latin letters, so the site's own
list of right-to-left languages (`LANGUAGES_BIDI`) is the rule.
"""

from django.conf import settings
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation


def default_language() -> str:
    return settings.LANGUAGES[0][0]


def language_codes() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def language_name(code: str) -> str:
    """The language's own name for itself ("Русский", "Հայերեն"), for the switcher."""
    name = translation.get_language_info(code)["name_local"]
    return name[:1].upper() + name[1:]  # a menu's capital: "Հայերեն"


def text_direction(code: str) -> str:
    """ "rtl" or "ltr" for a language of the site."""
    base = code.split("-")[0]
    return "rtl" if base in settings.LANGUAGES_BIDI else "ltr"


def current_language() -> str:
    """The language of the page being built: one of `language_codes()`."""
    active = translation.get_language() or default_language()
    return active if active in language_codes() else default_language()


class PathLanguageMiddleware:
    """Activate the language named by the path's prefix, or the default one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info) or default_language()
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            return self.get_response(request)
        finally:
            translation.deactivate()


def alternates(path: str, editions: list[dict] | None = None) -> list[dict]:
    """The page in every language of the site, for the switcher and `hreflang`.

    A page that exists in every language (home, a topic, the archive) is the same address
    under each prefix. An article's editions are given (`editions`: language and url of each
    public one); a language without an edition has no `url`, and its `home` instead. Each row:
    language, name (in that language), url, home, current."""
    current = current_language()
    given = None if editions is None else {e["language"]: e["url"] for e in editions}
    if given is None:
        try:
            resolve(path)
        except Resolver404:  # not a page of the site (a 404): no other language to offer
            given = {current: path}
    rows = []
    for code in language_codes():
        with translation.override(code):
            home = reverse("home")
        url = translate_url(path, code) if given is None else given.get(code)
        rows.append(
            {
                "language": code,
                "name": language_name(code),
                "direction": text_direction(code),
                "url": url,
                "home": home,
                "current": code == current,
            }
        )
    return rows


def hreflang(rows: list[dict]) -> list[tuple[str, str]]:
    """`hreflang` pairs for rows of `language` and `url` (the page's editions or copies):
    each language that has a url, in the site's order, then `x-default` (the default
    language's, else the first); nothing when fewer than two languages have one."""
    urls = {row["language"]: row["url"] for row in rows if row["url"]}
    pairs = [(code, urls[code]) for code in language_codes() if code in urls]
    if len(pairs) < 2:
        return []
    return [*pairs, ("x-default", urls.get(default_language(), pairs[0][1]))]
