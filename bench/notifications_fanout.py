"""One article published to N confirmed followers, delivered by one worker to a local SMTP sink.

Reports the time from the commit of the publication to the last message accepted by the
sink, the worker's peak resident memory, and whether any reader got a message twice.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/9 \\
    .venv/bin/python bench/notifications_fanout.py --followers 10000

The database named in DATABASE_URL is emptied and migrated first: never point it at data
you want to keep.
"""

import argparse
import os
import subprocess
import sys
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ["NEWSROOM_CELERY_WORKER"] = "1"  # hand tasks to the broker, as production does


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database for the benchmark.")
    if not os.environ.get("CELERY_BROKER_URL"):
        sys.exit("Set CELERY_BROKER_URL to a Redis broker.")

    import logging

    import django

    django.setup()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's chatter
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)

    from tests.smtp import SmtpServer

    with SmtpServer() as smtp:
        worker, worker_log = _start_worker(smtp.url)
        try:
            article_id = _make_readers_and_article(args.followers)
            result = _publish_and_wait(article_id, smtp, args.followers, args.timeout)
            result["peak_rss_mb"] = _peak_rss_mb(worker.pid)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    _report(args.followers, result, worker_log)


def _start_worker(smtp_url: str) -> tuple[subprocess.Popen, Path]:
    from newsroom.celery import app

    with app.connection_for_write() as connection:
        app.control.purge(connection=connection)
    log = ROOT / "var" / "bench-worker.log"
    log.parent.mkdir(exist_ok=True)
    log.write_bytes(b"")
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "newsroom", "worker", "--pool=solo",
            "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat",
        ],
        cwd=ROOT,
        env=os.environ | {"EMAIL_URL": smtp_url},
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    time.sleep(4)  # the worker connects and starts consuming
    if worker.poll() is not None:
        sys.exit(f"The worker did not start:\n{log.read_text()}")
    return worker, log


def _make_readers_and_article(count: int) -> int:
    from django.utils import timezone

    from articles.models import Article, Author, Byline, Region, Topic
    from notifications.models import Follower

    drones = Topic.objects.create(name="Drones", slug="drones")
    energy = Topic.objects.create(name="Energy security", slug="energy")
    armenia = Region.objects.create(name="Armenia", slug="armenia")
    now = timezone.now()
    Follower.objects.bulk_create(
        Follower(email=f"reader{n:05d}@example.org", confirmed_at=now) for n in range(count)
    )
    readers = list(Follower.objects.order_by("pk").values_list("pk", flat=True))
    # Readers follow one, two or three of the article's tags: each must get one mail.
    Follower.topics.through.objects.bulk_create(
        [Follower.topics.through(follower_id=pk, topic_id=drones.pk) for pk in readers]
        + [Follower.topics.through(follower_id=pk, topic_id=energy.pk) for pk in readers[::2]]
    )
    Follower.regions.through.objects.bulk_create(
        Follower.regions.through(follower_id=pk, region_id=armenia.pk) for pk in readers[::3]
    )
    article = Article.objects.create(
        title="Drones over Karabakh", slug="drones-over-karabakh", body="## One\n\nText."
    )
    Byline.objects.create(
        article=article, author=Author.objects.create(name="Elif Demir", slug="elif")
    )
    article.topics.set([drones, energy])
    article.regions.set([armenia])
    return article.pk


def _publish_and_wait(article_id: int, smtp, expected: int, timeout: float) -> dict:
    from django.contrib.auth.models import Group, User

    from articles import services
    from articles.models import Article
    from tests.factories import ensure_editorial_groups

    ensure_editorial_groups()  # `flush` emptied the groups the data migrations made
    editor = User.objects.create(username="bench-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    started = time.monotonic()
    services.article_publish(article=Article.objects.get(pk=article_id), by=editor)
    committed = time.monotonic()
    deadline = committed + timeout
    while len(smtp.sink.messages) < expected and time.monotonic() < deadline:
        time.sleep(0.2)
    finished = time.monotonic()
    time.sleep(3)  # anything sent twice would arrive now
    recipients = Counter(message_from_bytes(m)["To"] for m in smtp.sink.messages)
    return {
        "publish_request_s": committed - started,
        "delivery_s": finished - committed,
        "delivered": len(smtp.sink.messages),
        "distinct_recipients": len(recipients),
        "duplicates": sum(n - 1 for n in recipients.values() if n > 1),
        "smtp_sessions": smtp.sink.sessions,
    }


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _report(followers: int, result: dict, worker_log: Path) -> None:
    print(f"followers                 {followers}")
    print(f"publish (web request)     {result['publish_request_s'] * 1000:.0f} ms")
    print(f"delivery, commit → last   {result['delivery_s']:.1f} s")
    print(f"messages delivered        {result['delivered']}")
    print(f"distinct recipients       {result['distinct_recipients']}")
    print(f"duplicates                {result['duplicates']}")
    print(f"SMTP sessions             {result['smtp_sessions']}")
    print(f"worker peak RSS           {result['peak_rss_mb']:.0f} MB")
    errors = [line for line in worker_log.read_text().splitlines() if "ERROR" in line]
    print(f"worker errors             {len(errors)}")


if __name__ == "__main__":
    main()
