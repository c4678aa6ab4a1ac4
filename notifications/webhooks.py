"""Webhooks: article events delivered to partners' endpoints through the outbox.

Each event for each endpoint is one outbox row (channel `webhook`), so deliveries share the
outbox's guarantees: written with the change, handed over after the commit, retried with
backoff, never lost to a broker outage. The body is JSON; two headers let the receiver check
it: `X-Newsroom-Timestamp` and `X-Newsroom-Signature: sha256=<hex>`, the HMAC-SHA256 with the
endpoint's secret of `<timestamp>.<body>` (docs/notifications.md shows the few lines that
verify it).
"""

import hashlib
import hmac
import ipaddress
import json
import socket
import time
import uuid
from urllib.parse import urlparse

import certifi
import urllib3
from django.conf import settings
from django.utils import timezone

from outbox.models import Notification
from outbox.transports import Transport

from .models import WebhookDelivery, WebhookEndpoint

WEBHOOK = "webhook"  # the channel's name in settings.OUTBOX_TRANSPORTS
# Event ids are UUIDs derived from the announcement and the endpoint within this namespace.
_EVENT_IDS = uuid.UUID("8a7f3c52-5d0e-4c7e-9a41-0b6f2d1e9c33")
TIMEOUT_SECONDS = 5
USER_AGENT = "CaucasusCenterNewsroom-Webhooks/1.0"


class TransientWebhookError(Exception):
    """Worth another try later: a timeout, a refused connection, a 5xx."""


class PermanentWebhookError(Exception):
    """Not worth retrying: a 4xx, a forbidden address, a disabled endpoint."""


def endpoints_for(announcement: Notification) -> list[Notification]:
    """The audience of an article event: one row per active endpoint that asked for it.

    The payload is the plain data the articles app announced with the event (the article
    as the API shows it, at the time of the change); the event id is derived from the
    announcement and the endpoint, so a second expansion makes the same rows."""
    event = announcement.event
    endpoints = [e for e in WebhookEndpoint.objects.filter(is_active=True) if event in e.events]
    rows = []
    for endpoint in endpoints:
        event_id = uuid.uuid5(_EVENT_IDS, f"{announcement.key}:{endpoint.pk}").hex
        rows.append(
            Notification(
                event=event,
                key=f"webhook:{event_id}",
                recipient=endpoint.url[:254],
                channel=WEBHOOK,
                context={
                    "endpoint_id": endpoint.pk,
                    "payload": {
                        "id": event_id,
                        "type": event,
                        "created_at": announcement.created_at.isoformat(),
                        "article": announcement.context["article"],
                    },
                },
            )
        )
    return rows


class WebhookTransport(Transport):
    def send(self, row: Notification) -> None:
        deliver(row)

    def is_transient(self, error: Exception) -> bool:
        if isinstance(error, PermanentWebhookError):
            return False
        return super().is_transient(error)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def deliver(notification: Notification) -> None:
    """POST one event; raise TransientWebhookError or PermanentWebhookError when it fails."""
    endpoint = WebhookEndpoint.objects.filter(pk=notification.context["endpoint_id"]).first()
    if endpoint is None or not endpoint.is_active:
        raise PermanentWebhookError("The endpoint was removed or disabled.")
    payload = notification.context["payload"]
    body = json.dumps(payload, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    attempt = WebhookDelivery(
        endpoint=endpoint, notification=notification, event=payload["type"], event_id=payload["id"]
    )
    started = time.monotonic()
    try:
        address = check_target(endpoint.url)
        status = _post(
            endpoint.url,
            address,
            body,
            {
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                "X-Newsroom-Event": payload["type"],
                "X-Newsroom-Delivery": payload["id"],
                "X-Newsroom-Timestamp": timestamp,
                "X-Newsroom-Signature": sign(endpoint.secret, timestamp, body),
            },
        )
    except urllib3.exceptions.HTTPError as error:  # timeouts, refused or dropped connections
        attempt.error = f"{type(error).__name__}: {error}"[:500]
        raise TransientWebhookError(attempt.error) from error
    except (TransientWebhookError, PermanentWebhookError) as error:  # DNS, refused address
        attempt.error = str(error)[:500]
        raise
    except Exception as error:  # our own bug: still in the log, where editors look
        attempt.error = f"{type(error).__name__}: {error}"[:500]
        raise
    finally:
        attempt.duration_ms = int((time.monotonic() - started) * 1000)
        if attempt.status_code is None and attempt.error:
            attempt.save()
    attempt.status_code = status
    attempt.save()
    _judge(endpoint, status)


def _post(url: str, address: str, body: bytes, headers: dict) -> int:
    """POST to the address we checked, not to whatever the name resolves to a moment later
    (DNS rebinding); TLS is still verified against the host name. Redirects are not followed:
    they could lead to an address we refuse."""
    parsed = urlparse(url)
    path = (parsed.path or "/") + (f"?{parsed.query}" if parsed.query else "")
    options = {"timeout": urllib3.Timeout(total=TIMEOUT_SECONDS), "retries": False}
    if parsed.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            parsed.port or 443,
            server_hostname=parsed.hostname,
            assert_hostname=parsed.hostname,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            **options,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, parsed.port or 80, **options)
    with pool:
        response = pool.urlopen(
            "POST", path, body=body, headers={**headers, "Host": parsed.netloc}, redirect=False
        )
        return response.status


def _judge(endpoint: WebhookEndpoint, status: int) -> None:
    if 200 <= status < 300:
        return
    if status == 410:
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            is_active=False, disabled_reason=f"Answered 410 Gone on {timezone.now():%Y-%m-%d}"
        )
        raise PermanentWebhookError("The endpoint answered 410 Gone; it is now disabled.")
    if status >= 500 or status == 429:
        raise TransientWebhookError(f"The endpoint answered {status}.")
    raise PermanentWebhookError(f"The endpoint answered {status}.")


def check_target(url: str) -> str:
    """The address to deliver to; refuse URLs that resolve to any address that is not a
    public internet address (unless WEBHOOKS_ALLOW_PRIVATE_TARGETS)."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise PermanentWebhookError("Webhook URLs must be http(s) with a host name.")
    try:
        infos = socket.getaddrinfo(parsed.hostname, parsed.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise TransientWebhookError(
            f"Cannot resolve {parsed.hostname} (DNS lookup failed: {reason})."
        ) from error
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS:
        for address in addresses:
            if not is_public_address(address):
                raise PermanentWebhookError(
                    f"{parsed.hostname} resolves to {address}, a private or local address "
                    "(not reachable on the public internet)."
                )
    return str(addresses[0])


# The blocks of the IANA special-purpose address registries that are not globally reachable
# (or "N/A"), the deprecated ones, multicast and site-local: checked here as well as by
# Python's `is_global`, whose list depends on the Python release. Whole blocks are refused
# where IANA lists a few anycast services inside them (192.0.0.0/24, 2001::/23): none of
# those runs a partner's web server.
_NOT_PUBLIC = [
    ipaddress.ip_network(block)
    for block in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
        "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
        "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "::/96", "64:ff9b:1::/48", "100::/64", "2001::/23",
        "2001:db8::/32", "2002::/16", "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10",
        "fec0::/10", "ff00::/8",
    )
]  # fmt: skip
_IPV6_GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether `address` is a public internet address a partner's server may have.

    An IPv6 address that stands for an IPv4 one (IPv4-mapped, or NAT64 under 64:ff9b::/96)
    is judged by that IPv4 address; 6to4 (2002::/16) and Teredo, which embed one too, are
    refused whole.
    """
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public_address(address.ipv4_mapped)
        if address in _NAT64:
            return is_public_address(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if address not in _IPV6_GLOBAL_UNICAST:
            return False
    if not address.is_global or address.is_multicast:
        return False
    return not any(address in block for block in _NOT_PUBLIC if block.version == address.version)
