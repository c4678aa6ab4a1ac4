"""Addresses of other sites that a page links to (an original piece, a source)."""

from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")


def web_url(address: str | None) -> str:
    """The address if a reader's browser may follow it as a link to a web page, else "".

    Forms and models refuse other schemes already; this is checked again where an address
    is written into a page, a head or a citation, so a row that got past them (old data, a
    bulk import, a shell) can never put `javascript:` into an `href` or `rel=canonical`."""
    address = (address or "").strip()
    try:
        scheme = urlsplit(address).scheme.lower()
    except ValueError:
        return ""
    return address if scheme in WEB_SCHEMES else ""
