"""The site's own words, for "did you mean": what a word is, and the table that keeps them.

Part of `articles.models`; filled and read by `articles/search_help.py`. Only words of public
articles go in: a suggestion must never reveal a draft.
"""

import re

from django.contrib.postgres.lookups import TrigramSimilar
from django.db import models

from ..search_text import persian_letters

WORD_MIN, WORD_MAX = 3, 40
# Letters only (no digits: years and figures are not misspelt), hyphenated compounds kept
# whole; an apostrophe ends a word, so "Armenia’s" is "armenia".
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def words_of(text: str) -> list[str]:
    """The words of a text as the word list holds them: lowercase, each once, in order; a
    hyphenated compound and its parts ("nagorno-karabakh", "nagorno", "karabakh"). Persian
    words with Persian letters (ي is ی), as search reads them."""
    found: dict[str, None] = {}
    for match in _WORD.finditer(persian_letters(text).lower()):
        compound = match.group()
        parts = compound.split("-") if "-" in compound else []
        for word in (compound, *parts):
            if WORD_MIN <= len(word) <= WORD_MAX:
                found[word] = None
    return list(found)


class SearchWord(models.Model):
    """A word of the public articles (titles, standfirsts, texts, topics and regions).

    `articles` is how many public articles used it at the last full count
    (`search_words_rebuild`); a word added since by a publication or an edit counts 1 until
    the next one. A word whose articles were all unpublished stays until then too; a
    suggestion is only offered once its search finds a public article, so it cannot leak.
    """

    word = models.CharField(max_length=WORD_MAX, unique=True)
    articles = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.word


# pg_trgm's `%` ("similar enough", answered from the trigram index) on this field alone:
# django.contrib.postgres is not an installed app, so its lookups are not registered.
SearchWord._meta.get_field("word").register_lookup(TrigramSimilar)
