"""The issuer's side: turn a record into a signed `LIC1:` code (the reference implementation).

Issuers (Mobilic, accredited editors) call `issue_code`; the window is re-based on iat (the
28 days ending on the day of iat, Europe/Paris), and the spec's overflow rule applies when
the whole window does not fit a version 40 QR code at level L.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import cbor2

from control.record.compact import encode as encode_record
from control.record.invariants import check_record
from control.record.model import WINDOW_DAYS, FullRecordRef, Record
from control.verify import cose
from control.verify.claims import MAX_LIFETIME, Claims
from control.verify.envelope import wrap
from control.verify.keys import PrivateKey

PARIS = ZoneInfo("Europe/Paris")
DEFAULT_LIFETIME = timedelta(hours=24)
MAX_QR_CHARACTERS = 4296  # alphanumeric capacity of a version 40 QR code at level L


class IssueError(ValueError):
    """The record cannot be issued as asked (dates, lifetime, size)."""


@dataclass(frozen=True)
class IssuedCode:
    text: str
    record: Record  # what the code carries (the recent days only when it overflowed)
    claims: Claims
    omitted_days: int = 0  # days left out by the overflow rule


def window_for(record: Record, iat: datetime) -> Record:
    """The record re-based on the 28 days ending on the day of iat; older days left out."""
    start = window_start_for(iat)
    last_day = start + timedelta(days=WINDOW_DAYS - 1)
    late = [d for d in record.days if d.date > last_day]
    if late:
        raise IssueError(f"the record has days after the day of iat ({late[0].date.isoformat()})")
    windowed = replace(
        record, window_start=start, days=tuple(d for d in record.days if d.date >= start)
    )
    check_record(windowed)
    return windowed


def issue_code(
    record: Record,
    key: PrivateKey,
    *,
    iat: datetime,
    exp: datetime | None = None,
    cti: bytes | None = None,
    full_record_url: str | None = None,
) -> IssuedCode:
    exp = exp or iat + DEFAULT_LIFETIME
    if exp <= iat:
        raise IssueError("exp must be after iat")
    if exp - iat > MAX_LIFETIME:
        raise IssueError("a code lives at most 7 days (exp ≤ iat + 7 days)")
    cti = cti or os.urandom(16)
    if len(cti) != 16:
        raise IssueError("cti is 16 bytes")
    full = window_for(record, iat)
    text, claims = _sign(full, key, iat, exp, cti)
    if len(text) <= MAX_QR_CHARACTERS:
        return IssuedCode(text, full, claims)
    if not full_record_url:
        raise IssueError(
            "the 28 days do not fit one QR code: give the URL where the complete record is served"
        )
    digest = hashlib.sha256(compact_bytes(full)).digest()
    reference = FullRecordRef(digest, full_record_url)
    for omitted in range(1, len(full.days) + 1):
        partial = replace(full, days=full.days[omitted:], full_record=reference)
        text, claims = _sign(partial, key, iat, exp, cti)
        if len(text) <= MAX_QR_CHARACTERS:
            return IssuedCode(text, partial, claims, omitted)
    raise IssueError("even the driver and employer alone do not fit one QR code")


def compact_bytes(record: Record) -> bytes:
    """Deterministic CBOR of the compact record (the input of the overflow digest)."""
    return bytes(cbor2.dumps(encode_record(record), canonical=True))


def _sign(
    record: Record, key: PrivateKey, iat: datetime, exp: datetime, cti: bytes
) -> tuple[str, Claims]:
    claims = Claims(key.public.issuer, iat, exp, cti, encode_record(record))
    payload = cbor2.dumps(claims.to_cbor(), canonical=True)
    return wrap(cose.sign(payload, key)), claims


def window_start_for(iat: datetime) -> date:
    return iat.astimezone(PARIS).date() - timedelta(days=WINDOW_DAYS - 1)
