"""Precision and recall of the topic and region suggestions against the demo articles.

Each demo article (`newsroom/demo/articles/*.md`) carries topics and regions chosen by its
editor; the suggester, given the vocabulary's keywords (`newsroom/demo/vocabulary.toml`),
reads the article's title, standfirst and body and proposes its own. Counted over every
(article, tag) pair, for the suggestions the importer applies ("strong") and for the
longer list an editor is shown. No database needed:

    .venv/bin/python bench/suggestions_accuracy.py [--verbose]
"""

import argparse
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.suggest import Suggester  # noqa: E402

DEMO = ROOT / "newsroom" / "demo"


def _articles() -> list[tuple[dict, str]]:
    found = []
    for path in sorted((DEMO / "articles").glob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("+++\n", 2)
        found.append((tomllib.loads(front), body))
    return found


def _suggester() -> Suggester:
    vocabulary = tomllib.loads((DEMO / "vocabulary.toml").read_text(encoding="utf-8"))
    rows = []
    for kind, section in (("topic", "topics"), ("region", "regions")):
        for pk, tag in enumerate(vocabulary[section]):
            rows.append((kind, pk, tag["slug"], tag["name"], "\n".join(tag.get("keywords", []))))
    return Suggester(rows)


def _score(pairs: list[tuple[set, set]]) -> tuple[float, float, int, int, int]:
    hits = sum(len(got & want) for got, want in pairs)
    proposed = sum(len(got) for got, _ in pairs)
    wanted = sum(len(want) for _, want in pairs)
    precision = hits / proposed if proposed else 0.0
    recall = hits / wanted if wanted else 0.0
    return precision, recall, hits, proposed, wanted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="Show each article's misses.")
    args = parser.parse_args()
    suggester = _suggester()
    results = {(v, level): [] for v in ("topic", "region") for level in ("strong", "shown")}
    for meta, body in _articles():
        suggestions = suggester.suggest(title=meta["title"], dek=meta["dek"], body=body)
        for vocabulary, field in (("topic", "topics"), ("region", "regions")):
            want = set(meta.get(field, []))
            mine = [s for s in suggestions if s.vocabulary == vocabulary]
            strong = {s.slug for s in mine if s.strong}
            shown = {s.slug for s in mine if s.shown}
            results[(vocabulary, "strong")].append((strong, want))
            results[(vocabulary, "shown")].append((shown, want))
            if args.verbose and strong != want:
                print(
                    f"{meta['slug']} {field}: missed {sorted(want - strong)}, "
                    f"extra {sorted(strong - want)}"
                )
    print(f"{len(_articles())} demo articles\n")
    print("| vocabulary | suggestions | precision | recall | right / proposed / tagged |")
    print("|---|---|---|---|---|")
    for (vocabulary, level), pairs in results.items():
        precision, recall, hits, proposed, wanted = _score(pairs)
        label = "applied (strong)" if level == "strong" else "shown to editors"
        print(
            f"| {vocabulary}s | {label} | {precision:.0%} | {recall:.0%} | "
            f"{hits} / {proposed} / {wanted} |"
        )


if __name__ == "__main__":
    main()
