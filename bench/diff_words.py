"""Worst-case time of the word diff between two versions (an article's revisions, a
submission's rounds), in a child process stopped after `--timeout` seconds.

Texts are built from a 300-word vocabulary with a fixed seed: two unrelated texts (every
word changed), a long text with one paragraph rewritten, and texts of one repeated word or
line, which make a longest-match search do the most work.

    .venv/bin/python bench/diff_words.py
    .venv/bin/python bench/diff_words.py --root /tmp/before   # code extracted by git archive
"""

import argparse
import multiprocessing
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _words(rng: random.Random, chars: int) -> str:
    vocabulary = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
        for _ in range(300)
    ]
    text, length = [], 0
    while length < chars:
        word = rng.choice(vocabulary)
        text.append(word)
        length += len(word) + 1
    return " ".join(text)[:chars]


def _paragraphs(rng: random.Random, chars: int) -> list[str]:
    paragraphs, length = [], 0
    while length < chars:
        paragraphs.append(_words(rng, 600))
        length += 602
    return paragraphs


def cases() -> dict[str, tuple[str, str]]:
    rng = random.Random(7)
    built = {}
    for kb in (5, 8, 40, 100):
        built[f"every word changed, {kb} KB"] = (_words(rng, kb * 1000), _words(rng, kb * 1000))
    long = _paragraphs(rng, 100_000)
    changed = [*long[:80], _words(rng, 600), *long[81:]]
    built["one paragraph of 100 KB rewritten"] = ("\n\n".join(long), "\n\n".join(changed))
    built["one word repeated vs two, 100 KB"] = ("a " * 50_000, "a b " * 25_000)
    built["one line repeated vs two, 100 KB"] = ("a\n" * 50_000, "a\nb\n" * 25_000)
    built["two lines swapped order, 100 KB"] = ("a\nb\n" * 25_000, "b\na\n" * 25_000)
    return built


def _diff(root: str, before: str, after: str, queue) -> None:
    sys.path.insert(0, root)
    from base.diff import word_diff_html

    started, cpu = time.perf_counter(), time.process_time()
    word_diff_html(before, after)
    queue.put((time.perf_counter() - started, time.process_time() - cpu))


def measure(root: str, before: str, after: str, timeout: float) -> tuple[float, float] | None:
    """Wall-clock and CPU seconds, or None past the timeout."""
    queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=_diff, args=(root, before, after, queue))
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
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    args = parser.parse_args()
    print("| versions | seconds | CPU seconds |\n|---|---|---|")
    for name, (before, after) in cases().items():
        if args.only not in name:
            continue
        seconds = measure(args.root, before, after, args.timeout)
        shown = f"> {args.timeout:g} | " if seconds is None else "{:.2f} | {:.2f}".format(*seconds)
        print(f"| {name} | {shown} |", flush=True)


if __name__ == "__main__":
    main()
