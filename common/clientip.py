"""THE client address, for every per-address limit (login lockouts, the public form).

Behind a reverse proxy every request comes from the proxy: keyed on ``REMOTE_ADDR``, one
attacker locks out everyone and one family uses up the district's quota. Each proxy appends the
address it received the request from to ``X-Forwarded-For``, so with N trusted proxies in front
of the application the client is the N-th entry from the right; anything further left was
written by the client and is ignored. ``TRUSTED_PROXY_COUNT`` (environment variable, default 0)
says how many proxies are ours: 0 means the application is reached directly and
``X-Forwarded-For`` is never read. A request that carries fewer entries than proxies did not
come through them all, so its header is not trusted either.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def trusted_proxy_count() -> int:
    return max(int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0), 0)


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent ``request``, as our own proxies saw it."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = trusted_proxy_count()
    if count == 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    return _valid(forwarded[-count]) or remote
