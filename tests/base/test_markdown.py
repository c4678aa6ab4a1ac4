from html.parser import HTMLParser

import pytest

from base.markdown import render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<img src=x OnError=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">entity</a>',
    '<a href="java&#x09;script:alert(1)">tab</a>',
    "[markdown link](javascript:alert(1))",
    "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<style>body{display:none}</style>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="https://evil.example"><input name=q><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<div onclick="alert(1)" onmouseover="alert(2)">hover</div>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    "<details open ontoggle=alert(1)>x</details>",
    "<!--<script>alert(1)</script>-->",
]

FORBIDDEN_TAGS = {
    "script", "iframe", "object", "embed", "style", "svg", "math", "form", "input",
    "button", "meta", "base", "link",
}  # fmt: skip


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)


def _parse(html: str) -> _Elements:
    elements = _Elements()
    elements.feed(html)
    return elements


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markup_does_not_survive(source):
    html = render_markdown(f"Before.\n\n{source}\n\nAfter.").html
    elements = _parse(html)
    assert not FORBIDDEN_TAGS & set(elements.tags), html
    for name, value in elements.attributes:
        assert not name.startswith("on"), html
        assert name != "style", html
        if name in ("href", "src"):
            scheme = value.strip().lower().replace("\t", "").split(":", 1)
            assert len(scheme) == 1 or scheme[0] in ("http", "https", "mailto"), html
    assert "Before." in html


def test_escaped_markup_stays_visible_text():
    html = render_markdown("Write &lt;script&gt; to mean the tag.").html
    assert "&lt;script&gt;" in html


def test_articles_keep_their_formatting():
    source = (
        "# Background\n\nA claim.[^1]\n\n> A quotation.\n\n"
        "| Year | Share |\n|---|---|\n| 2021 | 40% |\n\n"
        "[A link](https://example.org/report)\n\n[^1]: The source."
    )
    html = render_markdown(source).html
    elements = _parse(html)
    assert {"h2", "blockquote", "table", "th", "td", "sup", "section", "a"} <= set(elements.tags)
    assert ("href", "https://example.org/report") in elements.attributes
    assert 'rel="noopener noreferrer"' in html


def test_reading_time_follows_the_length():
    assert render_markdown("word " * 100).reading_minutes == 1
    assert render_markdown("word " * 2200).reading_minutes == 10


def _stock_renderer():
    """markdown-it with its own anchors plugin and smart quotes: what the site used before."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.anchors import anchors_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    from base.markdown import _slugify_heading

    md = MarkdownIt("commonmark", {"html": True, "typographer": True})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=1, max_level=3, slug_func=_slugify_heading)
    return md


def test_normal_documents_render_as_with_the_stock_plugins():
    from base.markdown import _MD

    stock = _stock_renderer()
    source = (
        "# Background\n\nThe minister said \"we're ready\" and 'that's final'.[^1]\n\n"
        "## Background\n\n> \"Quoted 'inside' *emphasis 'here'*\" -- she wrote...\n\n"
        "### `code` heading\n\n## Background\n\n#### Deep\n\nA 12\" pipe, it's 'a \"b\" c'.\n\n"
        'Setext\n======\n\n[^1]: The source\'s "note".\n'
    )
    assert _MD.render(source) == stock.render(source)
    assert 'id="background-1"' in _MD.render(source)


@pytest.mark.parametrize("seed", range(40))
def test_smart_quotes_decide_like_the_stock_rule_on_any_text(seed):
    import random

    from base.markdown import _MD

    stock = _stock_renderer()
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    pieces = ["'", '"', "a", "b", " ", "1", "*", "_", "`", "\n", "-", "(", ")", "**", "\n\n", "> "]
    source = "".join(rng.choice(pieces) for _ in range(300))
    assert _MD.render(source) == stock.render(source)


def test_twenty_thousand_equal_headings_get_unique_ids_in_order():
    from base.markdown import _MD

    # Through the parser itself: 100,000 characters are beyond what the site renders.
    tokens = _MD.parse("## h\n" * 20_000, {})
    ids = [token.attrGet("id") for token in tokens if token.type == "heading_open"]
    assert ids == ["h", *(f"h-{n}" for n in range(1, 20_000))]


def test_a_heading_never_takes_an_id_already_given():
    source = "## h-1\n## h\n## h\n## h\n## h-2\n## h-1\n"
    ids = [heading.anchor for heading in render_markdown(source).headings]
    assert ids == ["h-1", "h", "h-2", "h-3", "h-2-1", "h-1-1"]


def test_unique_ids_look_each_one_up_a_bounded_number_of_times():
    from base.markdown import _unique_slug

    class CountingSet(set):
        lookups = 0

        def __contains__(self, item):
            CountingSet.lookups += 1
            return super().__contains__(item)

    used, next_suffix = CountingSet(), {}
    for _ in range(5_000):
        _unique_slug("h", used, next_suffix)
    # Trying h, h-1, h-2… from the start each time would be 12.5 million lookups.
    assert len(used) == 5_000 and CountingSet.lookups < 3 * 5_000


def test_twenty_thousand_apostrophes_all_become_typographic():
    html = render_markdown("a' " * 20_000).html
    assert html.count("\u2019") == 20_000 and "'" not in html


def test_a_source_beyond_the_ceiling_shows_the_rest_as_plain_text():
    from base.markdown import MARKDOWN_MAX_CHARS

    head = "## Part\n\n" + "Some *words* here.\n\n" * (MARKDOWN_MAX_CHARS // 20)
    html = render_markdown(head + "Tail with *stars* and <b>tags</b>.").html
    assert "<em>words</em>" in html
    assert "<p>Tail with *stars* and &lt;b&gt;tags&lt;/b&gt;.</p>" in html


def test_markdown_too_intricate_to_parse_in_time_is_shown_as_plain_text():
    source = "Intro <b>bold</b>\n\n" + "![" * 20_000
    rendered = render_markdown(source, cpu_seconds=0.01)
    assert rendered.as_plain_text
    assert rendered.html.startswith("<p>Intro &lt;b&gt;bold&lt;/b&gt;</p><p>![![![")
    assert not render_markdown("Intro <b>bold</b>").as_plain_text
