"""base/markdown.py's References hook: what an app resolves is put in after the sanitizer,
nothing an author types can pass for it, and links the app drops keep their words."""

from base.markdown import render_markdown


class _Library:
    """Images `lib:N` and links `doc:N`, as an app of the project would resolve them."""

    def image(self, src: str, *, alt: str, alone: bool) -> str | None:
        if not src.startswith("lib:"):
            return None
        if src == "lib:0":
            return ""
        tag = "figure" if alone else "span"
        return (
            f'<{tag} class="ours"><iframe src="https://player.example/{src[4:]}"></iframe></{tag}>'
        )

    def link(self, href: str) -> str | None:
        if not href.startswith("doc:"):
            return None
        return "" if href == "doc:0" else f"/docs/{href[4:]}/"


def test_an_image_on_its_own_line_takes_the_paragraphs_place_unsanitized():
    html = render_markdown("Before.\n\n![alt](lib:7)\n\nAfter.", references=_Library()).html
    assert '<figure class="ours"><iframe src="https://player.example/7"></iframe></figure>' in html
    assert "<p><figure" not in html


def test_an_image_inside_a_sentence_stays_inside_it():
    html = render_markdown("See ![alt](lib:3) here.", references=_Library()).html
    assert html.startswith('<p>See <span class="ours"><iframe')


def test_what_the_app_leaves_out_is_gone_and_what_it_does_not_know_is_untouched():
    html = render_markdown(
        "![gone](lib:0)\n\n![chart](https://example.org/c.png)", references=_Library()
    ).html
    assert "gone" not in html
    assert '<img src="https://example.org/c.png" alt="chart">' in html


def test_links_are_readdressed_or_kept_as_words():
    html = render_markdown(
        "[one](doc:5), [two](doc:0) and [three](https://example.org/).", references=_Library()
    ).html
    assert '<a href="/docs/5/" rel="noopener noreferrer">one</a>' in html
    assert ", two and " in html
    assert 'href="https://example.org/"' in html


def test_typed_html_is_still_sanitized_and_cannot_pose_as_a_mark():
    source = '![x](lib:1)\n\n<iframe src="https://evil.example/"></iframe>\n\nmdref0n0'
    html = render_markdown(source, references=_Library()).html
    assert html.count("<iframe") == 1
    assert "evil.example" not in html
    assert "<p>mdref0n0</p>" in html


def test_without_references_an_app_image_is_no_image_at_all():
    html = render_markdown("![Map](image:4)").html
    assert "image:4" not in html
