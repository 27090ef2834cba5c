"""Synthetic Mobilic-shaped codes for the tests: the link Mobilic's app shows the controller
(`…/control/user-history?token=…&ts=…&controlToken=…`), its JWT signed with HS256 under a test
secret (Contrôle LIC never verifies it: only Mobilic holds the real one)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import segno

TEST_SECRET = b"not-mobilic-s-secret"
MOBILIC_URL = "https://mobilic.beta.gouv.fr/control/user-history"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def part(value: Any) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def control_token(
    claims: dict[str, Any], header: dict[str, Any] | None = None, secret: bytes = TEST_SECRET
) -> str:
    signed = f"{part(header or {'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}"
    signature = hmac.new(secret, signed.encode(), hashlib.sha256).digest()
    return f"{signed}.{b64url(signature)}"


def mobilic_claims(generated: datetime, user_id: int = 4242) -> dict[str, Any]:
    """As Mobilic writes them: the user and the generation moment (a float), no `exp`."""
    return {"userId": user_id, "dateCodeGeneration": generated.timestamp()}


def mobilic_url(
    generated: datetime | None = None,
    *,
    claims: dict[str, Any] | None = None,
    token: str | None = None,
) -> str:
    """A Mobilic code generated at `generated` (now by default), or carrying `claims`."""
    moment = generated or datetime.now(UTC)
    token = token or secrets.token_urlsafe(32)
    jwt = control_token(claims if claims is not None else mobilic_claims(moment))
    return f"{MOBILIC_URL}?token={token}&ts={int(moment.timestamp())}&controlToken={jwt}"


def mobilic_png(url: str, path: Path) -> Path:
    """The code as the driver's phone shows it (byte mode: the link has lower case), for the
    camera and the photo tests."""
    segno.make_qr(url, error="m").save(str(path), kind="png", scale=6, border=4)
    return path
