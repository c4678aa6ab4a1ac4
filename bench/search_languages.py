"""Server-side latency of search per language (median, 95th percentile, queries): queries in
each edition's language on its own page, searches in every language, and the English page
answering a Russian query with the languages that have it.

In process through the whole Django stack (no network, no page cache), like
`search_latency.py`. "Cold" is the first run of each query in a fresh database connection
with the fragments emptied; "warm" is the same query asked again and again; "SQL ms" is
the database's share of one warm request. Run it against
a database filled with editions in other languages:

    createdb -h 127.0.0.1 -U postgres newsroom_search_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_search_bench \\
    .venv/bin/python bench/articles_generate.py --count 100000 --other-languages 0.2
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_search_bench \\
    .venv/bin/python bench/search_languages.py --requests 100
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

# (case, address, query, extra parameters): the generator's words (articles_generate.py),
# some typed as readers type them.
CASES = [
    ("en common", "/search/", "government", {}),
    ("en rare", "/search/", "Meghri", {}),
    ("ru inflected", "/ru/search/", "переговоров", {}),
    ("ru name", "/ru/search/", "Карабах", {}),
    ("hy", "/hy/search/", "Ղարաբաղ", {}),
    ("ka", "/ka/search/", "დერეფანი", {}),
    ("az folded", "/az/search/", "RAZILAŞMA", {}),
    ("fa arabic letters", "/fa/search/", "كريدور", {}),
    ("all, common", "/search/", "pipeline", {"language": "all"}),
    ("all, ru", "/search/", "Карабах", {"language": "all"}),
    ("elsewhere", "/search/", "Карабах", {}),  # nothing in English: the Russian offered
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article

    client = Client()
    public = Article.objects.published()
    by_language = dict(public.order_by().values_list("language").annotate(n=Count("pk")))
    print(f"{public.count()} published articles: {by_language}")
    print(f"load before: {_load()}")
    print(
        f"{'case':<18} {'cold ms':>8} {'median ms':>10} {'p95 ms':>8} {'queries':>8} "
        f"{'SQL ms':>7} {'found':>6}"
    )
    cold_all, warm_all = [], []
    for case, path, q, extra in CASES:
        params = {"q": q, **extra}
        connection.close()  # the next request opens a fresh connection
        cache.clear()
        started = time.perf_counter()
        page = client.get(path, params).text
        cold = (time.perf_counter() - started) * 1000
        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(path, params)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                sys.exit(f"{path}?q={q} answered {response.status_code}")
        with CaptureQueriesContext(connection) as captured:
            page = client.get(path, params).text
        sql_ms = sum(float(query["time"]) for query in captured.captured_queries) * 1000
        found = page.count('class="card__title"')
        if 'class="elsewhere"' in page:
            found = "other"
        p95 = statistics.quantiles(timings, n=20)[18]
        median = statistics.median(timings)
        cold_all.append(cold)
        warm_all.extend(timings)
        print(
            f"{case:<18} {cold:>8.1f} {median:>10.1f} {p95:>8.1f} {len(captured):>8} "
            f"{sql_ms:>7.1f} {found:>6}"
        )
    overall = statistics.quantiles(warm_all, n=20)[18]
    print(
        f"all cases: warm median {statistics.median(warm_all):.1f} ms, p95 {overall:.1f} ms; "
        f"cold median {statistics.median(cold_all):.1f} ms, worst {max(cold_all):.1f} ms"
    )
    print(f"load after: {_load()}")


def _load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    main()
