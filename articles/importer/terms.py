"""Categories and tags of an archive mapped to our topics, regions and kinds.

Without a mapping file a term matches a topic or a region of the same slug or name. A
mapping file (TOML) says the rest:

    [terms]
    "iran-news" = "region:iran"          # the term's slug or its name, any case
    "Energy" = "topic:energy-security"
    "Video" = "kind:briefing"
    "Uncategorized" = "ignore"
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from articles.models import Article, Region, Topic
from base.slugs import readable_slug

# WordPress files a post with no category under its default one, which names no subject:
# never proposed as a topic (a mapping file may still say otherwise).
WORDPRESS_DEFAULT_CATEGORIES = frozenset({"uncategorized", "uncategorised"})


class MappingError(ValueError):
    """A mapping file that cannot be used, with the line a person should fix."""


@dataclass
class Terms:
    topics: dict[str, str] = field(default_factory=dict)  # slug or lowercased name -> slug
    regions: dict[str, str] = field(default_factory=dict)
    mapping: dict[str, str] = field(default_factory=dict)
    # A category named like a kind ("Analysis", "Commentary") says the kind, not a topic.
    kinds: dict[str, str] = field(
        default_factory=lambda: {
            **{value: value for value in Article.Kind.values},
            **{label.lower(): value for value, label in Article.Kind.choices},
        }
    )

    @classmethod
    def load(cls, mapping_file: Path | None = None) -> "Terms":
        terms = cls()
        for model, target in ((Topic, terms.topics), (Region, terms.regions)):
            for slug, name in model.objects.values_list("slug", "name"):
                target[slug] = slug
                target[name.lower()] = slug
        if mapping_file is not None:
            terms.mapping = _read_mapping(mapping_file, terms)
        return terms

    def resolve(self, name: str, slug: str = "") -> tuple[str, str] | None:
        """("topic" | "region" | "kind", slug), ("ignore", "") or None for an unknown term."""
        keys = [k for k in (slug.lower(), name.lower(), readable_slug(name)) if k]
        for key in keys:
            if key in self.mapping:
                target = self.mapping[key]
                if target == "ignore":
                    return ("ignore", "")
                vocabulary, _, value = target.partition(":")
                return (vocabulary, value)
        if WORDPRESS_DEFAULT_CATEGORIES.intersection(keys):
            return ("ignore", "")
        for key in keys:
            if key in self.kinds:
                return ("kind", self.kinds[key])
            if key in self.topics:
                return ("topic", self.topics[key])
            if key in self.regions:
                return ("region", self.regions[key])
        return None


def _read_mapping(path: Path, terms: Terms) -> dict[str, str]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise MappingError(f"Cannot read the mapping file {path}: {error}") from error
    mapping = {}
    kinds = set(Article.Kind.values)
    for term, target in data.get("terms", {}).items():
        vocabulary, _, value = str(target).partition(":")
        known = {
            "topic": set(terms.topics.values()),
            "region": set(terms.regions.values()),
            "kind": kinds,
        }
        if target != "ignore" and value not in known.get(vocabulary, ()):
            raise MappingError(
                f"{path}: “{term}” = “{target}”: use topic:<slug>, region:<slug>, "
                f"kind:<{'|'.join(sorted(kinds))}> or ignore, with a slug that exists."
            )
        mapping[term.lower()] = str(target)
    return mapping
