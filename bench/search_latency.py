"""Server-side latency of search (median, 95th percentile, queries): a normal query, a typo
(the "did you mean" path) and a query that finds nothing (the suggestion lookup, then the
topics and latest articles an empty result offers).

In process through the whole Django stack (no network, no page cache), like
`pages_latency.py`. Fragments are kept as in production when CACHE_URL names a shared cache.
Run it against a database filled by `articles_generate.py` and migrated (the word list is
filled by migration 0015; `manage.py search_words` counts it again):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench_search \\
    CACHE_URL=redis://127.0.0.1:6379/14 \\
    .venv/bin/python bench/search_latency.py --requests 200 [--pad-words 200000]

The generated articles use a few thousand distinct words; a real archive of 100,000 articles
holds far more. `--pad-words N` adds N made-up words (syllables joined, counts 1–50) to the
word list for the run, so the trigram lookups are measured against a list that size, and
removes them afterwards.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

CASES = {
    # The common word and the rare one of the earlier figures (side_by_side.py), and two more.
    "normal": ["government", "Meghri", "pipeline Baku", '"monitoring mission"'],
    "typo": ["goverment", "Azerbajan", "Nakhchivn border", "pipelne Baku"],
    "nothing found": ["qwzxv", "zzyzx plover", "xylograph", "quokka"],
}
SYLLABLES = [
    *("ka", "la", "mi", "ro", "tu", "ve", "sha", "ni", "po", "dar", "zen", "gor", "bak", "tal"),
    *("mer", "qu", "an", "el", "is", "or", "un", "ar", "en", "ov", "ian", "stan", "berg"),
    *("grad", "sk", "ek", "ash", "ul", "im", "ir", "tor", "lan", "ces", "ment", "tion", "pre"),
    *("con", "dis", "ter", "vil", "nak"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--pad-words", type=int, default=0)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article, SearchWord

    rng = random.Random(args.seed)
    first_padded = _pad(SearchWord, args.pad_words, rng) if args.pad_words else None
    try:
        client = Client()
        print(
            f"{Article.objects.published().count()} published articles, "
            f"{SearchWord.objects.count()} words listed, {args.requests} requests per case"
        )
        print(f"load before: {_load()}")
        print(f"{'case':<14} {'median ms':>10} {'p95 ms':>8} {'queries':>8}  suggestion")
        for case, queries in CASES.items():
            for q in queries * 5:  # warm caches and connections
                client.get("/search/", {"q": q})
            timings = []
            for n in range(args.requests):
                q = queries[n % len(queries)]
                started = time.perf_counter()
                response = client.get("/search/", {"q": q})
                timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    sys.exit(f"{q!r} answered {response.status_code}")
            with CaptureQueriesContext(connection) as captured:
                page = client.get("/search/", {"q": queries[1]}).text
            offered = "yes" if 'class="suggestion"' in page else "no"
            p95 = statistics.quantiles(timings, n=20)[18]
            median = statistics.median(timings)
            print(f"{case:<14} {median:>10.1f} {p95:>8.1f} {len(captured):>8}  {offered}")
        print(f"load after: {_load()}")
    finally:
        if first_padded is not None:
            SearchWord.objects.filter(pk__gte=first_padded).delete()


def _pad(SearchWord, count: int, rng: random.Random) -> int:
    """Add `count` made-up words; returns the first id they took."""
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    existing = set(SearchWord.objects.values_list("word", flat=True))
    rows = [SearchWord(word=w, articles=rng.randint(1, 50)) for w in words - existing]
    first = (SearchWord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    SearchWord.objects.bulk_create(rows, batch_size=5000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_searchword")
    return first


def _load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    main()
