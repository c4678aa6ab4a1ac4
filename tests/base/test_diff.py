import re

from base.diff import DIFF_MAX_PAIRS, TOO_LARGE, DiffBudget, word_diff_html


def _paragraph(n: int) -> str:
    return f"Paragraph {n} says the corridor {n} is open on day {n}."


def test_one_changed_paragraph_in_a_long_text_is_the_only_one_marked():
    paragraphs = [_paragraph(n) for n in range(400)]
    before = "\n\n".join(paragraphs)
    paragraphs[250] = paragraphs[250].replace("is open", "is closed")
    diff = word_diff_html(before, "\n\n".join(paragraphs))
    assert re.findall(r"<(del|ins)>([^<]*)</\1>", diff) == [("del", "open"), ("ins", "closed")]
    assert "Paragraph 250 says the corridor 250 is <del>" in diff
    assert _paragraph(0) in diff and _paragraph(399) in diff
    assert TOO_LARGE not in diff


def test_every_word_of_a_long_text_changed_is_still_compared_word_by_word():
    before = " ".join(f"alpha{n}" for n in range(1_500))
    after = " ".join(f"alpha{n}" if n % 3 else f"beta{n}" for n in range(1_500))
    diff = word_diff_html(before, after)
    assert TOO_LARGE not in diff
    assert diff.count("<ins>") == 500 and "<del>alpha3</del><ins>beta3</ins> alpha4" in diff


def test_a_stretch_with_too_many_equal_words_falls_back_to_removed_and_added():
    words = int(DIFF_MAX_PAIRS**0.5) + 100
    before, after = "echo " * words, "echo delta " * (words // 2)
    diff = word_diff_html("Kept line.\n" + before, "Kept line.\n" + after)
    assert diff.startswith(f'<p class="diff__note">{TOO_LARGE}</p>Kept line.\n')
    # The common first word aside, all of it is one removal and one addition.
    assert diff.endswith(f"echo <del>{before[5:-1]}</del><ins>{after[5:-1]}</ins> ")


def test_a_spent_time_budget_shows_changes_whole_with_the_note():
    budget = DiffBudget(seconds=0)
    diff = word_diff_html("Same.\n\nOld <b>words</b>.", "Same.\n\nNew words.", budget=budget)
    assert TOO_LARGE in diff
    assert diff.endswith("Same.\n\n<del>Old &lt;b&gt;words&lt;/b&gt;.</del><ins>New words.</ins>")


def test_text_is_escaped_and_line_breaks_kept():
    diff = word_diff_html("<script>x</script>\nline two", "<script>y</script>\nline two")
    assert "<script>" not in diff
    assert diff.endswith("&lt;/script&gt;</ins>\nline two")


def test_a_word_moved_to_a_new_paragraph_shows_as_changed():
    assert word_diff_html("a b c", "a b\n\nc") == "a <del>b </del><ins>b\n\n</ins>c"
