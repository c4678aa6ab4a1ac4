"""Worst-case time to render Markdown: inputs built to make a parser do quadratic work.

Each input repeats a short unit (headings, setext underlines, apostrophes, emphasis,
brackets, strike-through, link titles…) up to a size, and is rendered by
`base.markdown.render_markdown` in a child process that is stopped after `--timeout`
seconds. `--chars` is the length: by default the longest Markdown field's cap (60,000, an
article body, which is also the renderer's ceiling; the preview used to take 100,000 and the
form had no cap); `--chars 2000000` feeds the renderer 2 MB, which only a row saved before
the caps could hold (rendered up to the ceiling, the rest as plain paragraphs). CPU seconds
are what other work on the machine does not inflate; the renderer's own budget
(`RENDER_CPU_SECONDS`) counts them.

    .venv/bin/python bench/markdown_render.py                  # at the cap
    .venv/bin/python bench/markdown_render.py --chars 2000000  # 2 MB

To measure older code, extract it (`git archive COMMIT | tar -x -C /tmp/before`) and pass
`--root /tmp/before`.
"""

import argparse
import multiprocessing
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The longest Markdown field: an article's body (`articles.models.BODY_MAX_CHARS`).
BODY_MAX_CHARS = 60_000

# name: the unit repeated until the input reaches the size
CASES = {
    "atx headings": "## h\n",
    "setext headings": "a\n=\n",
    "apostrophes": "a' ",
    "double openers, single closers": "\"a b' ",
    "emphasis *a": "*a ",
    "emphasis _a*": "_a* ",
    "strong **a": "**a ",
    "brackets [": "[",
    "links [a](": "[a](",
    "images ![": "![",
    "reference [a][": "[a][",
    "strike-through ~~a": "~~a ",
    'link titles [a](b "': '[a](b "',
    'reference titles [a]: b "': '[a]: b "\n',
    "footnote refs [^a]": "[^a] ",
    "backticks a`": "a`` ",
    "inline html <a": "<a ",
    "autolinks <http://": "<http://",
    "blockquotes >": "> ",
    "nested lists -": "- ",
    "table rows": "| a | b |\n",
}


def build(unit: str, chars: int) -> str:
    source = (unit * (chars // len(unit) + 1))[:chars]
    if unit.startswith("| a"):
        source = "| a | b |\n|---|---|\n" + source
    if unit.startswith("[^a]"):
        source += "\n\n[^a]: A note.\n"
    return source


def _render(root: str, source: str, queue) -> None:
    sys.path.insert(0, root)
    from base.markdown import render_markdown

    started, cpu = time.perf_counter(), time.process_time()
    render_markdown(source)
    queue.put((time.perf_counter() - started, time.process_time() - cpu))


def measure(root: str, source: str, timeout: float) -> tuple[float, float] | None:
    """Wall-clock and CPU seconds (CPU time is what other processes on the machine do not
    inflate), or None past the timeout."""
    queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=_render, args=(root, source, queue))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        return None
    return queue.get() if not queue.empty() else (float("nan"), float("nan"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default=str(ROOT), help="the checkout to measure")
    parser.add_argument("--chars", type=int, default=BODY_MAX_CHARS)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    args = parser.parse_args()
    chars = args.chars
    print("| input | characters | seconds | CPU seconds |\n|---|---|---|---|")
    for name, unit in CASES.items():
        if args.only not in name:
            continue
        source = build(unit, chars)
        seconds = measure(args.root, source, args.timeout)
        shown = f"> {args.timeout:g} | " if seconds is None else "{:.2f} | {:.2f}".format(*seconds)
        print(f"| {name} | {len(source):,} | {shown} |", flush=True)


if __name__ == "__main__":
    main()
