"""The body's formatting toolbar in Chromium: every tool, at a caret, on a word and over
several lines, keeps every character of the text, leaves the caret or selection where the
next keystroke belongs, and one Ctrl+Z gives back the text as it was before the tool.

Texts are written with the selection in braces: "First {line} of text" has "line" selected,
"First li{}ne" has the caret between "li" and "ne". None of the texts holds a brace."""

import re

import pytest

from tests.browser.test_editor import log_in, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = "var/screens"

CARET = "First li{}ne of text\n\nSecond line here\nThird line"
WORD = "First {line} of text\n\nSecond line here\nThird line"
LINES = "First li{ne of text\n\nSecond line here\nThi}rd line"

# (tool, how it is used, what each position becomes). A button is named by its data-md;
# a shortcut by the keys pressed.
EVERY_TOOL = [
    (
        "bold",
        "button",
        "First li**{}**ne of text\n\nSecond line here\nThird line",
        "First **{line}** of text\n\nSecond line here\nThird line",
        "First li**{ne of text**\n\n**Second line here**\n**Thi}**rd line",
    ),
    (
        "italic",
        "button",
        "First li_{}_ne of text\n\nSecond line here\nThird line",
        "First _{line}_ of text\n\nSecond line here\nThird line",
        "First li_{ne of text_\n\n_Second line here_\n_Thi}_rd line",
    ),
    (
        "link",
        "button",
        "First li[{}](https://)ne of text\n\nSecond line here\nThird line",
        "First [{line}](https://) of text\n\nSecond line here\nThird line",
        "First li[{ne of text\n\nSecond line here\nThi}](https://)rd line",
    ),
    (
        "heading",
        "button",
        "## First li{}ne of text\n\nSecond line here\nThird line",
        "## First {line} of text\n\nSecond line here\nThird line",
        "## First li{ne of text\n\n## Second line here\n## Thi}rd line",
    ),
    (
        "subheading",
        "button",
        "### First li{}ne of text\n\nSecond line here\nThird line",
        "### First {line} of text\n\nSecond line here\nThird line",
        "### First li{ne of text\n\n### Second line here\n### Thi}rd line",
    ),
    (
        "quote",
        "button",
        "> First li{}ne of text\n\nSecond line here\nThird line",
        "> First {line} of text\n\nSecond line here\nThird line",
        # The blank line keeps its ">" so the quotation stays one.
        "> First li{ne of text\n>\n> Second line here\n> Thi}rd line",
    ),
    (
        "list",
        "button",
        "- First li{}ne of text\n\nSecond line here\nThird line",
        "- First {line} of text\n\nSecond line here\nThird line",
        "- First li{ne of text\n\n- Second line here\n- Thi}rd line",
    ),
    (
        "numbered",
        "button",
        "1. First li{}ne of text\n\nSecond line here\nThird line",
        "1. First {line} of text\n\nSecond line here\nThird line",
        "1. First li{ne of text\n\n2. Second line here\n3. Thi}rd line",
    ),
    (
        "footnote",
        "button",
        "First li[^1]ne of text\n\nSecond line here\nThird line\n\n[^1]: {The note.}",
        "First line[^1] of text\n\nSecond line here\nThird line\n\n[^1]: {The note.}",
        "First line of text\n\nSecond line here\nThi[^1]rd line\n\n[^1]: {The note.}",
    ),
]
EVERY_TOOL += [
    ("bold", "Control+b", *EVERY_TOOL[0][2:]),
    ("italic", "Control+i", *EVERY_TOOL[1][2:]),
    ("link", "Control+k", *EVERY_TOOL[2][2:]),
]

# The characters each tool may add; every other character of the result is the text's own.
MARKERS = {
    "bold": "*",
    "italic": "_",
    "link": "[]()htps:/",
    "heading": "# ",
    "subheading": "# ",
    "quote": "> ",
    "list": "- ",
    "numbered": "0123456789. ",
    "footnote": "[^12]:\n The note.",
}


def unmark(marked: str) -> tuple[str, int, int]:
    start = marked.index("{")
    end = marked.index("}") - 1
    return marked.replace("{", "").replace("}", ""), start, end


def mark(text: str, start: int, end: int) -> str:
    return text[:start] + "{" + text[start:end] + "}" + text[end:]


def open_editor(page, editor) -> list[str]:
    violations = watch(page)
    log_in(page, editor.username)
    page.goto(page.base_url + "/admin/articles/article/add/")
    return violations


def select(body, start: int, end: int) -> None:
    body.evaluate("(area, [start, end]) => area.setSelectionRange(start, end)", [start, end])


def use_tool(page, marked: str, tool: str, how: str) -> str:
    """Sets the body and its selection, uses the tool; the body after it, selection marked."""
    text, start, end = unmark(marked)
    body = page.locator("#id_body")
    body.fill(text)
    select(body, start, end)
    if how == "button":
        page.locator(f'[data-md="{tool}"]').click()
    else:
        page.keyboard.press(how)
    state = body.evaluate(
        "area => [area.value, area.selectionStart, area.selectionEnd,"
        " document.activeElement === area]"
    )
    value, start, end, focused = state
    return mark(value, start, end) if focused else value + "  (the text lost the focus)"


def undo(page) -> str:
    page.keyboard.press("Control+z")
    return page.locator("#id_body").input_value()


def added_characters(before: str, after: str) -> str | None:
    """What `after` adds to `before`, if `before` is all there in order; None if it is not."""
    added = []
    rest = iter(before)
    wanted = next(rest, None)
    for char in after:
        if char == wanted:
            wanted = next(rest, None)
        else:
            added.append(char)
    return None if wanted is not None else "".join(added)


def problems_with(tool: str, marked: str, result: str, expected: str) -> list[str]:
    text = unmark(marked)[0]
    added = added_characters(text, result.replace("{", "").replace("}", ""))
    found = []
    if added is None:
        found.append("loses or reorders characters of the text")
    elif set(added) - set(MARKERS[tool]):
        found.append(f"adds characters that are no {tool} marker: {added!r}")
    if result != expected:
        found.append(f"gives {result!r}, not {expected!r}")
    return found


def every_case():
    for tool, how, *results in EVERY_TOOL:
        yield from (
            (tool, how, marked, expected)
            for marked, expected in zip((CARET, WORD, LINES), results, strict=True)
        )


def test_every_tool_at_a_caret_on_a_word_and_over_lines_keeps_the_text_and_the_place_to_type(
    page, editor
):
    violations = open_editor(page, editor)
    failures = []
    for tool, how, marked, expected in every_case():
        result = use_tool(page, marked, tool, how)
        for problem in problems_with(tool, marked, result, expected):
            failures.append(f"{tool} ({how}) on {marked!r}: {problem}")

        # The next keystroke lands where the selection was left: typing replaces it.
        use_tool(page, marked, tool, how)
        page.keyboard.type("X")
        typed = page.locator("#id_body").input_value()
        wanted = re.sub(r"\{.*\}", "X", expected, flags=re.S)
        if typed != wanted:
            failures.append(f"{tool} ({how}) on {marked!r}, then X: {typed!r}, not {wanted!r}")
    assert failures == [], "\n".join(failures)
    assert violations == [] and page.console_errors == []


def test_one_undo_after_any_tool_gives_back_the_text_before_it(page, editor):
    violations = open_editor(page, editor)
    failures = []
    for tool, how, marked, _ in every_case():
        use_tool(page, marked, tool, how)
        if (after := undo(page)) != unmark(marked)[0]:
            failures.append(f"{tool} ({how}) on {marked!r}, then Ctrl+Z: {after!r}")
    assert failures == [], "\n".join(failures)
    assert violations == [] and page.console_errors == []


AGAIN = [
    # The same tool again takes its marker off.
    ("heading", "## First li{}ne of text", "First li{}ne of text"),
    ("heading", "## First li{ne\n\n## Second\n## Thi}rd", "First li{ne\n\nSecond\nThi}rd"),
    ("subheading", "### First {line} of text", "First {line} of text"),
    ("quote", "> First li{ne\n>\n> Thi}rd", "First li{ne\n\nThi}rd"),
    ("list", "- First li{}ne", "First li{}ne"),
    ("numbered", "1. First li{ne\n2. Thi}rd", "First li{ne\nThi}rd"),
    ("bold", "First **{line}** of text", "First {line} of text"),
    ("bold", "First {**line**} of text", "First {line} of text"),
    ("bold", "First li**{}**ne", "First li{}ne"),
    ("italic", "First _{line}_ of text", "First {line} of text"),
    # One heading or list kind for the other, not one on top of the other.
    ("subheading", "## First li{}ne", "### First li{}ne"),
    ("heading", "### First li{}ne", "## First li{}ne"),
    ("numbered", "- First {line}\n- Second", "1. First {line}\n- Second"),
    ("list", "1. First li{ne\n2. Thi}rd", "- First li{ne\n- Thi}rd"),
]


def test_the_same_tool_again_takes_its_marker_off_and_undo_puts_it_back(page, editor):
    violations = open_editor(page, editor)
    failures = []
    for tool, marked, expected in AGAIN:
        if (result := use_tool(page, marked, tool, "button")) != expected:
            failures.append(f"{tool} on {marked!r}: {result!r}, not {expected!r}")
        if (after := undo(page)) != unmark(marked)[0]:
            failures.append(f"{tool} on {marked!r}, then Ctrl+Z: {after!r}")
    assert failures == [], "\n".join(failures)
    assert violations == [] and page.console_errors == []


EDGES = [
    ("heading", "{}", "## {}"),
    ("bold", "{}", "**{}**"),
    ("footnote", "{}", "[^1]\n\n[^1]: {The note.}"),
    # A whole line chosen by triple click ends at the next line's start: that line stays.
    ("heading", "{First line of text\n}Second line", "## {First line of text\n}Second line"),
    ("list", "{First\nSecond\n}Third", "- {First\n- Second\n}Third"),
    # Spaces chosen around a word stay outside the markers, where Markdown wants them.
    ("bold", "First { line } of text", "First  **{line}**  of text"),
    # Over list items, the list markers stay outside.
    ("bold", "- First {item\n- Second} item", "- First **{item**\n- **Second}** item"),
    # A new footnote follows the ones already there.
    (
        "footnote",
        "A claim.[^1] Another{}.\n\n[^1]: Source.",
        "A claim.[^1] Another[^2].\n\n[^1]: Source.\n\n[^2]: {The note.}",
    ),
    ("footnote", "Text{}\n", "Text[^1]\n\n[^1]: {The note.}"),
]


def test_the_tools_keep_the_text_on_an_empty_body_whole_lines_spaces_and_list_items(page, editor):
    violations = open_editor(page, editor)
    failures = []
    for tool, marked, expected in EDGES:
        result = use_tool(page, marked, tool, "button")
        failures += [
            f"{tool} on {marked!r}: {p}" for p in problems_with(tool, marked, result, expected)
        ]
        if (after := undo(page)) != unmark(marked)[0]:
            failures.append(f"{tool} on {marked!r}, then Ctrl+Z: {after!r}")
    assert failures == [], "\n".join(failures)
    assert violations == [] and page.console_errors == []


def test_an_article_written_with_the_tools_previews_at_1280_and_390_px(page, editor):
    violations = open_editor(page, editor)
    body = page.locator("#id_body")
    preview = page.frame_locator("[data-md-preview]").locator("main")
    body.fill("The corridor after the reopening")
    page.get_by_role("button", name="Section heading").click()
    page.keyboard.press("End")
    page.keyboard.type("\n\nLorries crossed at Goris.")
    page.get_by_role("button", name="Footnote").click()
    page.keyboard.type("Customs figures, April.")
    written = body.input_value()
    select(body, written.index("Lorries"), written.index(" crossed"))
    page.get_by_role("button", name="Bold").click()
    after_the_note = body.input_value().index("[^1]") + len("[^1]")
    select(body, after_the_note, after_the_note)
    page.keyboard.type("\n\nTrucks\nGrain\nFuel")
    written = body.input_value()
    select(body, written.index("Trucks"), written.index("Fuel") + len("Fuel"))
    page.get_by_role("button", name="Bulleted list").click()

    assert body.input_value() == (
        "## The corridor after the reopening\n\n**Lorries** crossed at Goris.[^1]\n\n"
        "- Trucks\n- Grain\n- Fuel\n\n[^1]: Customs figures, April."
    )
    preview.locator("h2", has_text="The corridor after the reopening").wait_for()
    preview.locator("li", has_text="Fuel").wait_for()
    assert "Customs figures, April." in preview.inner_text()
    page.locator(".md-editor").screenshot(path=f"{SCREENS}/editor-toolbar-1280.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(".md-editor").screenshot(path=f"{SCREENS}/editor-toolbar-390.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert violations == [] and page.console_errors == []


def test_undo_after_a_tool_keeps_the_words_typed_just_before_it(page, editor):
    """The browser joins consecutive typing into one undo step; the tool is a step of its own."""
    violations = open_editor(page, editor)
    body = page.locator("#id_body")
    body.click()
    failures = []
    for tool in ("bold", "heading", "footnote"):
        body.fill("")
        page.keyboard.type("Trade through Goris")
        page.locator(f'[data-md="{tool}"]').click()
        if (after := undo(page)) != "Trade through Goris":
            failures.append(f"{tool} after typing, then Ctrl+Z: {after!r}")
    assert failures == [], "\n".join(failures)
    assert violations == [] and page.console_errors == []
