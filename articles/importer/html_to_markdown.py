"""Post HTML to the Markdown our articles are written in.

markdownify does the conversion; before it, WordPress's implicit paragraphs are made
explicit, scripts and forms go, embedded frames become links and every image is sent to
`image_url` (which stores it and says where it lives now). The Markdown is then rendered
and sanitized by the site's own pipeline when the article is saved, like any other.
"""

import re
from collections.abc import Callable

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

_BLOCK_START = re.compile(
    r"^\s*<(?:p|div|h[1-6]|ul|ol|li|blockquote|table|figure|pre|hr|!--|dl|section|iframe)\b",
    re.I,
)
# What `image_url` answers for a file that must not be linked (see media.py): the image or
# the link goes, the text stays (an image's alt text, a link's words).
DROPPED = ""
_DROPPED_TAGS = ("script", "style", "noscript", "form", "input", "button", "select", "textarea")


class _Converter(MarkdownConverter):
    def convert_figcaption(self, el, text, *args, **kwargs):
        return f"\n\n*{text.strip()}*\n\n" if text.strip() else ""


_CONVERTER = _Converter(heading_style="ATX", bullets="-", strip=["span", "font"])


def autop(text: str) -> str:
    """WordPress stores paragraphs as blank lines and line breaks as newlines; make both HTML."""
    chunks = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    out = []
    for chunk in chunks:
        if not chunk.strip():
            continue
        if _BLOCK_START.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.strip().replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def html_to_markdown(html: str, *, image_url: Callable[[str, str], str | None]) -> str:
    """`image_url(src, kind)` gives the new address of an image or a linked upload, None
    to keep the old one, or DROPPED to take the image or the link out (`kind` is "img" or
    "a")."""
    soup = BeautifulSoup(autop(html), "html.parser")
    for tag in soup.find_all(_DROPPED_TAGS):
        tag.decompose()
    for frame in soup.find_all("iframe"):
        src = frame.get("src", "")
        if src.startswith("//"):
            src = "https:" + src
        if src.startswith(("http://", "https://")):
            link = soup.new_tag("a", href=src)
            link.string = "Embedded content"
            paragraph = soup.new_tag("p")
            paragraph.append(link)
            frame.replace_with(paragraph)
        else:
            frame.decompose()
    for image in soup.find_all("img"):
        for attribute in ("srcset", "sizes", "class", "style", "width", "height"):
            image.attrs.pop(attribute, None)
        new = image_url(image.get("src", ""), "img")
        if new == DROPPED:
            alt = image.get("alt", "").strip()
            image.replace_with(alt) if alt else image.decompose()
        elif new:
            image["src"] = new
    for link in soup.find_all("a", href=True):
        new = image_url(link["href"], "a")
        if new == DROPPED:
            link.unwrap()
        elif new:
            link["href"] = new
    markdown = _CONVERTER.convert_soup(soup)
    markdown = re.sub(r"[ \t]+\n", "\n", markdown)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"


def html_to_text(html: str) -> str:
    """Plain text of a short piece of HTML (an excerpt), whitespace collapsed."""
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
