"""Who the client is: one rule for every limit on the site.

The API throttle, the form limits (django-ratelimit) and the sign-in locks (django-axes) all
count per `client_network(request)`, which reads the address as `PROXY_COUNT` says:

- `PROXY_COUNT=0` (the default): the peer's address, `REMOTE_ADDR`. `X-Forwarded-For` is
  ignored: anyone can send it.
- `PROXY_COUNT=N`: N reverse proxies of ours stand in front, each appending the address it
  saw to `X-Forwarded-For`. The client is then the Nth address from the right; whatever
  stands further left was written by the client and proves nothing.

A header shorter than N entries, or an entry that is not an IP address, means the request
did not come through our proxies as configured: `REMOTE_ADDR` is used then.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# One IPv6 subscriber usually holds a whole /64: counting single addresses there would let
# one person use millions of them.
IPV6_PREFIX = 64


def client_ip(request: HttpRequest) -> str:
    """The client's address, canonical form (an IPv4-mapped IPv6 address reads as IPv4)."""
    meta = request.META
    proxies = settings.PROXY_COUNT
    if proxies > 0:
        hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies and (address := _parse(hops[-proxies])) is not None:
            return address
    return _parse(meta.get("REMOTE_ADDR", "")) or "0.0.0.0"  # noqa: S104 (a key, not a bind)


def client_network(request: HttpRequest) -> str:
    """What limits count: the IPv4 address, or the first address of the /64 an IPv6 address
    belongs to (still an address, so django-axes can store it)."""
    address = ipaddress.ip_address(client_ip(request))
    if address.version == 6:
        network = ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False)
        return str(network.network_address)
    return str(address)


def _parse(text: str) -> str | None:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address)
