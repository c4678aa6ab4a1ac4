"""Server-side latency (median, 95th percentile) and query counts of the public pages.

Requests go through the whole Django stack in this process (middleware, views, templates,
PostgreSQL), without a network or a page cache in front, so the figures are the server's
own work. Run it against a database filled by `articles_generate.py`:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
    .venv/bin/python bench/pages_latency.py --requests 200
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

QUERIES = [
    "ceasefire",
    "pipeline Baku",
    '"monitoring mission"',
    "drone -Tehran",
    "corridor or railway",
    "sanctions Tehran",
    "Lachin checkpoint",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article, Topic

    rng = random.Random(args.seed)
    client = Client()
    total = Article.objects.published().count()
    slugs = list(Article.objects.published().order_by("?").values_list("slug", flat=True)[:500])
    topics = list(
        Topic.objects.filter(tagged_articles__isnull=False)
        .distinct()
        .values_list("slug", flat=True)
    )
    pages = {
        "home": lambda: "/",
        "article": lambda: f"/articles/{rng.choice(slugs)}/",
        "topic": lambda: f"/topics/{rng.choice(topics)}/",
        "search": lambda: "/search/?" + f"q={rng.choice(QUERIES)}",
    }
    print(f"{total} published articles, {args.requests} requests per page")
    print(f"{'page':<8} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, url in pages.items():
        for _ in range(20):  # warm caches and connections
            client.get(url())
        timings = []
        for _ in range(args.requests):
            target = url()
            started = time.perf_counter()
            response = client.get(target)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                sys.exit(f"{target} answered {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            client.get(url())
        p95 = statistics.quantiles(timings, n=20)[18]
        print(f"{name:<8} {statistics.median(timings):>10.1f} {p95:>8.1f} {len(queries):>8}")


if __name__ == "__main__":
    main()
