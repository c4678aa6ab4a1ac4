import pytest
from django.test import RequestFactory

from base.clientip import client_ip, client_network
from base.limits import mailbox


def _request(remote="203.0.113.9", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_proxies_the_forwarded_header_is_ignored(settings):
    settings.PROXY_COUNT = 0
    assert client_ip(_request(forwarded="198.51.100.1")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "client"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        # The client wrote the left part itself; our one proxy appended the real address.
        (1, "10.9.9.9, 1.2.3.4, 198.51.100.7", "198.51.100.7"),
        # Two proxies: the outer one appended the client, the inner one the outer proxy.
        (2, "1.2.3.4, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "198.51.100.7", "203.0.113.9"),  # shorter than the proxies: not through them
        (1, "not-an-address", "203.0.113.9"),
        (1, "", "203.0.113.9"),
        (1, "::ffff:198.51.100.7", "198.51.100.7"),
    ],
)
def test_behind_proxies_the_nth_address_from_the_right_is_the_client(
    settings, proxies, forwarded, client
):
    settings.PROXY_COUNT = proxies
    assert client_ip(_request(forwarded=forwarded)) == client


def test_ipv6_clients_are_counted_per_64(settings):
    settings.PROXY_COUNT = 0
    one = client_network(_request(remote="2001:db8:1:2:aaaa::1"))
    other = client_network(_request(remote="2001:db8:1:2:bbbb::9"))
    elsewhere = client_network(_request(remote="2001:db8:1:3::1"))
    assert one == other == "2001:db8:1:2::"
    assert elsewhere != one
    assert client_network(_request(remote="198.51.100.7")) == "198.51.100.7"


@pytest.mark.parametrize(
    "spelling",
    [
        "Reader@Example.org",
        "reader+1@example.org",
        "reader+alerts+x@example.org",
        '"reader"@example.org',
        '"reader+2"@example.org',
        "reader@example.org.",
    ],
)
def test_spellings_of_one_address_are_one_mailbox(spelling):
    assert mailbox(spelling) == "reader@example.org"


def test_gmail_ignores_dots_and_other_domains_keep_them():
    assert mailbox("Re.Ad.Er+x@googlemail.com") == "reader@gmail.com"
    assert mailbox("re.ader@example.org") == "re.ader@example.org"
