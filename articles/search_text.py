"""Text as search reads it: each language's PostgreSQL configuration, and one normalisation
applied to every text before it is indexed and to every query before it is run.

PostgreSQL stems English, Russian and Armenian; it has no configuration for Azerbaijani,
Georgian or Persian, which are indexed with `simple` (lowercased words, no stemming). What
those need is done here, in Python, the same way on both sides:

- Persian: the Arabic letters a keyboard or a pasted source gives for Persian ones (ي ى → ی,
  ك → ک, ة ۀ → ه) are the Persian ones; tatweel (the stretching stroke) and the Arabic
  diacritics go; a zero-width non-joiner separates words as PostgreSQL's parser already
  separates them ("می‌خواهند" is "می خواهند", and "کتاب‌ها" is found by "کتاب").
  Arabic-Indic digits are digits.
- Azerbaijani (and Turkish): I, ı, İ and i are one letter, as readers typing on another
  keyboard treat them ("Ilham", "İlham", "ılham" all find "İlham").
- Russian: ё is е, as most Russian text writes it.
- Everywhere: Unicode compatibility forms (Arabic presentation forms, ligatures) are the
  letters they show; everything is lowercase (Python's rule, whatever the database's locale:
  Georgian capitals included).

The rules touch disjoint scripts, so one function serves every language: an edition that
quotes a name in another script is searched the same way as that script's own edition, and
a search in every language runs the same words through each configuration.
"""

import re
import unicodedata

from django.conf import settings

# A language missing here is indexed with `simple` (plus the normalisation): a new
# language of the site needs no migration. A deployment may set SEARCH_CONFIGS in settings
# (a configuration PostgreSQL has, e.g. a custom Persian one); after changing one, recompute
# the vectors (`update_search_vectors(Article.objects.all())`).
DEFAULT_SEARCH_CONFIGS = {
    "en": "english",
    "ru": "russian",
    "hy": "armenian",  # PostgreSQL 13 and later
    "az": "simple",
    "ka": "simple",
    "fa": "simple",
}
FALLBACK_CONFIG = "simple"


def search_configs() -> dict[str, str]:
    return {**DEFAULT_SEARCH_CONFIGS, **getattr(settings, "SEARCH_CONFIGS", {})}


def search_config(language: str) -> str:
    """The PostgreSQL text-search configuration of an edition in `language`."""
    return search_configs().get(language, FALLBACK_CONFIG)


def lexeme_prefix(language: str) -> str:
    """What begins every lexeme of an edition's vector ("ru:"): a word is counted per
    language by PostgreSQL's statistics, so a search in English for a word only Russian
    editions use is known to be rare there (the GIN index, not a walk through every English
    article by date), and one tsquery can hold every language's reading of a query."""
    return f"{language}:"


# One letter for another, each keeping its place: what a headline can be matched against
# while the reader still sees the text as written (articles/search.py).
_SAME_PLACE = str.maketrans(
    {
        "\u064a": "\u06cc",  # ARABIC YEH → FARSI YEH
        "\u0649": "\u06cc",  # ALEF MAKSURA → FARSI YEH
        "\u0643": "\u06a9",  # ARABIC KAF → KEHEH
        "\u0629": "\u0647",  # TEH MARBUTA → HEH
        "\u06c0": "\u0647",  # HEH WITH YEH ABOVE → HEH
        "\u0131": "i",  # dotless ı
        "\u0130": "I",  # İ (lowercased below)
        "ё": "е",
        "Ё": "Е",
        **{chr(0x06F0 + n): str(n) for n in range(10)},  # Extended Arabic-Indic digits
        **{chr(0x0660 + n): str(n) for n in range(10)},  # Arabic-Indic digits
    }
)
# Marks that change no word: tatweel, Arabic harakat (and hamza above or below, superscript
# alef), Quranic annotation marks, the soft hyphen.
_DROPPED = re.compile("[\u0640\u064b-\u065f\u0670\u06d6-\u06ed\u00ad]")
_ZWNJ = "\u200c"


# The Persian part alone, for words shown to the reader ("did you mean"): Azerbaijani's ı
# and Russian's ё stay as written there.
_PERSIAN_LETTERS = str.maketrans(
    {k: v for k, v in ((chr(k), v) for k, v in _SAME_PLACE.items()) if k not in "ıİёЁ"}
)


def persian_letters(text: str) -> str:
    """Persian letters for their Arabic look-alikes, without tatweel or diacritics."""
    return _DROPPED.sub("", text.translate(_PERSIAN_LETTERS))


def fold_in_place(text: str) -> str:
    """The letter folding of `normalise` alone: every character stays where it was (no
    case change, nothing removed), so a match in the result is a match at the same place
    in `text`."""
    return text.translate(_SAME_PLACE)


def normalise(text: str) -> str:
    """A text, or a query, as the search index holds it (see the module's docstring)."""
    text = unicodedata.normalize("NFKC", text)
    text = _DROPPED.sub("", text.translate(_SAME_PLACE))
    return text.replace(_ZWNJ, " ").lower()
