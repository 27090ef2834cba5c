"""QR symbols for LIC codes: the version they need and PNG rendering (segno)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import segno

LARGEST_AT_M = 30  # the spec: level M, or L when M would need a version above 30


@dataclass(frozen=True)
class Symbol:
    version: int
    error: str  # "M" or "L"


def make(text: str) -> segno.QRCode:
    """The QR code the spec asks for: alphanumeric mode, level M unless too large."""
    try:
        code = segno.make_qr(text, error="m", boost_error=False, mode="alphanumeric")
        if int(code.version) <= LARGEST_AT_M:
            return code
    except segno.DataOverflowError:
        pass  # beyond version 40 at M: level L still holds up to 4 296 characters
    return segno.make_qr(text, error="l", boost_error=False, mode="alphanumeric")


def version_at(text: str, error: str) -> int:
    return int(segno.make_qr(text, error=error, boost_error=False, mode="alphanumeric").version)


def save_png(text: str, path: Path, *, scale: int = 6) -> Symbol:
    code = make(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    code.save(str(path), kind="png", scale=scale, border=4)
    return Symbol(int(code.version), str(code.error))
