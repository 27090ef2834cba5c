"""The outcome of verifying a code: exactly one verdict of the spec, plus warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cached_property
from typing import Any

from control.record.compact import build
from control.record.model import Record


class Verdict(StrEnum):
    VALID = "valid"
    NOT_A_LIC_CODE = "not-a-lic-code"
    MALFORMED = "malformed"
    UNSUPPORTED_ALGORITHM = "unsupported-algorithm"
    UNKNOWN_KEY = "unknown-key"
    REVOKED_KEY = "revoked-key"
    KEY_NOT_VALID_AT_IAT = "key-not-valid-at-iat"
    BAD_SIGNATURE = "bad-signature"
    EXPIRED = "expired"
    ISSUED_IN_FUTURE = "issued-in-future"
    RECORD_INVALID = "record-invalid"


# The code's signature verified under a key the trust list trusted when it was made: the
# record is the issuer's own, even when the code is stale. An expired code (made three days
# ago) is a finding to record, and its 28 days still go to GRECO and to a C1B analysis.
AUTHENTIC = frozenset({Verdict.VALID, Verdict.EXPIRED})


class Warning(StrEnum):
    TRUST_LIST_STALE = "trust-list-stale"
    RECORD_INCOMPLETE = "record-incomplete"
    GENERATED_MORE_THAN_24H_AGO = "generated-more-than-24h-ago"


class Layer(StrEnum):
    """Where a malformed code broke, for the log and the "détails" link."""

    BASE45 = "base45"
    ZLIB = "zlib"
    COSE = "cose"
    CWT = "cwt"


@dataclass(frozen=True)
class ProvenRecord:
    """A compact record `control.record.scan` proved valid, not yet built."""

    compact: Any


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    warnings: tuple[Warning, ...] = ()
    detail: str = ""
    layer: Layer | None = None
    issuer: str | None = None  # the issuer id the trust list gives for the key
    issuer_name: str | None = None
    kid: str | None = None
    iat: datetime | None = None
    exp: datetime | None = None
    cti: bytes | None = None
    # only once the signature is genuine; see `record`
    record_source: Record | ProvenRecord | None = field(default=None, repr=False)

    @property
    def valid(self) -> bool:
        return self.verdict is Verdict.VALID

    @cached_property
    def record(self) -> Record | None:
        """The record, built on first use: a batch (a company control, a sync) that only
        counts verdicts never pays for the model."""
        source = self.record_source
        return build(source.compact) if isinstance(source, ProvenRecord) else source
