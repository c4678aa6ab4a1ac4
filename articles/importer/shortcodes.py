"""WordPress shortcodes turned into plain HTML before the HTML becomes Markdown.

`[caption]`, `[embed]`, `[video]`, `[youtube]` and `[gallery]` are converted; any other
shortcode is kept as the text it was and reported, never silently dropped.

The pass is linear in the length of the post, however its brackets are arranged: the
closing tags are found in one scan before it starts (a search for each opening tag's
closing one, when most are never closed, read the rest of the post once per tag), and no
pattern reads past the next bracket or the next `<`.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

from articles.models import VIDEO_HOSTS

KNOWN = ("caption", "wp_caption", "embed", "video", "youtube", "gallery")
# Attributes end at the first bracket, either one (as WordPress's own pattern ends them at
# the first "]"): a "[" that never closes cannot make each later opening read to the end.
_OPENING = re.compile(r"\[(?P<name>[A-Za-z][\w-]*)(?P<attrs>(?:\s[^\[\]]*)?)\]")
_CLOSING = re.compile(r"\[/(?P<name>[A-Za-z][\w-]*)\]")
_TAG = re.compile(r"<[^<>]*>")
_ATTRIBUTE = re.compile(
    r"""(?P<key>[\w-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s'"\]]+))"""
    r"""|"(?P<pdq>[^"]*)"|(?P<pbare>[^\s'"\]]+)"""
)
_YOUTUBE_ID = re.compile(r"^[\w-]{11}$")


@dataclass(frozen=True)
class Attachment:
    url: str
    alt: str = ""
    caption: str = ""
    parent: int = 0


@dataclass
class ShortcodeContext:
    """What a shortcode may need from the export, and where its findings go."""

    attachments: Callable[[int], Attachment | None]
    children: Callable[[], list[Attachment]]
    warn: Callable[[str], None]
    video: Callable[[str], None]


class _ClosingTags:
    """Where each `[/name]` of a text starts, found in one scan. Asked in the order of the
    text (each opening tag after the last), so each name's list is walked once in all."""

    def __init__(self, text: str):
        self._starts: dict[str, list[int]] = {}
        for found in _CLOSING.finditer(text):
            self._starts.setdefault(found["name"], []).append(found.start())
        self._next: dict[str, int] = {}

    def first_after(self, name: str, position: int) -> int:
        """The start of the first `[/name]` at or after `position`, or -1."""
        starts = self._starts.get(name, [])
        index = self._next.get(name, 0)
        while index < len(starts) and starts[index] < position:
            index += 1
        self._next[name] = index
        return starts[index] if index < len(starts) else -1


def expand_shortcodes(text: str, context: ShortcodeContext) -> str:
    out, position = [], 0
    closings = _ClosingTags(text)
    while (match := _OPENING.search(text, position)) is not None:
        name = match["name"].lower()
        closing = f"[/{match['name']}]"
        end = closings.first_after(match["name"], match.end())
        content = text[match.end() : end] if end != -1 else None
        after = end + len(closing) if end != -1 else match.end()
        attrs = _attributes(match["attrs"])
        if name in KNOWN:
            out.append(text[position : match.start()])
            out.append(_CONVERTERS[name](attrs, content or "", context))
            position = after
        elif content is not None or "=" in match["attrs"]:
            context.warn(f"unknown shortcode [{match['name']}] kept as text")
            out.append(text[position:after])
            position = after
        else:  # "[sic]", "[1]": brackets in prose, not a shortcode
            out.append(text[position : match.end()])
            position = match.end()
    out.append(text[position:])
    return "".join(out)


def _attributes(raw: str) -> dict[str, str]:
    attrs, positional = {}, 0
    for found in _ATTRIBUTE.finditer(html.unescape(raw)):
        if found["key"]:
            value = found["dq"] if found["dq"] is not None else found["sq"] or found["bare"]
            attrs[found["key"].lower()] = value or ""
        else:
            attrs[str(positional)] = found["pdq"] if found["pdq"] is not None else found["pbare"]
            positional += 1
    return attrs


def _caption(attrs: dict, content: str, context: ShortcodeContext) -> str:
    # The image (perhaps inside a link) comes first, the caption text after it.
    image = re.search(r"(?:<a\b[^<>]*>\s*)?<img\b[^<>]*>(?:\s*</a>)?", content, re.I)
    picture = image.group(0) if image else ""
    caption = attrs.get("caption") or (content[image.end() :] if image else content)
    caption = _TAG.sub("", caption).strip()
    parts = [f"<p>{picture}</p>"] if picture else []
    if caption:
        parts.append(f"<p><em>{html.escape(html.unescape(caption))}</em></p>")
    return "".join(parts)


def _video_link(url: str, context: ShortcodeContext, label: str = "Watch the video") -> str:
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        context.warn(f"video without an address: {url or '(empty)'}")
        return ""
    if urlparse(url).hostname in VIDEO_HOSTS:
        context.video(url)
    return f'<p><a href="{html.escape(url)}">{label}</a></p>'


def _embed(attrs: dict, content: str, context: ShortcodeContext) -> str:
    url = _TAG.sub("", content).strip() or attrs.get("src", "") or attrs.get("0", "")
    label = "Watch the video" if urlparse(url).hostname in VIDEO_HOSTS else url
    return _video_link(url, context, label)


def _video(attrs: dict, content: str, context: ShortcodeContext) -> str:
    for key in ("src", "mp4", "webm", "ogv", "m4v", "0"):
        if attrs.get(key):
            return _video_link(attrs[key], context)
    return _video_link(content, context)


def _youtube(attrs: dict, content: str, context: ShortcodeContext) -> str:
    value = (attrs.get("0") or attrs.get("id") or attrs.get("url") or content).strip()
    if _YOUTUBE_ID.match(value):
        value = f"https://www.youtube.com/watch?v={value}"
    elif "youtube.com" in value and "v" not in parse_qs(urlparse(value).query):
        context.warn(f"YouTube address without a video: {value}")
    return _video_link(value, context)


def _gallery(attrs: dict, content: str, context: ShortcodeContext) -> str:
    if attrs.get("ids"):
        pictures = []
        for raw_id in attrs["ids"].split(","):
            attachment = context.attachments(int(raw_id)) if raw_id.strip().isdigit() else None
            if attachment is None:
                context.warn(f"gallery image {raw_id.strip()} is not in the export")
            else:
                pictures.append(attachment)
    else:
        pictures = context.children()
    if not pictures:
        context.warn("empty gallery")
    return "".join(_figure(picture) for picture in pictures)


def _figure(picture: Attachment) -> str:
    image = f'<p><img src="{html.escape(picture.url)}" alt="{html.escape(picture.alt)}"></p>'
    if picture.caption:
        return image + f"<p><em>{html.escape(picture.caption)}</em></p>"
    return image


_CONVERTERS = {
    "caption": _caption,
    "wp_caption": _caption,
    "embed": _embed,
    "video": _video,
    "youtube": _youtube,
    "gallery": _gallery,
}
