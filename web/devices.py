"""The "known device" cookie: a browser where a login signed in before may keep trying to sign
in as that login while its address is over the per-address limit (see
`control.storage.sign_in_limits`). It names the logins by a keyed hash only (not readable,
not forgeable without the server's secret); the per-login lock still applies to it.
"""

from __future__ import annotations

import hmac

from fastapi import Request, Response

COOKIE = "lic_appareil"
KEPT = 5  # logins remembered per browser: a tablet shared by a few agents
DAYS = 90


def _tag(secret: str, login: str) -> str:
    digest = hmac.new(secret.encode(), b"device:" + login.strip().lower().encode(), "sha256")
    return digest.hexdigest()[:32]


def _tags(request: Request) -> list[str]:
    return [t for t in request.cookies.get(COOKIE, "").split(".") if t][:KEPT]


def known(request: Request, secret: str, login: str) -> bool:
    tag = _tag(secret, login)
    return any(hmac.compare_digest(tag, kept) for kept in _tags(request))


def remember(request: Request, response: Response, secret: str, login: str, secure: bool) -> None:
    tag = _tag(secret, login)
    tags = [tag] + [t for t in _tags(request) if t != tag]
    response.set_cookie(
        COOKIE,
        ".".join(tags[:KEPT]),
        max_age=DAYS * 86400,
        path="/connexion",
        httponly=True,
        samesite="strict",
        secure=secure,
    )
