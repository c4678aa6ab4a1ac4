"""Our public pages side by side with a Wagtail 8 peer and a bare Django ceiling, interleaved.

On a shared machine absolute figures drift; a ratio measured in one run does not. This builds
our site at 1,000 and at 100,000 articles (`articles_generate.py`) and the peer at 1,000
(`/work/shared/peers/wagtail/setup.sh`), serves each with gunicorn (2 sync workers, DEBUG off,
Redis as the cache), and runs `wrk -t1 -c8` against them in turn, round after round:

- our site at 1,000 articles, page cache off;   - the same at 100,000 articles;
- each of them cold too: page cache and fragments off (nothing kept inside);
- our site at 1,000 articles, page cache on;    - the Wagtail peer at 1,000 articles;
- the ceiling (`/work/shared/peers/ceiling.py`: one view, a fixed 6 KB page).

It prints the table of issue 12 (ranges over the rounds; ratios taken within each round), the
server-side latency of search at 100,000 articles (in-process, median and p95) and, with
`--publish-storm`, requests per second second by second across a publication that empties the
page cache (8 connections on the home, a topic and an article page).

    createdb -h 127.0.0.1 -U postgres newsroom_bench_1k   # and newsroom_bench_100k, peer_bench
    .venv/bin/python bench/side_by_side.py --rounds 5 --seconds 10 --publish-storm

`--no-build` reuses the databases; `--site DIR` serves another checkout of this project (to
measure a "before" from `git archive`); `--sizes 1000` skips the 100,000-article site;
`--no-peer` leaves the Wagtail peer out (neither built nor served): our own before and after.
"""

import argparse
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEERS = Path(os.environ.get("PEERS_DIR", "/work/shared/peers"))
SECRET = "bench-only-" + "s" * 60
COMMON_WORD, RARE_WORD = "government", "Meghri"


def sh(*args, env=None, cwd=None, quiet=True) -> str:
    result = subprocess.run(
        args, env=env, cwd=cwd, text=True, capture_output=quiet, check=False, timeout=3600
    )
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, args))}\n{result.stdout}\n{result.stderr}")
    return result.stdout or ""


def our_env(site: Path, db: str, redis: str, page_cache: int, fragments: int = 300) -> dict:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": db,
        "CACHE_URL": redis,
        # Each site its own keys: the same article ids mean different articles.
        "CACHE_KEY_PREFIX": f"bench-{db.rsplit('/', 1)[-1]}",
        "PAGE_CACHE_SECONDS": str(page_cache),
        "FRAGMENT_CACHE_SECONDS": str(fragments),
        "API_ANON_RATE": "100000000/min",
        "CELERY_BROKER_URL": "",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(site),
    }


def build(args) -> None:
    for size, db in args.our_dbs.items():
        print(f"building our site: {size} articles in {db}", flush=True)
        env = os.environ | {"DATABASE_URL": db}
        sh(sys.executable, str(ROOT / "bench/articles_generate.py"), "--count", str(size), env=env)
    if args.no_peer:
        return
    print(f"building the peer: 1000 articles in {args.peer_db}", flush=True)
    env = os.environ | {"PEER_ROOT": args.peer_root}
    sh("bash", str(PEERS / "wagtail/setup.sh"), "1000", args.peer_db, env=env)


@contextlib.contextmanager
def servers(args):
    """Every site at once, each on its own port; torn down at the end."""
    procs, urls = [], {}
    args.peer_root = str(Path(args.peer_root).resolve())
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    static = Path(tempfile.mkdtemp(prefix="bench-static-"))
    port = args.port
    site = Path(args.site).resolve()

    def start(name, cmd, env, cwd):
        nonlocal port
        log = open(static / f"{name}.log", "w")  # noqa: SIM115
        cmd = [*cmd, "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
        procs.append(subprocess.Popen(cmd, env=env, cwd=cwd, stdout=log, stderr=log))
        urls[name] = f"http://127.0.0.1:{port}"
        port += 1

    workers = ["-w", str(args.workers), "-k", args.worker_class]
    try:
        yield from _start_all(args, start, site, gunicorn, workers, urls, static)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
        shutil.rmtree(static, ignore_errors=True)


def _start_all(args, start, site, gunicorn, workers, urls, static):
    for size, db in args.our_dbs.items():
        env = our_env(site, db, args.redis, 0)
        if size == min(args.our_dbs):
            sh(sys.executable, "manage.py", "collectstatic", "--noinput", "-v0", env=env, cwd=site)
            start(
                "cached",
                [gunicorn, "newsroom.wsgi", *workers],
                our_env(site, db, args.redis, 300),
                site,
            )
        start(f"ours_{size}", [gunicorn, "newsroom.wsgi", *workers], env, site)
        # Cold: no cache of any kind inside (page cache and fragments off), as Wagtail serves.
        cold = our_env(site, db, args.redis, 0, fragments=0)
        start(f"cold_{size}", [gunicorn, "newsroom.wsgi", *workers], cold, site)
    if args.no_peer:  # our own figures only (before / after a change of ours)
        start("ceiling", [gunicorn, "ceiling:application", "-w", "2"], os.environ, PEERS)
        for name, url in urls.items():
            _wait_until_up(url, name, static)
        yield urls
        return
    peer_root = Path(args.peer_root)
    peer_env = os.environ | {
        "PEER_DATABASE_URL": args.peer_db,
        "DJANGO_SETTINGS_MODULE": "peersite.settings",
    }
    start(
        "peer",
        [str(peer_root / ".venv/bin/gunicorn"), "peersite.wsgi", "-w", "2"],
        peer_env,
        peer_root / "site",
    )
    start("ceiling", [gunicorn, "ceiling:application", "-w", "2"], os.environ, PEERS)
    for name, url in urls.items():
        _wait_until_up(url, name, static)
    yield urls


def _wait_until_up(url: str, name: str, logs: Path) -> None:
    for _ in range(120):
        try:
            urllib.request.urlopen(url + "/robots.txt", timeout=2)  # noqa: S310
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"{name} did not start:\n{(logs / f'{name}.log').read_text()}")


def wrk(
    url: str,
    seconds: float,
    connections: int = 8,
    script: str | None = None,
    header: str | None = None,
) -> float:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s"]
    if header:
        cmd += ["-H", header]
    if script:
        cmd += ["-s", script]
    out = sh(*cmd, url)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        sys.exit(f"{url}: {errors.group(1)} error responses\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
        return response.read().decode()


def our_paths(db: str, site: Path, redis: str) -> dict:
    """An article, topic, region, author and series of the smallest site, asked of every size
    (the generator is seeded: the same slugs exist in each). The author has a full first page
    of articles at every size, so the sizes compare the same number of cards; no series of
    the 1,000-article site fills a page (the largest is taken)."""
    code = (
        "from django.conf import settings; from django.db.models import Count\n"
        "from articles.models import *\n"
        "a = Article.objects.published().order_by('id')[500]\n"
        "t = Topic.objects.get(slug='drones'); r = Region.objects.get(slug='azerbaijan')\n"
        "full = settings.ARTICLES_PER_PAGE\n"
        "au = Author.objects.annotate(n=Count('bylines')).filter(n__gte=full).order_by('id')[0]\n"
        "s = Series.objects.annotate(n=Count('articles')).order_by('-n', 'id')[0]\n"
        "print(a.slug, t.slug, r.slug, au.slug, s.slug)\n"
    )
    out = sh(
        sys.executable, "manage.py", "shell", "-c", code, env=our_env(site, db, redis, 0), cwd=site
    )
    article, topic, region, author, series = out.split()[-5:]
    return {
        "article": f"/articles/{article}/",
        "topic": f"/topics/{topic}/",
        "region": f"/regions/{region}/",
        "author": f"/authors/{author}/",
        "series": f"/series/{series}/",
        "api": "/api/v1/articles/",
        "search common": f"/search/?q={COMMON_WORD}",
        "search rare": f"/search/?q={RARE_WORD}",
    }


PEER_PATHS = {
    "article": "/analysis-500/",
    "topic": "/?tag=drones",
    "api": "/api/v2/pages/?type=news.ArticlePage&fields=date,intro,tags&limit=20",
}


def measure(args, urls: dict, paths: dict) -> dict:
    """{page: {site: [req/s per round]}}, sites of a page run one after another in each round."""
    sizes = sorted(args.our_dbs)
    plan = {}
    for page in paths:
        if args.pages and page not in args.pages:
            continue
        sites = [f"{kind}_{size}" for size in sizes for kind in ("ours", "cold")]
        if page in PEER_PATHS and not args.no_peer:
            sites.append("peer")
        plan[page] = sites
    if not args.pages or "article cached" in args.pages:
        plan["article cached"] = ["cached", "ceiling"]
    for url in urls.values():  # warm every worker
        with contextlib.suppress(OSError):
            fetch(url + "/")
    results = {page: {site: [] for site in sites} for page, sites in plan.items()}
    for round_ in range(1, args.rounds + 1):
        for page, sites in plan.items():
            for site in sites:
                if site == "peer":
                    path = PEER_PATHS[page]
                elif site == "ceiling":
                    path = "/"
                else:
                    path = paths["article" if page == "article cached" else page]
                results[page][site].append(wrk(urls[site] + path, args.seconds))
        load = Path("/proc/loadavg").read_text().split()[0]
        print(f"round {round_}/{args.rounds} done, load {load}", flush=True)
    return results


def span(values: list[float], digits: int | None = None) -> str:
    if digits is None:  # whole requests per second, a decimal on a very busy machine
        digits = 0 if min(values) >= 100 else 1
    fmt = f"{{:,.{digits}f}}"
    low, high = min(values), max(values)
    return (
        fmt.format(low)
        if fmt.format(low) == fmt.format(high)
        else f"{fmt.format(low)}–{fmt.format(high)}"
    )


def ratios(a: list[float], b: list[float]) -> str:
    """The range of the ratios of the rounds, and their median when there are three or more."""
    each = [x / y for x, y in zip(a, b, strict=True)]
    middle = f" (median {statistics.median(each):.2f})" if len(each) >= 3 else ""
    return span(each, 2) + middle


def table(results: dict, sizes: list[int]) -> str:
    rows = [
        "| page | ours req/s (1k) | Wagtail 8 req/s (1k) | ours / Wagtail | ceiling req/s "
        "| ours / ceiling | ours req/s (100k) | 100k / 1k | ours 100k / Wagtail 1k |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for page, by_site in results.items():
        if page == "article cached":
            ours, ceiling = by_site["cached"], by_site["ceiling"]
            each = [100 * x / y for x, y in zip(ours, ceiling, strict=True)]
            pct = f"{span(each)} % (median {statistics.median(each):.1f} %)"
            rows.append(
                f"| article, page cache on | {span(ours)} | | | {span(ceiling)} | {pct} | | | |"
            )
            continue
        peer = by_site.get("peer")
        # Warm (fragments kept) and cold (no cache inside at all) side by side: the table
        # never hides what building the page costs.
        for kind, label in (("ours", "warm"), ("cold", "cold, no cache")):
            small, big = f"{kind}_{sizes[0]}", f"{kind}_{sizes[-1]}"
            cells = [f"{page} ({label})", span(by_site[small])]
            cells += [span(peer), ratios(by_site[small], peer)] if peer else ["", ""]
            cells += ["", ""]
            if big != small:
                cells += [span(by_site[big]), ratios(by_site[big], by_site[small])]
                cells += [ratios(by_site[big], peer) if peer else ""]
            else:
                cells += ["", "", ""]
            rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def search_latency(args, db: str, site: Path, requests: int = 100) -> str:
    """Server-side, in-process: the Django stack and PostgreSQL without a network in front."""
    code = f"""
import statistics, time
from django.test import Client
c = Client()
for word in ({COMMON_WORD!r}, {RARE_WORD!r}):
    for _ in range(10):
        c.get('/search/', {{'q': word}})
    times = []
    for _ in range({requests}):
        t = time.perf_counter()
        r = c.get('/search/', {{'q': word}})
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200
    print(word, round(statistics.median(times), 1), round(statistics.quantiles(times, n=20)[18], 1))
"""
    env = our_env(site, db, args.redis, 0) | {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "ALLOWED_HOSTS": "testserver",
    }
    out = sh(sys.executable, "manage.py", "shell", "-c", code, env=env, cwd=site)
    lines = [line.split() for line in out.splitlines() if line.startswith((COMMON_WORD, RARE_WORD))]
    return "\n".join(f"search “{w}”: median {m} ms, p95 {p} ms" for w, m, p in lines)


STORM_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def publish_storm(args, urls: dict, paths: dict, db: str, site: Path) -> str:
    """Requests per second, second by second, with a publication (which empties the page
    cache) after 10 s: the dip shows whether the rebuild stampedes."""
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    targets = ["/", paths["topic"], paths["article"]]
    script.write_text(STORM_SCRIPT % ", ".join(f'"{p}"' for p in targets))
    env = our_env(site, db, args.redis, 300)
    publish = (
        "from django.contrib.auth.models import Group, User\n"
        "from django.db import transaction\n"
        "from articles import services; from articles.models import Author\n"
        "from tests.factories import ArticleFactory\n"
        "editor, _ = User.objects.get_or_create(username='storm-editor')\n"
        "editor.groups.add(Group.objects.get(name='Editors'))\n"
        "draft = ArticleFactory(\n"
        f"    draft=True, title='Storm test', slug='storm-{time.time_ns()}',\n"
        "    topics=[], authors=[Author.objects.order_by('id').first()],\n"
        ")\n"
        "with transaction.atomic():\n"
        "    services.article_publish(article=draft, by=editor)\n"
    )
    per_second = []
    publisher = None
    for second in range(args.storm_seconds):
        if second == 10:
            publisher = subprocess.Popen(
                [sys.executable, "manage.py", "shell", "-c", publish],
                env=env | {"PYTHONPATH": f"{site}:{ROOT}"},
                cwd=site,
                stdout=subprocess.DEVNULL,
            )
        per_second.append(wrk(urls["cached"], 1, script=str(script)))
    if publisher is not None and publisher.wait() != 0:
        sys.exit("the publication during the storm failed; its figures would mean nothing")
    script.unlink()
    before, after = per_second[:10], per_second[10:]
    return (
        "publish storm (home, topic, article; 8 connections; page cache on; "
        "publication at 10 s):\n"
        f"  before: median {statistics.median(before):,.0f} req/s, lowest {min(before):,.0f}\n"
        f"  after:  median {statistics.median(after):,.0f} req/s, lowest {min(after):,.0f}"
        f" (second by second: {', '.join(f'{x:,.0f}' for x in after[:15])} …)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--site", default=str(ROOT), help="the checkout of this project to serve")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/")
    parser.add_argument("--db-prefix", default="newsroom_bench_")
    parser.add_argument("--peer-db", default="postgres://postgres@127.0.0.1:5432/peer_bench")
    parser.add_argument(
        "--peer-root", default=os.environ.get("PEER_ROOT", str(ROOT / "var/peer-wagtail"))
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--port", type=int, default=8240)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument(
        "--pages",
        nargs="+",
        choices=[
            *PEER_PATHS,
            "region",
            "author",
            "series",
            "search common",
            "search rare",
            "article cached",
        ],
        help="measure only these pages (default: all)",
    )
    parser.add_argument(
        "--no-peer", action="store_true", help="without the Wagtail peer (not built, not served)"
    )
    parser.add_argument("--publish-storm", action="store_true")
    parser.add_argument("--storm-seconds", type=int, default=40)
    args = parser.parse_args()
    names = {1000: "1k", 100_000: "100k"}
    args.our_dbs = {s: f"{args.pg}{args.db_prefix}{names.get(s, s)}" for s in args.sizes}
    if not args.no_build:
        build(args)  # the peer too, unless --no-peer
    site = Path(args.site).resolve()
    sizes = sorted(args.our_dbs)
    paths = our_paths(args.our_dbs[sizes[0]], site, args.redis)
    print(f"machine: {os.cpu_count()} cores, load {Path('/proc/loadavg').read_text().strip()}")
    print(
        f"wrk -t1 -c8, {args.rounds} rounds of {args.seconds:g} s, interleaved; "
        f"gunicorn {args.workers} {args.worker_class} workers, DEBUG off; site {site}"
    )
    with servers(args) as urls:
        results = measure(args, urls, paths)
        print(table(results, sizes))
        print(f"load after: {Path('/proc/loadavg').read_text().strip()}")
        if not args.pages or "search common" in args.pages:
            latency = search_latency(args, args.our_dbs[sizes[-1]], site)
            print(f"{latency} ({sizes[-1]:,} articles)")
        if args.publish_storm:
            print(publish_storm(args, urls, paths, args.our_dbs[sizes[0]], site))


if __name__ == "__main__":
    main()
