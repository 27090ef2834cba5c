"""CWT claims (RFC 8392) of a LIC code and their limits from the spec."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

ISS, EXP, IAT, CTI, LIC = 1, 4, 6, 7, -70001
MAX_LIFETIME = timedelta(days=7)


class ClaimsError(ValueError):
    """Claims missing, of the wrong type, or out of the spec's limits."""


@dataclass(frozen=True)
class UnreadRecord:
    """The record's CBOR bytes, left for the record check to decode (`read_usual`)."""

    cbor: bytes


@dataclass(frozen=True)
class Claims:
    iss: str
    iat: datetime
    exp: datetime
    cti: bytes
    lic: Any  # the compact record, still as decoded CBOR, or its UnreadRecord

    def to_cbor(self) -> dict[int, Any]:
        return {
            ISS: self.iss,
            IAT: int(self.iat.timestamp()),
            EXP: int(self.exp.timestamp()),
            CTI: self.cti,
            LIC: self.lic,
        }


def parse_claims(payload: Any) -> Claims:
    if not isinstance(payload, dict):
        raise ClaimsError("the payload is not a CBOR map of claims")
    get = payload.get
    return _checked(get(ISS), get(IAT), get(EXP), get(CTI), get(LIC, _MISSING))


_MISSING = object()


def _checked(iss: Any, iat: Any, exp: Any, cti: Any, lic: Any) -> Claims:
    """The claims when within the spec's limits; `lic` is `_MISSING` when absent."""
    if not isinstance(iss, str) or not iss:
        raise ClaimsError("claim 1 (iss) must be the issuer id")
    if not _seconds(iat):
        raise ClaimsError("claim 6 (iat) must be unix seconds")
    if not _seconds(exp):
        raise ClaimsError("claim 4 (exp) must be unix seconds")
    if not isinstance(cti, bytes) or len(cti) != 16:
        raise ClaimsError("claim 7 (cti) must be 16 bytes")
    if lic is _MISSING:
        raise ClaimsError("claim -70001 (lic) is missing")
    if exp <= iat:
        raise ClaimsError("exp is not after iat")
    if exp - iat > _MAX_LIFETIME_SECONDS:
        raise ClaimsError("exp is more than 7 days after iat")
    return Claims(iss, datetime.fromtimestamp(iat, UTC), datetime.fromtimestamp(exp, UTC), cti, lic)


_MAX_LIFETIME_SECONDS = MAX_LIFETIME.total_seconds()


def _seconds(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**40


# The claims' heads as issuers write them, in canonical order, around the values read from
# them: 1 (iss), 4 (exp), 6 (iat) in unix seconds on 4 bytes, 7 (cti) of 16 bytes, then
# -70001 (lic), last.
_EXP, _IAT, _CTI = b"\x04\x1a", b"\x06\x1a", b"\x07\x50"
_LIC_LABEL = bytes([0x3A, 0x00, 0x01, 0x11, 0x70])


def read_usual(payload: bytes) -> Claims | None:
    """The claims as issuers write them (a map of the five claims in canonical order, the
    issuer's id under 24 bytes, the times on 4 bytes, the record last), read from their heads
    with the record left as bytes: decoding the record's some 600 items is the record check's
    job, and most of what the envelope spent on claims. None for anything else, or claims
    `parse_claims` refuses: the full decode decides."""
    size = payload[2] - 0x60 if payload[:2] == b"\xa5\x01" and len(payload) > 2 else 0
    if not 0 < size < 24:  # the issuer's id: a text, its length in its head
        return None
    at = 3 + size  # where exp's label is, and the fixed heads after it
    if (
        payload[at : at + 2] != _EXP
        or payload[at + 6 : at + 8] != _IAT
        or payload[at + 12 : at + 14] != _CTI
        or payload[at + 30 : at + 35] != _LIC_LABEL
        or len(payload) == at + 35
    ):
        return None
    try:
        iss = payload[3:at].decode("utf-8")
    except UnicodeDecodeError:
        return None
    exp = int.from_bytes(payload[at + 2 : at + 6])
    iat = int.from_bytes(payload[at + 8 : at + 12])
    if not iat < exp <= iat + _MAX_LIFETIME_SECONDS:
        return None  # all else `_checked` asks holds here: unix seconds on 4 bytes, 16 of cti
    return Claims(
        iss,
        datetime.fromtimestamp(iat, UTC),
        datetime.fromtimestamp(exp, UTC),
        payload[at + 14 : at + 30],
        UnreadRecord(payload[at + 35 :]),
    )
