"""From the text of a scanned QR code to exactly one verdict, never an exception.

Order of checks (the first that fails gives the verdict): prefix, Base45, zlib, COSE
structure, algorithm, kid known to the trust list, signature, key revoked, iat within the
key's validity, iat not in the future (5 min skew), not expired, record valid. The payload is
parsed only after its signature has been checked.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from control.record.compact import decode as decode_record
from control.record.invariants import RecordError
from control.record.model import Record
from control.verify import cose
from control.verify.claims import ClaimsError, parse_claims
from control.verify.envelope import EnvelopeError, NotALicCodeError, unwrap
from control.verify.kids import kid_text
from control.verify.trustlist import KeyStatus, TrustList
from control.verify.verdicts import Layer, Verdict, Verification, Warning

CLOCK_SKEW = timedelta(minutes=5)
FRESHNESS = timedelta(hours=24)


def verify(text: str, trust: TrustList, now: datetime) -> Verification:
    try:
        cose_bytes = unwrap(text)
    except NotALicCodeError as error:
        return Verification(Verdict.NOT_A_LIC_CODE, detail=str(error))
    except EnvelopeError as error:
        return Verification(Verdict.MALFORMED, detail=str(error), layer=error.layer)
    try:
        sign1 = cose.parse(cose_bytes)
    except cose.UnsupportedAlgorithmError as error:
        return Verification(Verdict.UNSUPPORTED_ALGORITHM, detail=str(error), layer=Layer.COSE)
    except cose.CoseError as error:
        return Verification(Verdict.MALFORMED, detail=str(error), layer=Layer.COSE)

    kid = kid_text(sign1.kid)
    key = trust.key(sign1.kid)
    stale: tuple[Warning, ...] = (Warning.TRUST_LIST_STALE,) if trust.is_stale(now) else ()
    if key is None:
        return Verification(
            Verdict.UNKNOWN_KEY, stale, f"key {kid} is not in the trust list", kid=kid
        )
    issuer = trust.issuer(key.issuer)
    known = Verification(
        Verdict.VALID,
        stale,
        issuer=key.issuer,
        issuer_name=issuer.name if issuer else key.issuer,
        kid=kid,
    )
    if not key.public.verify(sign1.to_be_signed(), sign1.signature):
        return replace(
            known, verdict=Verdict.BAD_SIGNATURE, detail="the signature does not match the content"
        )

    try:
        claims = parse_claims(cose.loads_map(sign1.payload))
    except (cose.CoseError, ClaimsError) as error:
        return replace(known, verdict=Verdict.MALFORMED, detail=str(error), layer=Layer.CWT)
    if claims.iss != key.issuer:
        detail = f"key {kid} belongs to {key.issuer}, not to the claimed issuer {claims.iss}"
        return replace(known, verdict=Verdict.UNKNOWN_KEY, detail=detail)
    try:
        record: Record | None = decode_record(claims.lic)
        assert record is not None
        record_error = _window_error(record.window_end, claims.iat)
    except RecordError as error:
        record, record_error = None, str(error)

    verdict, detail = _key_and_time(
        key.status, key.not_before, key.not_after, claims.iat, claims.exp, now
    )
    if verdict is Verdict.VALID and record_error:
        verdict, detail = Verdict.RECORD_INVALID, record_error
    warnings = stale
    if record is not None and not record.complete:
        warnings += (Warning.RECORD_INCOMPLETE,)
    if now - claims.iat > FRESHNESS:
        warnings += (Warning.GENERATED_MORE_THAN_24H_AGO,)
    return replace(
        known,
        verdict=verdict,
        warnings=warnings,
        detail=detail,
        iat=claims.iat,
        exp=claims.exp,
        cti=claims.cti,
        record=record,
    )


def _key_and_time(
    status: KeyStatus,
    not_before: datetime,
    not_after: datetime,
    iat: datetime,
    exp: datetime,
    now: datetime,
) -> tuple[Verdict, str]:
    if status is KeyStatus.REVOKED:
        return Verdict.REVOKED_KEY, "the issuer's key has been revoked"
    if not not_before <= iat <= not_after:
        return (
            Verdict.KEY_NOT_VALID_AT_IAT,
            "the code was generated outside the validity of its key",
        )
    if iat > now + CLOCK_SKEW:
        return Verdict.ISSUED_IN_FUTURE, "generated more than 5 minutes in the future"
    if now > exp:
        return Verdict.EXPIRED, "the code has expired"
    return Verdict.VALID, ""


def _window_error(window_end: date, iat: datetime) -> str:
    """The window must end on the day of iat (one day of slack for time zones)."""
    if abs((window_end - iat.date()).days) > 1:
        return "the 28-day window does not end on the day the code was generated"
    return ""
