"""WordPress exports (WXR 1.1 and 1.2), read as a stream.

Two passes of lxml's `iterparse` over the file, each element dropped once read, so memory
stays flat however large the export: the first pass keeps only the authors and the small
facts about attachments (address, alt text, caption) that posts refer to; the second
turns each post into an `Item`.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

from base.slugs import readable_slug

from ..models import Redirect
from .html_to_markdown import DROPPED, html_to_markdown, html_to_text
from .items import MAX_POST_SIZE, AuthorRef, Item, too_large
from .media import MediaRefused, MediaStore, uploads_path
from .redirects import normalize_path
from .shortcodes import Attachment, ShortcodeContext, expand_shortcodes
from .terms import Terms
from .textpages import first_sentence_title, kind_from_title

NOT_ARTICLES = {"page": "a WordPress page, not a post"}
IGNORED_STATUSES = {"trash": "in the WordPress trash", "auto-draft": "an unsaved auto-draft"}
EMPTY_DATE = "0000-00-00 00:00:00"


def is_wxr(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(16384)
    return b"<rss" in head and b"wordpress.org/export/" in head


def _prefix(namespace: str | None) -> str:
    if not namespace:
        return ""
    if "wordpress.org/export/" in namespace:
        return "excerpt" if namespace.rstrip("/").endswith("excerpt") else "wp"
    if "purl.org/rss/1.0/modules/content" in namespace:
        return "content"
    if "purl.org/dc/elements" in namespace:
        return "dc"
    return namespace


def _name(element) -> str:
    qname = etree.QName(element)
    prefix = _prefix(qname.namespace)
    return f"{prefix}:{qname.localname}" if prefix else qname.localname


def _text(element, name: str) -> str:
    for child in element:
        if _name(child) == name:
            return (child.text or "").strip()
    return ""


def _all(element, name: str) -> list:
    return [child for child in element if _name(child) == name]


def _meta(element) -> list[tuple[str, str]]:
    return [
        (_text(meta, "wp:meta_key"), _text(meta, "wp:meta_value"))
        for meta in _all(element, "wp:postmeta")
    ]


def _stream(path: Path, tags: tuple[str, ...]) -> Iterator:
    events = etree.iterparse(
        str(path),
        events=("end",),
        tag=tuple(f"{{*}}{tag}" for tag in tags),
        huge_tree=True,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
    )
    for _, element in events:
        if element.getparent() is not None and _name(element.getparent()) == "item":
            continue  # an <author> inside a post is not the export's author list
        yield element
        element.clear(keep_tail=False)
        # Drop what was read before, so the tree never holds more than the current post.
        while element.getprevious() is not None:
            del element.getparent()[0]


@dataclass
class _Channel:
    site: str = ""
    authors: dict[str, str] = field(default_factory=dict)  # login -> display name
    attachments: dict[int, Attachment] = field(default_factory=dict)
    children: dict[int, list[int]] = field(default_factory=dict)  # post -> its attachments
    posts: int = 0


class WxrReader:
    def __init__(self, path: Path, *, media: MediaStore, terms: Terms, publish: bool):
        self.path = path
        self.media = media
        self.terms = terms
        self.publish = publish
        self.channel = self._scan()

    def __len__(self) -> int:
        return self.channel.posts

    def _scan(self) -> _Channel:
        channel = _Channel()
        for element in _stream(self.path, ("item", "author", "base_site_url", "link")):
            name = _name(element)
            if name == "wp:base_site_url" or (name == "link" and not channel.site):
                if _name(element.getparent()) == "channel":
                    channel.site = (element.text or "").strip().rstrip("/")
            elif name == "wp:author":
                login = _text(element, "wp:author_login")
                channel.authors[login] = _text(element, "wp:author_display_name") or login
            elif name == "item":
                post_type = _text(element, "wp:post_type")
                if post_type == "attachment":
                    self._attachment(element, channel)
                elif post_type in ("post", *NOT_ARTICLES):
                    channel.posts += 1
        return channel

    def _attachment(self, element, channel: _Channel) -> None:
        meta = dict(_meta(element))
        post_id = int(_text(element, "wp:post_id") or 0)
        parent = int(_text(element, "wp:post_parent") or 0)
        url = _text(element, "wp:attachment_url")
        if not url and meta.get("_wp_attached_file"):
            url = "/wp-content/uploads/" + meta["_wp_attached_file"]
        channel.attachments[post_id] = Attachment(
            url=url,
            alt=meta.get("_wp_attachment_image_alt", ""),
            caption=html_to_text(_text(element, "excerpt:encoded")),
            parent=parent,
        )
        if parent:
            channel.children.setdefault(parent, []).append(post_id)

    def __iter__(self) -> Iterator[Item]:
        for element in _stream(self.path, ("item",)):
            post_type = _text(element, "wp:post_type")
            if post_type == "post" or post_type in NOT_ARTICLES:
                yield self._safe_item(element, post_type)

    def _safe_item(self, element, post_type: str) -> Item:
        try:
            return self._item(element, post_type)
        except Exception as error:  # one unreadable post must not stop the others
            post_id = _text(element, "wp:post_id")
            return Item(
                source="wordpress",
                source_key=f"wordpress:{self.channel.site}:{post_id}",
                label=f"post {post_id}",
                title=_text(element, "title"),
                body="",
                error=f"{type(error).__name__}: {error}",
            )

    def _item(self, element, post_type: str) -> Item:
        post_id = int(_text(element, "wp:post_id") or 0)
        guid = _text(element, "guid")
        item = Item(
            source="wordpress",
            source_key=f"wordpress:{self.channel.site}:{post_id}",
            label=f"post {post_id}",
            guid=guid,
            title=html_to_text(_text(element, "title")),
            body="",
        )
        status = _text(element, "wp:status")
        if post_type in NOT_ARTICLES:
            item.skip_reason = NOT_ARTICLES[post_type]
            return item
        if status in IGNORED_STATUSES:
            item.skip_reason = IGNORED_STATUSES[status]
            return item
        content = _text(element, "content:encoded")
        if len(content) > MAX_POST_SIZE:
            item.skip_reason = too_large(len(content))
            return item
        meta = _meta(element)
        context = ShortcodeContext(
            attachments=self.channel.attachments.get,
            children=lambda: [
                self.channel.attachments[i] for i in self.channel.children.get(post_id, [])
            ],
            warn=item.warn,
            video=item.offer_video,
        )
        html = expand_shortcodes(content, context)
        item.body = html_to_markdown(html, image_url=lambda src, kind: self._media(item, src, kind))
        item.dek = html_to_text(_text(element, "excerpt:encoded"))
        if not item.title:
            item.title = first_sentence_title(html_to_text(html))
            item.warn("no title found: made from the first sentence")
        item.date = self._date(element, item)
        self._status(item, status)
        post_name = unquote(_text(element, "wp:post_name")).strip()
        item.slug = readable_slug(post_name) if post_name else ""
        item.kind = kind_from_title(item.title)
        self._authors(element, item)
        self._terms(element, item)
        self._featured_image(dict(meta), item)
        self._old_paths(element, meta, item)
        return item

    def _date(self, element, item: Item) -> datetime.datetime | None:
        gmt = _text(element, "wp:post_date_gmt")
        if gmt and gmt != EMPTY_DATE:
            return _parse(gmt)
        local = _text(element, "wp:post_date")
        if local and local != EMPTY_DATE:
            item.warn("date guessed: the export has only the site's local time, read as UTC")
            return _parse(local)
        return None

    def _status(self, item: Item, status: str) -> None:
        if status == "private":
            item.warn("private on WordPress: imported as a draft")
        if status == "future":
            # Never seen by readers of the old site: a draft for an editor to schedule.
            when = f"{item.date:%Y-%m-%d}" if item.date else "a later date"
            item.warn(f"scheduled on WordPress for {when}: imported as a draft")
        was_public = status == "publish"
        if was_public and item.date is None:
            item.warn("published on WordPress but has no date: imported as a draft")
            was_public = False
        item.was_public = was_public
        item.status = "published" if was_public and self.publish else "draft"

    def _authors(self, element, item: Item) -> None:
        logins = []
        for category in _all(element, "category"):
            if category.get("domain") == "author":  # Co-Authors Plus
                nicename = category.get("nicename", "")
                logins.append(nicename.removeprefix("cap-") or (category.text or "").strip())
        creator = _text(element, "dc:creator")
        if not logins and creator:
            logins.append(creator)
        for login in dict.fromkeys(logins):
            name = self.channel.authors.get(login) or login
            item.authors.append(AuthorRef(name=name, login=login))

    def _terms(self, element, item: Item) -> None:
        for category in _all(element, "category"):
            domain = category.get("domain", "category")
            if domain not in ("category", "post_tag"):
                continue
            name = (category.text or "").strip()
            found = self.terms.resolve(name, category.get("nicename", ""))
            if found is None:
                if name not in item.unknown_terms:
                    item.unknown_terms.append(name)
                continue
            vocabulary, slug = found
            if vocabulary == "kind":
                item.kind = slug
            elif vocabulary in ("topic", "region"):
                target = item.topics if vocabulary == "topic" else item.regions
                if slug not in target:
                    target.append(slug)

    def _media(self, item: Item, src: str, kind: str) -> str | None:
        relative = uploads_path(src)
        if relative is None:
            return None
        try:
            name = self.media.store(relative)
        except MediaRefused as refused:
            item.warn(f"skipped file: {refused}, its link taken out")
            return DROPPED
        if name is None:
            if kind == "img":
                item.warn(f"missing image: {relative}")
            return None
        return self.media.url(name)

    def _featured_image(self, meta: dict[str, str], item: Item) -> None:
        thumbnail = meta.get("_thumbnail_id", "")
        if not thumbnail.isdigit():
            return
        attachment = self.channel.attachments.get(int(thumbnail))
        relative = uploads_path(attachment.url) if attachment else None
        try:
            name = self.media.store(relative) if relative else None
        except MediaRefused as refused:
            item.warn(f"featured image skipped: {refused}")
            return
        if name is None:
            item.warn(f"missing featured image: {relative or 'attachment ' + thumbnail}")
            return
        item.image_name = name
        item.image_alt = attachment.alt or attachment.caption
        # Without a caption either, the publishing checks report it (see services.py).
        if not attachment.alt and attachment.caption:
            item.warn("featured image has no alt text: used its caption")

    def _old_paths(self, element, meta: list[tuple[str, str]], item: Item) -> None:
        link = _text(element, "link")
        path = urlparse(link).path
        if not path.strip("/"):
            if link:
                item.warn(f"permalink {link} has no path: no redirect from it")
            path = ""
        paths = [path] if path else []
        for key, value in meta:
            if key == "_wp_old_slug" and value:
                segments = path.rstrip("/").split("/") if path else [""]
                segments[-1] = value
                paths.append("/".join(segments) + "/")
        longest = Redirect._meta.get_field("old_path").max_length
        item.old_paths = []
        for old in dict.fromkeys(normalize_path(p) for p in paths if p):
            if len(old) > longest:
                item.warn(f"old address too long to redirect ({len(old)} characters): {old[:60]}…")
            else:
                item.old_paths.append(old)


def _parse(value: str) -> datetime.datetime | None:
    try:
        parsed = datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return parsed.replace(tzinfo=datetime.UTC)
