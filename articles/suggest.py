"""Topic and region suggestions for a text, from our own vocabulary.

Each topic and region is looked for by its name and its keywords (kept with the tag and
editable in the admin): for regions a gazetteer of names, demonyms, capitals and
variants ("Baku", "Azeri" → Azerbaijan; "Artsakh" → Nagorno-Karabakh), for topics the
words that mark the subject. A keyword with a capital letter matches only as written
(so "Turkey" is the country and "EU" is not "eu" inside a word); an all-lowercase one
matches in any case and in the plural. A hit in the title counts more than one in the
standfirst, which counts more than one in the body.
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
# Shown to an editor: anything seen at least this much.
SHOWN_SCORE = 3


@dataclass(frozen=True)
class Suggestion:
    vocabulary: str  # "topic" or "region"
    pk: int
    slug: str
    name: str
    score: int
    words: tuple[str, ...]
    strong: bool = False

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
            parts.append(f"(?i:(?:{alternatives})(?:s|es)?)")
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
                tags = (
                    self.tags_by_word.get(lower)
                    or self.tags_by_word.get(lower.removesuffix("es"))
                    or self.tags_by_word.get(lower.removesuffix("s"))
                    or []
                )
            yield word, tags


class Suggester:
    """Built once from the vocabulary (one compiled pattern per vocabulary), used for many
    texts."""

    def __init__(self, tags: Iterable[tuple[str, int, str, str, str]]):
        terms: dict[str, dict[str, list[_Tag]]] = {"topic": {}, "region": {}}
        for vocabulary, pk, slug, name, keywords in tags:
            tag = _Tag(vocabulary, pk, slug, name)
            for word in dict.fromkeys([name, *keyword_lines(keywords)]):
                terms[vocabulary].setdefault(word, []).append(tag)
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
        """Every tag seen in the text, the strongest first, each marked strong or not."""
        scores: dict[_Tag, int] = {}
        words: dict[_Tag, dict[str, None]] = {}
        for scanner in self.scanners:
            for text, weight in ((title, TITLE_WEIGHT), (dek, DEK_WEIGHT), (body, BODY_WEIGHT)):
                for word, tags in scanner.hits(text):
                    for tag in tags:
                        scores[tag] = scores.get(tag, 0) + weight
                        words.setdefault(tag, {})[word] = None
        found = [(tag, score, tuple(words[tag])) for tag, score in scores.items()]
        best = {}
        for tag, score, _ in found:
            best[tag.vocabulary] = max(best.get(tag.vocabulary, 0), score)
        found.sort(key=lambda row: (-row[1], row[0].name))
        suggestions, strong_count = [], {"topic": 0, "region": 0}
        short = len(f"{title} {dek} {body}".split()) < SHORT_TEXT_WORDS
        for tag, score, words in found:
            floor = SHORT_TEXT_SCORE if short else STRONG_SCORE[tag.vocabulary]
            strong = (
                score >= floor
                and score >= STRONG_SHARE[tag.vocabulary] * best[tag.vocabulary]
                and strong_count[tag.vocabulary] < STRONG_LIMIT[tag.vocabulary]
            )
            strong_count[tag.vocabulary] += strong
            suggestions.append(
                Suggestion(tag.vocabulary, tag.pk, tag.slug, tag.name, score, words, strong)
            )
        return suggestions


def suggestions_for_article(article, suggester: Suggester | None = None) -> list[Suggestion]:
    """What an editor is offered for `article`: tags seen in it that it does not have yet."""
    suggester = suggester or Suggester.from_database()
    have = {("topic", pk) for pk in article.topics.values_list("pk", flat=True)} | {
        ("region", pk) for pk in article.regions.values_list("pk", flat=True)
    }
    return [
        suggestion
        for suggestion in suggester.suggest(title=article.title, dek=article.dek, body=article.body)
        if (suggestion.vocabulary, suggestion.pk) not in have
        and (suggestion.strong or suggestion.score >= SHOWN_SCORE)
    ]
