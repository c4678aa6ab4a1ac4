from html.parser import HTMLParser

import pytest

from newsroom.markdown import render_markdown

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
