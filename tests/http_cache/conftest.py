"""A real Varnish, with the repository's VCL, in front of the Django live server."""

from pathlib import Path
from urllib.parse import urlparse

import pytest
import urllib3

from tests.conftest import missing_service
from tests.varnish_server import VarnishServer

XKEY_VMOD = Path("/usr/lib/x86_64-linux-gnu/varnish/vmods/libvmod_xkey.so")


@pytest.fixture
def varnish(live_server, settings):
    """Varnish on a free port of 127.0.0.1 in front of the live server; the site purges it."""
    server = VarnishServer(backend_port=urlparse(live_server.url).port)
    if not server.available:
        missing_service("needs Varnish: apt-get install varnish varnish-modules")
    if not XKEY_VMOD.exists():
        missing_service("needs vmod xkey: apt-get install varnish-modules")
    settings.HTTP_CACHE_PURGE = [{"kind": "varnish", "url": server.url}]
    server.start()
    yield server
    server.close()


class Reader:
    """An anonymous reader's requests through Varnish (no cookie unless a test gives one)."""

    def __init__(self, base: str):
        self.base = base
        self.http = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(total=20))

    def get(self, path: str, **headers) -> urllib3.BaseHTTPResponse:
        return self.http.request("GET", self.base + path, headers=headers, redirect=False)


@pytest.fixture
def reader(varnish) -> Reader:
    return Reader(varnish.url)
