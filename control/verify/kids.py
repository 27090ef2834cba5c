"""Key identifiers: first 8 bytes of SHA-256 of the raw public key, as text in base64url."""

from __future__ import annotations

import base64
import hashlib


def kid_of(public_key: bytes) -> bytes:
    return hashlib.sha256(public_key).digest()[:8]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def from_b64url(text: str) -> bytes:
    """Strict base64url without padding; ValueError on anything else."""
    if not isinstance(text, str) or "=" in text:
        raise ValueError("base64url without padding expected")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as error:
        raise ValueError(f"invalid base64url: {error}") from None
    if b64url(data) != text:  # rejects stray characters and non-canonical trailing bits
        raise ValueError("invalid base64url")
    return data


def kid_text(kid: bytes) -> str:
    return b64url(kid)
