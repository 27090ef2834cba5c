"""The client's address, for the sign-in limit: the peer's, unless the peer is a reverse
proxy named in LIC_CONTROL_TRUSTED_PROXIES, whose X-Forwarded-For is then read.

Anyone can send X-Forwarded-For: believed from any peer (uvicorn's default trusts loopback),
a guesser rotating it would get a fresh limit at each attempt. The list is walked from the
right (the hop our proxy added) past trusted proxies; the first other hop is the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from fastapi import Request

Networks = Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network]


def _trusted(host: str, trusted: Networks) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in trusted)


def client_address(request: Request, trusted: Networks) -> str:
    peer = request.client.host if request.client else "?"
    if not _trusted(peer, trusted):
        return peer
    forwarded = ",".join(request.headers.getlist("x-forwarded-for"))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            return hop[:64]
    return hops[0][:64] if hops else peer
