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
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test import Client, RequestFactory

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
    handler = WSGIHandler()  # what gunicorn calls: without the test client's own work
    environ = RequestFactory().get(url).environ
    started = time.perf_counter()
    for _ in range(args.requests):
        b"".join(handler(dict(environ, **{"wsgi.input": io.BytesIO()}), lambda *a: None))
    per_wsgi_request = (time.perf_counter() - started) * 1000 / args.requests

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.requests):
        client.get(url)
    profile.disable()

    print(
        f"{url}: {per_request:.1f} ms per request through the test client, "
        f"{per_wsgi_request:.1f} ms through the WSGI handler (in process, no profiler), "
        f"{len(queries)} queries, {sum(float(q['time']) for q in queries) * 1000:.1f} ms SQL"
    )
    for query in queries:
        print(f"  {float(query['time']) * 1000:5.1f} ms  {query['sql'][:150]}")
    stats = pstats.Stats(profile)
    total = stats.total_tt
    # Self time of every function, by where it lives: no area counts another's time.
    areas = {
        "ORM (django/db)": ("/django/db/",),
        "psycopg (SQL and its round trips)": ("/psycopg/",),
        "templates (Jinja2 and the compiled templates)": ("/jinja2/",),
        "pickle (this request's copy of the fragment)": ("_pickle",),
        "Django's handler, middleware, URLs, responses": (
            "/django/",
            "/whitenoise/",
            "/csp/",
            "/corsheaders/",
            "/axes/",
            "/django_permissions_policy/",
            "/asgiref/",
        ),
        "our code (articles/, newsroom/)": ("/articles/", "/newsroom/"),
    }
    spent = dict.fromkeys([*areas, "other (Python itself, the profiler's harness)"], 0.0)
    for (filename, _, function), (_, _, tottime, _, _) in stats.stats.items():
        where = next(
            (
                name
                for name, parts in areas.items()
                if any(p in filename or p in function for p in parts)
            ),
            "other (Python itself, the profiler's harness)",
        )
        spent[where] += tottime
    print("\nself time by area (share of the profiled time):")
    for name, seconds in spent.items():
        print(f"  {name:<50} {100 * seconds / total:5.1f} %")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
