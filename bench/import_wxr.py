"""Time and peak memory of `manage.py import_archive` on generated WordPress exports.

Writes a WXR 1.2 file of N posts (each with paragraphs, a heading, a list, a captioned
image from a generated uploads folder, a YouTube shortcode, an unknown shortcode, two
categories, three tags, co-authors, an old slug, a featured image), migrates the database
it is given and loads the demo vocabulary, empties it of articles, then runs the import
with `--publish` in a child process and reads that process's own peak RSS (wait4). Memory
should not grow with the size of the export (lxml iterparse, elements dropped as read).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
    .venv/bin/python bench/import_wxr.py --sizes 1000 10000
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
SITE = "https://blog.bench.example"
PARAGRAPHS = [
    "Iranian and Azerbaijani officials met again in Baku to discuss the border crossings "
    "on the Araz river, where freight traffic has doubled since the war.",
    "The pipeline that carries Caspian gas to Turkey and on to Europe ran at full capacity "
    "for the third winter in a row, and Ankara is asking for more.",
    "In Yerevan the government weighed the offer of a new European monitoring mission "
    "against the objections of Moscow, which still keeps troops in Gyumri.",
    "Drones bought from Israel and Turkey changed the balance of the 2020 war in Karabakh; "
    "the lesson has not been lost on the armies of the region.",
]
CATEGORIES = ["Analysis", "Commentary", "Energy security", "Diplomacy", "Drones", "Archive notes"]
TAGS = ["Iran", "Azerbaijan", "Armenia", "Turkey", "Russia", "Georgia", "Israel", "Baku talks"]


def _post(n: int) -> str:
    paragraphs = "\n\n".join(PARAGRAPHS[(n + i) % len(PARAGRAPHS)] for i in range(6))
    image = f"{SITE}/wp-content/uploads/2022/01/map-{n % 20}-300x200.png"
    body = (
        f"{paragraphs}\n\n<h2>What follows</h2>\n<ul><li>first point {n}</li>"
        f"<li>second point</li></ul>\n\n"
        f'[caption id="attachment_{n}" width="300"]<img src="{image}" alt="Map {n}" /> '
        f"Map number {n}[/caption]\n\n"
        f"[youtube https://www.youtube.com/watch?v=AbCdEfGh{n % 1000:03d}]"
        f'\n\n[newsletter_signup list="{n % 3}"]\n\n{paragraphs}'
    )
    categories = "".join(
        f'<category domain="category" nicename="c{c}"><![CDATA[{CATEGORIES[c]}]]></category>'
        for c in ((n % 6), (n + 1) % 6)
    ) + "".join(
        f'<category domain="post_tag" nicename="t{t}"><![CDATA[{TAGS[t]}]]></category>'
        for t in ((n % 8), (n + 3) % 8, (n + 5) % 8)
    )
    authors = "".join(
        f'<category domain="author" nicename="cap-author{a}"><![CDATA[author{a}]]></category>'
        for a in (n % 7, (n + 2) % 7)
    )
    day = 1 + n % 28
    month = 1 + (n // 28) % 12
    year = 2012 + n // 336 % 12
    return f"""<item>
<title>{escape(f"Archive post {n}: the region in week {n % 52}")}</title>
<link>{SITE}/{year}/{month:02d}/{day:02d}/archive-post-{n}/</link>
<dc:creator><![CDATA[author{n % 7}]]></dc:creator>
<guid isPermaLink="false">{SITE}/?p={n}</guid>
<content:encoded><![CDATA[{body}]]></content:encoded>
<excerpt:encoded><![CDATA[Post {n} in one sentence.]]></excerpt:encoded>
<wp:post_id>{n}</wp:post_id>
<wp:post_date_gmt>{year}-{month:02d}-{day:02d} 10:00:00</wp:post_date_gmt>
<wp:post_name>archive-post-{n}</wp:post_name>
<wp:status>{"publish" if n % 10 else "draft"}</wp:status>
<wp:post_type>post</wp:post_type>
{categories}{authors}
<wp:postmeta><wp:meta_key>_wp_old_slug</wp:meta_key><wp:meta_value>old-post-{n}</wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>\
<wp:meta_value>{1_000_000 + n % 20}</wp:meta_value></wp:postmeta>
</item>
"""


def generate(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            f"<title>Bench blog</title><link>{SITE}</link>"
            f"<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>{SITE}</wp:base_site_url>\n"
        )
        for a in range(7):
            out.write(
                f"<wp:author><wp:author_login>author{a}</wp:author_login>"
                f"<wp:author_display_name>Bench Author {a}</wp:author_display_name></wp:author>\n"
            )
        for i in range(20):
            out.write(
                f"<item><title>Map {i}</title><wp:post_id>{1_000_000 + i}</wp:post_id>"
                f"<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>"
                f"<wp:attachment_url>{SITE}/wp-content/uploads/2022/01/map-{i}.png"
                f"</wp:attachment_url><wp:postmeta><wp:meta_key>_wp_attachment_image_alt"
                f"</wp:meta_key><wp:meta_value>Map {i}</wp:meta_value></wp:postmeta></item>\n"
            )
        for n in range(1, count + 1):
            out.write(_post(n))
        out.write("</channel>\n</rss>\n")


def uploads(folder: Path) -> None:
    from PIL import Image

    (folder / "2022" / "01").mkdir(parents=True, exist_ok=True)
    for i in range(20):
        Image.new("RGB", (60, 40), (i * 10, 80, 120)).save(folder / "2022" / "01" / f"map-{i}.png")


# Every article, import record and imported author goes; the vocabulary stays.
RESET = (
    "from articles.models import *; from reversion.models import Revision; "
    "TermProposal.objects.all().delete(); ImportRecord.objects.all().delete(); "
    "Article.objects.all().delete(); Revision.objects.all().delete(); "
    "Author.objects.filter(slug__startswith='bench-author').delete()"
)


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def measure(export: Path, media: Path, env: dict) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one import, in a child process of its
    own (the CPU time is the importer's own, without PostgreSQL's)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "manage.py", "import_archive", str(export), "--publish",
         "--media-dir", str(media)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("the import failed")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Give a PostgreSQL database of its own in DATABASE_URL.")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "bench-" + "x" * 60,
               "MEDIA_ROOT": str(work / "media"), "LOG_LEVEL": "WARNING"}  # fmt: skip
        uploads(work / "uploads")
        manage("migrate", "--no-input", "-v", "0", env=env)
        manage("load_demo", env=env)
        print("| posts | export size | time | per post | importer CPU | peak RSS | load |")
        print("|---|---|---|---|---|---|---|")
        for size in args.sizes:
            export = work / f"export-{size}.xml"
            generate(export, size)
            manage("shell", "-c", RESET, env=env)
            seconds, cpu, peak = measure(export, work / "uploads", env)
            megabytes = export.stat().st_size / 1e6
            load = os.getloadavg()[0]
            print(
                f"| {size:,} | {megabytes:.1f} MB | {seconds:.0f} s | "
                f"{seconds / size * 1000:.1f} ms | {cpu:.0f} s | {peak:.0f} MB | {load:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
