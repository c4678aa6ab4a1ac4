"""Small WordPress exports written by a test, one post or a few, for what the hand-written
fixture does not show."""

from pathlib import Path

SITE = "https://blog.caucasus-center.example"
UPLOADS_URL = f"{SITE}/wp-content/uploads/"


def post(
    post_id: int,
    *,
    title: str = "Drills on the Araz",
    body: str = "Iranian ground forces held manoeuvres near the Araz river.",
    link: str = "",
    status: str = "publish",
    meta: dict[str, list[str]] | None = None,
    categories: list[str] = (),
    creator: str = "nargiz",
) -> str:
    metas = "".join(
        f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key>"
        f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"
        for key, values in (meta or {}).items()
        for value in values
    )
    terms = "".join(
        f'<category domain="category" nicename="{name.lower()}"><![CDATA[{name}]]></category>'
        for name in categories
    )
    return f"""<item>
        <title><![CDATA[{title}]]></title>
        <link>{link or f"{SITE}/2021/10/04/post-{post_id}/"}</link>
        <dc:creator><![CDATA[{creator}]]></dc:creator>
        <guid isPermaLink="false">{SITE}/?p={post_id}</guid>
        <content:encoded><![CDATA[{body}]]></content:encoded>
        <excerpt:encoded><![CDATA[]]></excerpt:encoded>
        <wp:post_id>{post_id}</wp:post_id>
        <wp:post_date_gmt>2021-10-04 08:00:00</wp:post_date_gmt>
        <wp:post_name>post-{post_id}</wp:post_name>
        <wp:status>{status}</wp:status>
        <wp:post_type>post</wp:post_type>
        {terms}{metas}
    </item>"""


def attachment(post_id: int, file: str, *, parent: int = 0, alt: str = "") -> str:
    return f"""<item>
        <title>{file}</title>
        <wp:post_id>{post_id}</wp:post_id>
        <wp:post_parent>{parent}</wp:post_parent>
        <wp:status>inherit</wp:status>
        <wp:post_type>attachment</wp:post_type>
        <wp:attachment_url>{UPLOADS_URL}{file}</wp:attachment_url>
        <wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>
        <wp:meta_value><![CDATA[{alt}]]></wp:meta_value></wp:postmeta>
    </item>"""


def write_export(path: Path, *items: str) -> Path:
    path.write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
    xmlns:content="http://purl.org/rss/1.0/modules/content/"
    xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
    <link>{SITE}</link>
    <wp:base_site_url>{SITE}</wp:base_site_url>
    <wp:author><wp:author_login>nargiz</wp:author_login>
    <wp:author_display_name>Nargiz Talibova</wp:author_display_name></wp:author>
    {"".join(items)}
</channel>
</rss>
""",
        encoding="utf-8",
    )
    return path
