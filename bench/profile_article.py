"""Where one uncached article request spends its time: an in-process profile and its queries.

Runs the article page through the whole Django stack (middleware, view, templates, PostgreSQL)
with DEBUG off and the page cache off, then prints the time per request, the SQL it sent and
the functions that took the most time, grouped by where they live (ORM, templates, middleware).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench_1k \\
    .venv/bin/python bench/profile_article.py --requests 300
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--slug", default="")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from articles.models import Article

    slug = args.slug or Article.objects.published().order_by("id")[500].slug
    url = f"/articles/{slug}/"
    client = Client()
    for _ in range(30):
        client.get(url)
    queries = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append({"sql": sql, "time": time.perf_counter() - started})

    with connection.execute_wrapper(record):
        client.get(url)
    started = time.perf_counter()
    for _ in range(args.requests):
        client.get(url)
    per_request = (time.perf_counter() - started) * 1000 / args.requests

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.requests):
        client.get(url)
    profile.disable()

    print(
        f"{url}: {per_request:.1f} ms per request (in process, no profiler), "
        f"{len(queries)} queries, {sum(float(q['time']) for q in queries) * 1000:.1f} ms SQL"
    )
    for query in queries:
        print(f"  {float(query['time']) * 1000:5.1f} ms  {query['sql'][:150]}")
    stats = pstats.Stats(profile)
    total = stats.total_tt
    groups = {
        "ORM (django/db)": "/django/db/",
        "templates (django/template)": "/django/template/",
        "psycopg": "/psycopg/",
        "taggit": "/taggit/",
    }
    print("\ncumulative time by area (share of the profiled time, overlapping):")
    for name, part in groups.items():
        # The outermost frames of an area: cumulative time of functions in it not called from it.
        cumulative = 0.0
        for (filename, _, _), (_, _, _, ct, callers) in stats.stats.items():
            if part in filename and not any(part in c[0] for c in callers):
                cumulative += ct
        print(f"  {name:<30} {100 * cumulative / total:5.1f} %")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
