"""Seconds and peak memory to print one PDF edition, for a 1,000-word and a 10,000-word article
(each with a table and 30 footnotes, some words in Armenian, Georgian and Russian).

Each size is printed in a fresh process, three times: the first print loads the fonts; the
figures are that first print, the median of the next two (wall clock and CPU time: on a
busy machine the CPU time is the fairer one), and the process's peak resident memory
(ru_maxrss) beside its memory before printing (Django and WeasyPrint imported).

    .venv/bin/python bench/pdf_editions.py

Uses a throw-away SQLite database in a temporary directory; nothing else is touched.
"""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

WORDS = [
    "ceasefire",
    "corridor",
    "border",
    "drones",
    "pipeline",
    "peacekeepers",
    "negotiation",
    "Baku",
    "Yerevan",
    "Tbilisi",
    "Tehran",
    "Moscow",
    "Ankara",
    "mediation",
    "monitoring",
    "sanctions",
    "supply",
    "energy",
    "security",
    "escalation",
    "Հայաստան",
    "Երևան",
    "საქართველო",
    "თბილისი",
    "Россия",
    "граница",
]


def body(words: int, footnotes: int = 30, seed: int = 1) -> str:
    rng = random.Random(seed)
    # The notes and the table add about 370 words of their own.
    words = max(words - 370, 100)
    paragraphs, written, note = [], 0, 0
    per_note = max(words // footnotes, 1)
    while written < words:
        if written and written % 500 < 60:
            paragraphs.append(f"## Section {len(paragraphs) + 1}")
        sentence_words = [rng.choice(WORDS) for _ in range(60)]
        text = " ".join(sentence_words).capitalize() + "."
        written += 60
        while note < footnotes and (note + 1) * per_note <= written:
            note += 1
            text += f"[^{note}]"
        paragraphs.append(text)
        if len(paragraphs) == 4:
            rows = "\n".join(
                f"| {2015 + i} | {rng.randint(1, 90)} | {rng.randint(1, 40)} |" for i in range(8)
            )
            paragraphs.append("| Year | Drones | Incidents |\n|---|---|---|\n" + rows)
    while note < footnotes:
        note += 1
        paragraphs[-1] += f"[^{note}]"
    notes = "\n".join(
        f"[^{n}]: Source number {n}, a report of the monitoring mission."
        for n in range(1, footnotes + 1)
    )
    return "\n\n".join(paragraphs) + "\n\n" + notes + "\n"


def _setup_django():
    import django

    django.setup()


def child(article_id: int) -> None:
    _setup_django()
    import weasyprint  # noqa: F401 - imported before the baseline is read

    from articles import pdf
    from articles.models import Article

    article = Article.objects.for_citation().get(pk=article_id)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times, cpu, size = [], [], 0
    for _ in range(3):
        started, started_cpu = time.perf_counter(), time.process_time()
        size = len(pdf.render_pdf(article))
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "first": times[0],
                "warm": statistics.median(times[1:]),
                "cpu_first": cpu[0],
                "cpu_warm": statistics.median(cpu[1:]),
                "before_kb": before,
                "peak_kb": peak,
                "bytes": size,
                "words": len(article.plain_text.split()),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["MEDIA_ROOT"] = tmp
        _setup_django()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from tests.factories import ArticleFactory, AuthorFactory

        authors = [AuthorFactory(name="Anna van der Berg"), AuthorFactory(name="Rəşad Əliyev")]
        for words in (1_000, 10_000):
            article = ArticleFactory(
                kind="report", title=f"A {words:,}-word report", body=body(words), authors=authors
            )
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(article.pk)],
                env=os.environ.copy(),
                capture_output=True,
                text=True,
                check=True,
            )
            r = json.loads(out.stdout.strip().splitlines()[-1])
            peak, before = r["peak_kb"] / 1024, r["before_kb"] / 1024
            print(
                f"{r['words']:>6} words: "
                f"first print {r['first']:.2f} s ({r['cpu_first']:.2f} s CPU), "
                f"then {r['warm']:.2f} s ({r['cpu_warm']:.2f} s CPU); "
                f"peak RSS {peak:.0f} MB ({peak - before:.0f} MB above the {before:.0f} MB "
                f"before printing); PDF {r['bytes'] / 1024:.0f} KB"
            )


if __name__ == "__main__":
    main()
