"""The Jinja2 environment of the public site (templates/jinja2/).

Everything the team writes is a Jinja2 template: readers' and contributors' pages, the PDF
editions and the e-mails. Compiled to Python, an article page renders in a quarter of the time
Django's template language takes, and the PDF edition imports the page's own blocks. Only
the admin's overrides (templates/admin/) stay in Django's language, because the admin is.

The filters are Django's own, so dates, plurals and line breaks read exactly as before.
Words go through Django's gettext (`{% trans %}`, `_()`, `ngettext()`), so a page speaks the
language PathLanguageMiddleware activated from its address, and `date` names months in it.
"""

import datetime

from babel import dates as babel_dates
from django.conf import settings
from django.template import defaultfilters
from django.utils import formats, translation
from django.utils.timezone import template_localtime
from jinja2 import Environment, Undefined, select_autoescape

from . import languages, links
from .weburl import web_url


def _moment(value: str | None) -> datetime.datetime | None:
    """A moment kept as ISO 8601 text (in a card's plain values) back as a datetime."""
    return datetime.datetime.fromisoformat(value) if value else None


# The house's long date ("7 December 2026") in each language's own order and grammar, from
# the Unicode CLDR through Babel: the month in the genitive where the language declines it
# ("7 декабря 2026 г.", "7 դեկտեմբերի, 2026 թ."), lower case where the language writes it so
# ("7 dekabr 2026"). Django's own formats name Armenian months in the nominative and have no
# Armenian date format at all. The day has no leading zero in any language (CLDR's Armenian
# pattern has one). Persian keeps the Gregorian calendar and Latin digits, as Babel gives
# them: figures match the citation and the PDF.
LONG_DATE = "j F Y"


def long_date(value: datetime.date, language: str | None = None) -> str:
    """`value` (a date, or a datetime already in the reader's time zone) as the long date of
    `language`, the active language by default."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE:
        return defaultfilters.date(value, LONG_DATE)
    locale = translation.to_locale(language)  # "pt-br" → "pt_BR", as Babel names them
    pattern = babel_dates.get_date_format("long", locale=locale).pattern
    return babel_dates.format_date(value, pattern.replace("dd", "d"), locale=locale)


def long_date_time(value: datetime.datetime, language: str | None = None) -> str:
    """The long date and the hour ("7 декабря 2026 г., 14:05"), joined the language's way
    (Persian: "7 دسامبر 2026،‏ 14:05")."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    day, hour = long_date(value, language), defaultfilters.date(value, "H:i")
    if language == settings.LANGUAGE_CODE:
        return f"{day}, {hour}"
    joined = babel_dates.get_datetime_format("medium", locale=translation.to_locale(language))
    return joined.format(hour, day)


def _date(value, arg: str | None = None) -> str:
    """Django's `date` filter, in the current time zone as Django's templates show it; the
    long date ("j F Y", with or without the hour) follows the active language."""
    value = template_localtime(value)
    if value and arg == LONG_DATE:
        return long_date(value)
    if value and arg == LONG_DATE + ", H:i":
        return long_date_time(value)
    return defaultfilters.date(value, arg)


def figure_separator() -> str:
    """The separator figures are grouped with in the active language, as the forms write
    them (Django's `number_format`, "1 500" in Russian), or "" where the language does not
    group them: static/js/counter.js writes its counts the same way, since the browser's own
    number formats know no Armenian or Georgian and would write "1,500"."""
    grouping = formats.get_format("NUMBER_GROUPING")
    return formats.get_format("THOUSAND_SEPARATOR") if grouping == 3 else ""


def _linebreaks(value) -> str:
    return defaultfilters.linebreaks_filter(value, autoescape=True)


def _linebreaksbr(value) -> str:
    return defaultfilters.linebreaksbr(value, autoescape=True)


class LoudUndefined(Undefined):
    """A misspelt or missing variable fails the page when it is printed or looped over, so a
    test or a DEBUG run shows it; `{% if name %}` on a missing name is still just false."""

    __str__ = Undefined._fail_with_undefined_error
    __iter__ = Undefined._fail_with_undefined_error
    __len__ = Undefined._fail_with_undefined_error


def environment(**options) -> Environment:
    # Django's backend asks for autoescaping; it is decided here, whatever the settings say:
    # every template is HTML-escaped but plain text, so that a `.txt` template (an e-mail's
    # subject and text part) prints a contributor's name as typed, not as `O&#39;Brien`.
    # A missing value renders as nothing in production; in tests and DEBUG runs it fails
    # (TEMPLATES_FAIL_ON_UNDEFINED).
    options.pop("autoescape", None)
    options["undefined"] = LoudUndefined if settings.TEMPLATES_FAIL_ON_UNDEFINED else Undefined
    options["extensions"] = [*options.get("extensions", ()), "jinja2.ext.i18n"]
    env = Environment(
        autoescape=select_autoescape(
            enabled_extensions=(), disabled_extensions=("txt",), default=True
        ),
        **options,
    )
    # Newstyle: `_("%(count)s pieces", count=n)` formats after translating, and escapes the
    # values it inserts in an HTML template; a literal percent sign is written `%%`.
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=True)
    env.globals.update(
        url=links.template_url,
        static=links.static,
        language=languages.current_language,
        text_direction=languages.text_direction,
        alternates=languages.alternates,
        hreflang=languages.hreflang,
        figure_separator=figure_separator,
    )
    env.filters.update(
        date=_date,
        moment=_moment,
        linebreaks=_linebreaks,
        linebreaksbr=_linebreaksbr,
        pluralize=defaultfilters.pluralize,
        filesizeformat=defaultfilters.filesizeformat,
        urlencode=defaultfilters.urlencode,
        web_url=web_url,
    )
    return env
