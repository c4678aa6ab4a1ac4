"""Topic and region suggestions for a text, from our own vocabulary.

Each topic and region is looked for by its name and its keywords (kept with the tag and
editable in the admin): for regions a gazetteer of names, demonyms, capitals and
variants ("Baku", "Azeri" → Azerbaijan; "Artsakh" → Nagorno-Karabakh), for topics the
words that mark the subject. A keyword with a capital letter matches only as written
(so "Turkey" is the country and "EU" is not "eu" inside a word); an all-lowercase one
matches in any case, in the singular and in the plural.

What a tag needs no keyword for: a region's name brings its usual demonyms ("Armenia" →
"Armenian", "Iran" → "Iranian", "Azerbaijan" → "Azerbaijani", "Israel" → "Israeli"); a
topic's name is a common noun, matched in any case and number ("Drones" → "a drone",
"Sanctions" → "sanctioned" no, "sanction" yes).

A hit in the title counts more than one in the standfirst, which counts more than one in
the body; whatever the title or standfirst names is shown to the editor, since that is
where the writer says what the piece is about.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

TITLE_WEIGHT, DEK_WEIGHT, BODY_WEIGHT = 3, 2, 1
# Strong enough to be applied by the importer: at least this score (less for a short
# note, where a place named twice is what it is about), and at least this share of the
# best score in its vocabulary, at most this many per vocabulary.
STRONG_SCORE = {"region": 4, "topic": 4}
SHORT_TEXT_WORDS, SHORT_TEXT_SCORE = 300, 2
STRONG_SHARE = {"region": 0.25, "topic": 0.3}
STRONG_LIMIT = {"region": 4, "topic": 3}
# Shown to an editor: what is strong, what the title or standfirst names, and what the body
# mentions enough: at least this score and this share of the best in its vocabulary. A
# region is counted once a paragraph (a place named in passing, even three times in one
# paragraph of a long piece about another, is not offered); a topic at each mention.
# A topic's specific terms (a name, several words, an acronym: "arms embargo", "Shahed",
# "OSCE") count this many times a single common word ("border", "military"), which takes
# several mentions before it is offered.
SHOWN_SCORE = {"region": 2, "topic": 5}
SHOWN_SHARE = {"region": 0.15, "topic": 0.0}
ONCE_A_PARAGRAPH = {"region"}
SPECIFIC_TERM = 3
PARAGRAPHS = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Suggestion:
    vocabulary: str  # "topic" or "region"
    pk: int
    slug: str
    name: str
    score: int
    words: tuple[str, ...]
    strong: bool = False
    shown: bool = False  # offered to an editor (strong ones always are)

    def as_json(self) -> dict:
        return {
            "vocabulary": self.vocabulary,
            "id": self.pk,
            "slug": self.slug,
            "name": self.name,
            "score": self.score,
            "words": list(self.words),
            "strong": self.strong,
        }


def keyword_lines(text: str) -> list[str]:
    return [word.strip() for word in re.split(r"[\n,;]", text or "") if word.strip()]


@dataclass(frozen=True)
class _Tag:
    vocabulary: str
    pk: int
    slug: str
    name: str


# The endings an all-lowercase keyword is also matched with: "drone" → "drones",
# "sanction" → "sanctioned", "negotiate" → "negotiated", "mediate" → "mediating" is not
# ("mediat" is no keyword), "border" → "bordering".
INFLECTIONS = ("ing", "es", "ed", "s", "d")


class _Scanner:
    """Every keyword of one vocabulary in one pattern, so a text is read once per
    vocabulary, not once per tag; a hit is traced back to its tags by a dictionary."""

    def __init__(self, terms: dict[str, list[_Tag]]):
        exact = [word for word in terms if word != word.lower()]
        any_case = [word for word in terms if word == word.lower()]
        self.tags_by_word: dict[str, list[_Tag]] = {}
        for word, tags in terms.items():
            key = word if word in exact else word.lower()
            self.tags_by_word.setdefault(key, []).extend(tags)
        # Longest first, so that "Nagorno-Karabakh" is one hit, not also "Karabakh".
        parts = [re.escape(word) for word in sorted(exact, key=len, reverse=True)]
        if any_case:
            alternatives = "|".join(re.escape(w) for w in sorted(any_case, key=len, reverse=True))
            endings = "|".join(INFLECTIONS)
            parts.append(f"(?i:(?:{alternatives})(?:{endings})?)")
        self.pattern = (
            re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w])") if parts else None
        )

    def hits(self, text: str) -> Iterable[tuple[str, list[_Tag]]]:
        if self.pattern is None or not text:
            return
        for hit in self.pattern.finditer(text):
            word = hit.group(0)
            tags = self.tags_by_word.get(word)
            if tags is None:
                lower = word.lower()
                tags = self.tags_by_word.get(lower) or next(
                    (
                        self.tags_by_word[lower[: -len(ending)]]
                        for ending in INFLECTIONS
                        if lower.endswith(ending) and lower[: -len(ending)] in self.tags_by_word
                    ),
                    [],
                )
            yield word, tags


# How a place's name becomes the adjective and the people: Armenia → Armenian,
# Iran → Iranian, Azerbaijan → Azerbaijani, Israel → Israeli. Forms that English does
# not use ("Armeniai") are never written, so they cost nothing; the irregular ones
# (Turkey → Turkish) are keywords of the tag.
DEMONYM_ENDINGS = {"a": ("n",), "n": ("i", "ian"), "l": ("i",), "q": ("i",)}


def _name_forms(vocabulary: str, name: str) -> list[str]:
    """The forms of a tag's name looked for besides the name itself."""
    if vocabulary == "region":
        return _demonyms(name)
    if name.isupper():  # an acronym: only as written
        return []
    return [name.lower()]


def _demonyms(place: str) -> list[str]:
    """Armenia → Armenian(s); Kazakhstan → Kazakh(s) ("-stan" is "land of")."""
    if " " in place or "-" in place or not place[-1:].isalpha() or place.isupper():
        return []
    if place.endswith("stan") and len(place) > 6:
        return [place[:-4], place[:-4] + "s"]
    endings = DEMONYM_ENDINGS.get(place[-1].lower(), ())
    return [place + ending for ending in endings] + [place + e + "s" for e in endings]


def _singular(word: str) -> str | None:
    """The singular of a lowercase term given in the plural ("drones" → "drone"); the
    plural of a singular one is matched by the scanner itself."""
    if word != word.lower() or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return None
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1]


class Suggester:
    """Built once from the vocabulary (one compiled pattern per vocabulary), used for many
    texts."""

    def __init__(self, tags: Iterable[tuple[str, int, str, str, str]]):
        terms: dict[str, dict[str, list[_Tag]]] = {"topic": {}, "region": {}}
        for vocabulary, pk, slug, name, keywords in tags:
            tag = _Tag(vocabulary, pk, slug, name)
            keywords = keyword_lines(keywords)
            words = [name, *_name_forms(vocabulary, name), *keywords]
            if vocabulary == "region":  # the countries a region is made of, and their people
                words += [
                    form for word in keywords if word.endswith("stan") for form in _demonyms(word)
                ]
            words += [one for word in words if (one := _singular(word))]
            for word in dict.fromkeys(words):
                found = terms[vocabulary].setdefault(word, [])
                if tag not in found:
                    found.append(tag)
        self.scanners = [_Scanner(words) for words in terms.values()]

    @classmethod
    def from_database(cls) -> "Suggester":
        from .models import Region, Topic

        rows = []
        for vocabulary, model in (("topic", Topic), ("region", Region)):
            for pk, slug, name, keywords in model.objects.values_list(
                "pk", "slug", "name", "keywords"
            ):
                rows.append((vocabulary, pk, slug, name, keywords))
        return cls(rows)

    def suggest(self, *, title: str = "", dek: str = "", body: str = "") -> list[Suggestion]:
        """Every tag seen in the text, the strongest first, each marked strong or not, and
        shown or not."""
        scores: dict[_Tag, int] = {}
        spread: dict[_Tag, int] = {}  # the score counting a region once a paragraph
        words: dict[_Tag, dict[str, None]] = {}
        lead: set[_Tag] = set()  # named in the title or the standfirst
        parts = [(title, TITLE_WEIGHT, True), (dek, DEK_WEIGHT, True)]
        parts += [(paragraph, BODY_WEIGHT, False) for paragraph in PARAGRAPHS.split(body)]
        for scanner in self.scanners:
            for text, weight, leads in parts:
                seen_here: set[_Tag] = set()
                for word, tags in scanner.hits(text):
                    for tag in tags:
                        words.setdefault(tag, {})[word] = None
                        scores[tag] = scores.get(tag, 0) + weight
                        if leads:
                            lead.add(tag)
                        once = tag.vocabulary in ONCE_A_PARAGRAPH and not leads
                        if not (once and tag in seen_here):
                            spread[tag] = spread.get(tag, 0) + weight * _specificity(tag, word)
                        seen_here.add(tag)
        best: dict[str, int] = {}
        best_spread: dict[str, int] = {}
        for tag, score in scores.items():
            best[tag.vocabulary] = max(best.get(tag.vocabulary, 0), score)
            best_spread[tag.vocabulary] = max(best_spread.get(tag.vocabulary, 0), spread[tag])
        found = sorted(scores.items(), key=lambda row: (-row[1], row[0].name))
        suggestions, strong_count = [], {"topic": 0, "region": 0}
        short = len(f"{title} {dek} {body}".split()) < SHORT_TEXT_WORDS
        for tag, score in found:
            vocabulary = tag.vocabulary
            floor = SHORT_TEXT_SCORE if short else STRONG_SCORE[vocabulary]
            strong = (
                score >= floor
                and score >= STRONG_SHARE[vocabulary] * best[vocabulary]
                and strong_count[vocabulary] < STRONG_LIMIT[vocabulary]
            )
            strong_count[vocabulary] += strong
            shown = (
                strong
                or tag in lead
                or (
                    spread[tag] >= SHOWN_SCORE[vocabulary]
                    and spread[tag] >= SHOWN_SHARE[vocabulary] * best_spread[vocabulary]
                )
            )
            suggestions.append(
                Suggestion(
                    vocabulary, tag.pk, tag.slug, tag.name, score, tuple(words[tag]), strong, shown
                )
            )
        return suggestions


def _specificity(tag: _Tag, word: str) -> int:
    specific = tag.vocabulary == "topic" and (" " in word.strip() or word != word.lower())
    return SPECIFIC_TERM if specific else 1


def suggestions_for_article(article, suggester: Suggester | None = None) -> list[Suggestion]:
    """What an editor is offered for `article`: tags seen in it that it does not have yet."""
    suggester = suggester or Suggester.from_database()
    have = {("topic", pk) for pk in article.topics.values_list("pk", flat=True)} | {
        ("region", pk) for pk in article.regions.values_list("pk", flat=True)
    }
    return [
        suggestion
        for suggestion in suggester.suggest(title=article.title, dek=article.dek, body=article.body)
        if (suggestion.vocabulary, suggestion.pk) not in have and suggestion.shown
    ]
