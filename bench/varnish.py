"""The site through Varnish (deploy/varnish/default.vcl), measured against Varnish's own limit.

(a) The cached article page's requests per second as a fraction of Varnish serving a static
    6 KB file with the same VCL (goal ≥ 90 %): `wrk -t1 -c8`, interleaved rounds.
(b) Purge to fresh: 50 edits of an article's title through the service; from each commit
    until an anonymous GET through Varnish shows the new title (goal < 1 s, median and
    worst). The purge goes the production way: outbox row, Celery worker, PURGE to Varnish.
(c) A publication storm through Varnish: 8 connections on home, topic and article; requests
    per second second by second, with a publication at 10 s (goal: no second after it below
    80 % of the median before it).

gunicorn (2 sync workers, DEBUG off), PostgreSQL (a database of its own, emptied and filled
with `articles_generate.py`), Redis (broker and cache, db 14), a real Celery worker and a
varnishd of its own on free ports.

    createdb -h 127.0.0.1 -U postgres newsroom_varnish_bench
    .venv/bin/python bench/varnish.py --count 1000
"""

import argparse
import base64
import contextlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from side_by_side import STORM_SCRIPT, sh, wrk  # noqa: E402

from tests.smtp import free_port  # noqa: E402
from tests.varnish_server import VarnishServer  # noqa: E402

# 6 KB that no compression shrinks (served as application/octet-stream, never gzipped): the
# ceiling for a hit of 6 KB on the wire, whatever a client asks.
STATIC_NAME = "bench-6k.bin"


def site_env(args, varnish_url: str) -> dict:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "NEWSROOM_ENV_FILE": "",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "v" * 60,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": args.db,
        "CACHE_URL": args.redis,
        "CACHE_KEY_PREFIX": "bench-varnish",
        "CELERY_BROKER_URL": args.redis,
        "HTTP_CACHE_PURGE": f'[{{"kind": "varnish", "url": "{varnish_url}"}}]',
        "API_ANON_RATE": "100000000/min",
        "PDF_EDITIONS": "0",
        "LOG_LEVEL": "WARNING",
    }


@contextlib.contextmanager
def running(args):
    """gunicorn, a Celery worker and Varnish in front; stopped on the way out."""
    logs = Path(tempfile.mkdtemp(prefix="bench-varnish-"))
    web_port = free_port()
    varnish = VarnishServer(backend_port=web_port)
    env = site_env(args, varnish.url)
    bin_dir = Path(sys.executable).parent
    processes = []

    def start(name: str, *cmd: str) -> None:
        log = (logs / f"{name}.log").open("w")
        processes.append(subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=log))

    try:
        start("web", str(bin_dir / "gunicorn"), "newsroom.wsgi", "-w", "2",
              "-b", f"127.0.0.1:{web_port}")  # fmt: skip
        start("worker", str(bin_dir / "celery"), "-A", "newsroom", "worker", "--pool", "solo",
              "--loglevel", "WARNING")  # fmt: skip
        _wait_for(f"http://127.0.0.1:{web_port}/robots.txt")
        varnish.start()
        time.sleep(1)  # the first probe
        yield env, varnish.url
    finally:
        varnish.close()
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        print(f"(logs in {logs})")


def _wait_for(url: str) -> None:
    for _ in range(120):
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url, timeout=2)  # noqa: S310
            return
        time.sleep(0.5)
    sys.exit(f"{url} did not answer")


def get(url: str) -> tuple[str, dict]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        return response.read().decode(), dict(response.headers)


def warm(url: str) -> None:
    for _ in range(20):
        if get(url)[1].get("X-Cache") == "hit":
            return
    sys.exit(f"{url} is never a hit through Varnish")


def prepare(args) -> None:
    env = os.environ | {"DATABASE_URL": args.db, "NEWSROOM_ENV_FILE": "", "DEBUG": "0",
                        "SECRET_KEY": "bench-" + "v" * 60}  # fmt: skip
    if not args.skip_build:
        print(f"filling {args.db} with {args.count} articles", flush=True)
        sh(sys.executable, str(ROOT / "bench/articles_generate.py"), "--count", str(args.count),
           env=env)  # fmt: skip
    sh(sys.executable, "manage.py", "migrate", "--noinput", env=env, cwd=ROOT)  # the code's
    sh(sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0",
       env=env, cwd=ROOT)  # fmt: skip
    static = ROOT / "var" / "static" / STATIC_NAME
    static.write_bytes(base64.b64encode(random.Random(6144).randbytes(4608)))  # 6,144 bytes


def ratio_rounds(args, base: str, article: str) -> str:
    """Both as browsers ask (Accept-Encoding: gzip; the VCL keeps text compressed) and
    without compression, in interleaved rounds."""
    static_url, article_url = f"{base}/static/{STATIC_NAME}", base + article
    warm(static_url)
    warm(article_url)
    out = []
    for label, header in (("as browsers ask, gzip", GZIP), ("no compression asked", None)):
        rows = []
        for _ in range(args.rounds):
            static_rps = wrk(static_url, args.seconds, header=header)
            article_rps = wrk(article_url, args.seconds, header=header)
            rows.append((static_rps, article_rps, article_rps / static_rps))
        lines = [f"  round {i + 1}: static {s:,.0f} req/s, article {a:,.0f} req/s, {r:.0%}"
                 for i, (s, a, r) in enumerate(rows)]  # fmt: skip
        median = statistics.median(r for _, _, r in rows)
        out.append(f" {label}: median {median:.0%}\n" + "\n".join(lines))
    size = len(get(article_url)[0].encode())
    request = urllib.request.Request(article_url, headers={"Accept-Encoding": "gzip"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (127.0.0.1)
        wire = len(response.read())
    return (f"(a) cached article ({size:,} bytes, {wire:,} gzipped) / static 6 KB file, "
            "through Varnish:\n" + "\n".join(out))  # fmt: skip


GZIP = "Accept-Encoding: gzip"


def purge_to_fresh(args, base: str, paths: dict) -> str:
    """Edits through the service, in this process; the worker purges; we poll Varnish."""
    import django

    django.setup()
    from django.contrib.auth.models import Group, User

    from articles import services
    from articles.models import Article

    editor, _ = User.objects.get_or_create(username="bench-editor")
    editor.groups.add(Group.objects.get(name="Editors"))
    article = Article.objects.get(slug=paths["slug"])
    results = {}
    for page in ("article", "home"):
        url = base + paths[page]
        if "s-maxage" not in get(url)[1].get("Cache-Control", ""):
            results[page] = None  # untagged: nothing purges it, it is kept for its max-age
            continue
        seconds = []
        for n in range(args.edits):
            warm(url)
            title = f"Lachin corridor, edition {page} {n} {time.time_ns()}"
            article.title = title
            services.article_update(article=article, by=editor, changed=["title"])
            committed = time.monotonic()
            while title not in get(url)[0]:
                if time.monotonic() - committed > 30:
                    sys.exit(f"{url}: the edit did not show after 30 s")
                time.sleep(0.005)
            seconds.append(time.monotonic() - committed)
        results[page] = seconds
    return "(b) purge to fresh, edit committed → new title through Varnish:\n" + "\n".join(
        f"  {page}: median {statistics.median(s) * 1000:.0f} ms, worst {max(s) * 1000:.0f} ms "
        f"({len(s)} edits)"
        if s
        else f"  {page}: not tagged for the HTTP cache (no s-maxage), not measured"
        for page, s in results.items()
    )


def storm(args, env: dict, base: str, paths: dict) -> str:
    """Home, topic and article read by 8 connections while an editor publishes an article of
    the topic at 10 s. The publication is made in this process, as the admin's worker makes
    it (no Python starting up beside Varnish on the two cores: a process started at 10 s
    that only loads Django dips the next second by itself, see --storm-control)."""
    import threading

    from django.contrib.auth.models import User

    from articles import services
    from articles.models import Article
    from tests.factories import ArticleFactory

    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    targets = ["/", paths["topic"], paths["article"]]
    script.write_text(STORM_SCRIPT % ", ".join(f'"{p}"' for p in targets))
    for path in targets:
        warm(base + path)
    shown = Article.objects.get(slug=paths["slug"])
    draft = ArticleFactory(
        draft=True, title="Storm test", slug=f"storm-{time.time_ns()}",
        topics=[shown.topics.first().name], authors=shown.ordered_authors(),
    )  # fmt: skip
    editor = User.objects.get(username="bench-editor")
    failed: list[BaseException] = []

    def publish() -> None:
        try:
            services.article_publish(article=draft, by=editor)
        except BaseException as error:
            failed.append(error)

    per_second, publisher = [], None
    for second in range(args.storm_seconds):
        if second == 10 and not args.storm_control:
            publisher = threading.Thread(target=publish)
            publisher.start()
        per_second.append(wrk(base + "/", 1, script=str(script), header=GZIP))
    if publisher is not None:
        publisher.join()
    if failed:
        sys.exit(f"the publication during the storm failed: {failed[0]!r}")
    script.unlink()
    before, after = per_second[:10], per_second[10:]
    floor = 0.8 * statistics.median(before)
    what = (
        "no publication (control)"
        if args.storm_control
        else "an article of its topic published at 10 s"
    )
    return (
        f"(c) publication storm through Varnish (home, topic, article; 8 connections; {what}):\n"
        f"  before: median {statistics.median(before):,.0f} req/s, lowest {min(before):,.0f}\n"
        f"  after: lowest {min(after):,.0f} req/s; seconds below 80 % of the median before: "
        f"{sum(x < floor for x in after)}\n"
        f"  second by second after: {', '.join(f'{x:,.0f}' for x in after)}"
    )


def pages(env: dict) -> dict:
    code = (
        "from articles.models import Article\n"
        "a = (Article.objects.published().filter(topics__isnull=False)\n"
        "     .exclude(slug__startswith='storm-').latest_first().first())\n"
        "print(a.slug, a.get_absolute_url(), a.topics.first().get_absolute_url())\n"
    )
    out = sh(sys.executable, "manage.py", "shell", "-c", code, env=env, cwd=ROOT)
    slug, article, topic = out.strip().splitlines()[-1].split()
    return {"slug": slug, "article": article, "topic": topic, "home": "/"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/newsroom_varnish_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--storm-seconds", type=int, default=25)
    # The storm with no publication: the machine's own spread, to read (c) against.
    parser.add_argument("--storm-control", action="store_true")
    args = parser.parse_args()
    prepare(args)
    with running(args) as (env, base):
        os.environ.update(env)
        paths = pages(env)
        print(f"load before: {os.getloadavg()[0]:.2f}", flush=True)
        print(ratio_rounds(args, base, paths["article"]), flush=True)
        print(purge_to_fresh(args, base, paths), flush=True)
        print(storm(args, env, base, paths), flush=True)
        print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
