"""Mobilic's roadside codes: recognised and read, never verified.

Mobilic (MTES-MCT/mobilic-api) shows the driver a link for the controller:
`https://mobilic.beta.gouv.fr/control/user-history?token=…&ts=…&controlToken=…`.
`token` is an opaque read token (32 random bytes, URL-safe Base64) that Mobilic's server keeps
valid for 7 days; `controlToken` is a JWT signed with HS256 under a secret only Mobilic holds,
carrying `userId` and `dateCodeGeneration` (seconds since the epoch, a float), no `exp`. So
nothing here can tell a genuine code from a forged one: this module only says "this is a
Mobilic code" and reads the dates it claims, for the agent to open it in Mobilic.

The rule is strict (exact scheme, host, path and parameters, bounded lengths) and mirrored by
web/static/mobilic.js; tests/verify/test_mobilic_agreement.py runs the same cases through both.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from control.verify.verifier import CLOCK_SKEW, FRESHNESS

ORIGIN = "https://mobilic.beta.gouv.fr"
PATH = "/control/user-history"
PREFIX = f"{ORIGIN}{PATH}?"
MAX_URL_CHARACTERS = 2048
SPACES = " \t\r\n"  # what a scanner or a paste leaves around (JavaScript's trim differs)
# Each parameter Mobilic sets, with what its value may be; no other parameter is accepted.
PARAMETERS = {
    "token": re.compile(r"[A-Za-z0-9_-]{16,128}"),
    "ts": re.compile(r"[0-9]{1,16}"),
    # header.payload.signature, Base64url without padding; an HS256 signature is 32 bytes
    "controlToken": re.compile(r"[A-Za-z0-9_-]{8,400}\.[A-Za-z0-9_-]{8,1200}\.[A-Za-z0-9_-]{43}"),
}
REQUIRED = ("token", "controlToken")
# a generation or expiry date outside these years is no date Mobilic wrote
EARLIEST = datetime(2020, 1, 1, tzinfo=UTC).timestamp()
LATEST = datetime(2100, 1, 1, tzinfo=UTC).timestamp()
LARGEST_ID = 2**53 - 1  # what a JavaScript number holds exactly


@dataclass(frozen=True)
class MobilicCode:
    url: str  # rebuilt from the parsed parameters, never the text as scanned
    generated_at: datetime  # UTC, as the code claims it: unverifiable
    expires_at: datetime | None  # only if the token has an `exp` (Mobilic's has none today)

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now > self.expires_at

    def from_the_future(self, now: datetime) -> bool:
        """Claims a generation later than now, beyond the clock skew a LIC code is allowed."""
        return self.generated_at > now + CLOCK_SKEW

    def stale(self, now: datetime) -> bool:
        """Claims to be older than a LIC code is trusted fresh: a screenshot kept, perhaps."""
        return now - self.generated_at > FRESHNESS


def read_mobilic(text: str) -> MobilicCode | None:
    """The Mobilic code `text` holds, else None (never an exception). A hardware scanner
    types after what the field holds, so the last Mobilic link in the text is the one read."""
    start = text.rfind(PREFIX)
    if start < 0:
        return None
    url = text[start:].strip(SPACES)
    if len(url) > MAX_URL_CHARACTERS:
        return None
    values = _parameters(url[len(PREFIX) :])
    if values is None:
        return None
    claims = _claims(values["controlToken"])
    if claims is None:
        return None
    rebuilt = PREFIX + "&".join(f"{name}={values[name]}" for name in PARAMETERS if name in values)
    return MobilicCode(rebuilt, *claims)


def _parameters(query: str) -> dict[str, str] | None:
    values: dict[str, str] = {}
    for pair in query.split("&"):
        name, equals, value = pair.partition("=")
        rule = PARAMETERS.get(name)
        if not equals or rule is None or name in values or not rule.fullmatch(value):
            return None
        values[name] = value
    if any(name not in values for name in REQUIRED):
        return None
    return values


def _claims(token: str) -> tuple[datetime, datetime | None] | None:
    header_part, payload_part, _ = token.split(".")
    header, payload = _json_object(header_part), _json_object(payload_part)
    if header is None or payload is None or header.get("alg") != "HS256":
        return None
    if header.get("typ", "JWT") != "JWT":
        return None
    user = payload.get("userId")
    generated = _seconds(payload.get("dateCodeGeneration", payload.get("iat")))
    if not _whole(user) or generated is None:
        return None
    expires = None
    if "exp" in payload:
        expires = _seconds(payload["exp"])
        if expires is None:
            return None
    return _utc(generated), None if expires is None else _utc(expires)


def _json_object(part: str) -> dict[str, Any] | None:
    if len(part) % 4 == 1:
        return None
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        value = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (binascii.Error, UnicodeDecodeError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity: JavaScript's JSON refuses them


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer past a double's range: JavaScript reads Infinity
        return None
    return number if math.isfinite(number) else None


def _seconds(value: object) -> float | None:
    number = _number(value)
    return number if number is not None and EARLIEST <= number <= LATEST else None


def _whole(value: object) -> bool:
    number = _number(value)
    return number is not None and number.is_integer() and 1 <= number <= LARGEST_ID


def _utc(seconds: float) -> datetime:
    """To the microsecond, as Mobilic wrote it: two codes of the same second stay apart (the
    tablet's copy shows whole seconds, which is all the agent reads)."""
    return datetime.fromtimestamp(seconds, UTC)
