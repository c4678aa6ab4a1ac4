"""WordPress shortcodes turned into plain HTML before the HTML becomes Markdown.

`[caption]`, `[embed]`, `[video]`, `[youtube]` and `[gallery]` are converted; any other
shortcode is kept as the text it was and reported, never silently dropped.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

from articles.models import VIDEO_HOSTS

KNOWN = ("caption", "wp_caption", "embed", "video", "youtube", "gallery")
_OPENING = re.compile(r"\[(?P<name>[A-Za-z][\w-]*)(?P<attrs>(?:\s[^\]]*)?)\]")
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


def expand_shortcodes(text: str, context: ShortcodeContext) -> str:
    out, position = [], 0
    while (match := _OPENING.search(text, position)) is not None:
        name = match["name"].lower()
        closing = f"[/{match['name']}]"
        end = text.find(closing, match.end())
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
    image = re.search(r"(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?", content, re.I)
    picture = image.group(0) if image else ""
    caption = attrs.get("caption") or (content[image.end() :] if image else content)
    caption = re.sub(r"<[^>]+>", "", caption).strip()
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
    url = re.sub(r"<[^>]+>", "", content).strip() or attrs.get("src", "") or attrs.get("0", "")
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
