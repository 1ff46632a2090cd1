"""The address a request came from, for the rate limits (logins, public lookups).

Behind a reverse proxy (nginx, a load balancer) every request comes from the proxy's address,
so one citizen's lookups would spend everybody's budget. `CCHC_TRUSTED_PROXY_COUNT` says how
many proxies of ours stand in front of the app: the address is then the one the outermost of
them saw, the N-th from the right of X-Forwarded-For (each proxy appends the address it was
reached from; what the client wrote further left is not trusted). 0 (the default): the socket's
address, REMOTE_ADDR, and X-Forwarded-For is ignored.
"""

from __future__ import annotations

from django.conf import settings

UNKNOWN = "unknown"


def client_address(request) -> str:
    """The client's address as the trusted proxies saw it; "unknown" when there is none."""
    if request is None:
        return UNKNOWN
    meta = request.META
    proxies = int(getattr(settings, "CCHC_TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        hops = [h.strip() for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
        # Fewer hops than proxies: the request did not come through all of them.
        return hops[0] if hops else meta.get("REMOTE_ADDR", "") or UNKNOWN
    return meta.get("REMOTE_ADDR", "") or UNKNOWN
