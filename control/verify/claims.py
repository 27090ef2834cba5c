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
class Claims:
    iss: str
    iat: datetime
    exp: datetime
    cti: bytes
    lic: Any  # the compact record, still as decoded CBOR

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
    iss, iat, exp, cti = (payload.get(k) for k in (ISS, IAT, EXP, CTI))
    if not isinstance(iss, str) or not iss:
        raise ClaimsError("claim 1 (iss) must be the issuer id")
    for name, value in (("6 (iat)", iat), ("4 (exp)", exp)):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**40:
            raise ClaimsError(f"claim {name} must be unix seconds")
    if not isinstance(cti, bytes) or len(cti) != 16:
        raise ClaimsError("claim 7 (cti) must be 16 bytes")
    if LIC not in payload:
        raise ClaimsError("claim -70001 (lic) is missing")
    assert isinstance(iat, int)
    assert isinstance(exp, int)
    if exp <= iat:
        raise ClaimsError("exp is not after iat")
    if exp - iat > MAX_LIFETIME.total_seconds():
        raise ClaimsError("exp is more than 7 days after iat")
    return Claims(
        iss, datetime.fromtimestamp(iat, UTC), datetime.fromtimestamp(exp, UTC), cti, payload[LIC]
    )
