"""What changed between two versions of a text, as HTML, at a bounded cost.

Lines are compared first (a line keeps the blank lines after it, so a Markdown paragraph,
heading, list item or table row is one unit); words are compared only inside the stretches
of lines that changed. difflib's longest-match search costs, per step, one unit of work for
every pair of equal tokens on the two sides, and can take many steps: a stretch with more
such pairs than `DIFF_MAX_PAIRS` is not compared, and the steps stop when the time budget
(shared by every diff of a page) runs out. What was not compared word by word is shown as
removed and added whole, under a note that says so. `bench/diff_words.py` measures it.
"""

import difflib
import html
import re
import time
from collections import Counter
from collections.abc import Sequence

# One step of the longest-match search over this many pairs of equal tokens takes about a
# tenth of a second; a stretch with more is shown whole.
DIFF_MAX_PAIRS = 1_000_000
# CPU time for all the diffs of one page (CPU time: a busy machine does not make it run out).
DIFF_SECONDS = 1.0
TOO_LARGE = (
    "Part of this change is too large to compare word by word: "
    "there, the old text is shown removed and the new text added."
)

_UNITS = re.compile(r"[^\n]*\n(?:[ \t\r]*\n)*|[^\n]+")
_WORDS = re.compile(r"\S+\s*|\s+")  # a word with the spaces after it


def _word_key(token: str) -> str:
    """Words compare equal whatever spaces follow them, but not across a line break."""
    return token.rstrip() + "\n" * token.count("\n")


class DiffBudget:
    """Time for the diffs of one page: once it is spent, the rest are shown whole."""

    def __init__(self, seconds: float = DIFF_SECONDS) -> None:
        self.deadline = time.thread_time() + seconds

    @property
    def spent(self) -> bool:
        return time.thread_time() > self.deadline


class _OverBudget(Exception):
    pass


class _BoundedMatcher(difflib.SequenceMatcher):
    def __init__(self, a: Sequence[str], b: Sequence[str], budget: DiffBudget) -> None:
        counts = Counter(b)
        if budget.spent or sum(counts[token] for token in a) > DIFF_MAX_PAIRS:
            raise _OverBudget
        self.budget = budget
        super().__init__(None, a, b, autojunk=False)

    def find_longest_match(self, alo=0, ahi=None, blo=0, bhi=None):
        if self.budget.spent:
            raise _OverBudget
        return super().find_longest_match(alo, ahi, blo, bhi)


def _opcodes(a: list[str], b: list[str], budget: DiffBudget) -> tuple[list[tuple], bool]:
    """difflib's opcodes, and whether the comparison was complete (else one big replace)."""
    n, m = len(a), len(b)
    start = 0
    while start < min(n, m) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(n, m) - start and a[n - 1 - end] == b[m - 1 - end]:
        end += 1
    middle_a, middle_b = a[start : n - end], b[start : m - end]
    complete = True
    try:
        inner = _BoundedMatcher(middle_a, middle_b, budget).get_opcodes()
    except _OverBudget:
        inner = [("replace", 0, len(middle_a), 0, len(middle_b))]
        complete = False
    opcodes = [("equal", 0, start, 0, start)] if start else []
    opcodes += [
        (op, a1 + start, a2 + start, b1 + start, b2 + start)
        for op, a1, a2, b1, b2 in inner
        if a2 > a1 or b2 > b1
    ]
    if end:
        opcodes.append(("equal", n - end, n, m - end, m))
    return opcodes, complete


def _marked(old: list[str], new: list[str], opcodes: list[tuple], changed) -> list[str]:
    parts = []
    for op, a1, a2, b1, b2 in opcodes:
        if op == "equal":  # shown as it is now
            parts.append(html.escape("".join(new[b1:b2])))
        else:
            parts.append(changed("".join(old[a1:a2]), "".join(new[b1:b2])))
    return parts


def _removed_added(before: str, after: str) -> str:
    # Spaces both sides end with are not part of the change.
    tail = after[len(after.rstrip()) :]
    if not before or not after or not tail or before[len(before.rstrip()) :] != tail:
        tail = ""
    before, after = before[: len(before) - len(tail)], after[: len(after) - len(tail)]
    removed = f"<del>{html.escape(before)}</del>" if before else ""
    added = f"<ins>{html.escape(after)}</ins>" if after else ""
    return removed + added + html.escape(tail)


def word_diff_html(before: str, after: str, *, budget: DiffBudget | None = None) -> str:
    """A diff as HTML: removed words in <del>, added words in <ins>, all escaped.

    Line breaks survive (show the result with `white-space: pre-wrap`). Pass one `budget`
    to all the diffs of a page to bound the page's time.
    """
    budget = budget or DiffBudget()
    complete = True

    def words(old_text: str, new_text: str) -> str:
        nonlocal complete
        if not old_text or not new_text:
            return _removed_added(old_text, new_text)
        old, new = _WORDS.findall(old_text), _WORDS.findall(new_text)
        keys = [_word_key(token) for token in old], [_word_key(token) for token in new]
        opcodes, compared = _opcodes(*keys, budget)
        complete = complete and compared
        return "".join(_marked(old, new, opcodes, _removed_added))

    old, new = _UNITS.findall(before), _UNITS.findall(after)
    opcodes, _ = _opcodes(old, new, budget)
    diff = "".join(_marked(old, new, opcodes, words))
    return diff if complete else f'<p class="diff__note">{TOO_LARGE}</p>{diff}'
