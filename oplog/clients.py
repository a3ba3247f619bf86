"""Where a request came from: the one function every rate limit, lock-out and log asks.

It lives in the lowest app so that the operations log, the shared machinery and every app
above them can all call it.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest | None) -> str | None:
    """The address of the client that sent ``request``, or None without a request.

    The connection's address (REMOTE_ADDR) unless the site sits behind TRUSTED_PROXY_COUNT
    reverse proxies (0 by default: X-Forwarded-For is then whatever the client chose to send,
    and is ignored). Each trusted proxy appends the address it was connected from to
    X-Forwarded-For, so with N of them the client is the N-th entry from the right; entries
    further left were written by the client and are never read. A header shorter than that, or
    an entry that is not an address, means the request did not come through every proxy: the
    connection's address is used.
    """
    if request is None:
        return None
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    entries = [e for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    if len(entries) < proxies:
        return remote
    return _address(entries[-proxies]) or remote
