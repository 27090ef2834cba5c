"""From the text of a scanned QR code to exactly one verdict, never an exception.

Order of checks (the first that fails gives the verdict): prefix, Base45, zlib, COSE
structure, algorithm, kid known to the trust list, signature, key revoked, iat within the
key's validity, iat not in the future (5 min skew), not expired, record valid. The payload is
parsed only after its signature has been checked.

The record is checked on its compact form (control/record/scan.py) and its model built only
when a caller asks for `Verification.record`; what that check cannot prove goes through the
full decode, which decides.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from control.record.compact import decode as decode_record
from control.record.invariants import RecordError
from control.record.model import Record, window_end
from control.record.scan import Facts, proven_valid
from control.verify import cose
from control.verify.claims import Claims, ClaimsError, UnreadRecord, parse_claims, read_usual
from control.verify.envelope import EnvelopeError, NotALicCodeError, unwrap
from control.verify.kids import kid_text
from control.verify.trustlist import KeyStatus, TrustedKey, TrustList
from control.verify.verdicts import Layer, ProvenRecord, Verdict, Verification, Warning

CLOCK_SKEW = timedelta(minutes=5)
FRESHNESS = timedelta(hours=24)


class Opened(NamedTuple):
    """A code whose envelope holds: signature genuine under a listed key, claims well formed
    and of the key's issuer. What is left to judge: the key's status, the times, the record
    (its CBOR still undecoded when the claims were read in their usual form). Its verdict is
    made once, when judged (`verify`). A named tuple, made in a quarter of a frozen
    dataclass's time, on every verification."""

    key: TrustedKey
    issuer_name: str
    stale: tuple[Warning, ...]  # the trust list's warning, if any
    claims: Claims
    payload: bytes  # the claims' CBOR, for the full decode when the record is not proven


def verify(text: str, trust: TrustList, now: datetime) -> Verification:
    opened = open_code(text, trust, now)
    if isinstance(opened, Verification):
        return opened
    lic, facts = _proven(opened.claims.lic)
    if facts is None and isinstance(opened.claims.lic, UnreadRecord):
        # not proven from the record's own bytes: the payload decoded whole decides, exactly
        # as when every claim is decoded at once (a broken record is a malformed payload)
        opened = _with_claims(opened.key, opened.issuer_name, opened.stale, opened.payload, False)
        if isinstance(opened, Verification):
            return opened
        lic, facts = _proven(opened.claims.lic)
    key, claims = opened.key, opened.claims
    source: Record | ProvenRecord | None
    if facts is not None:
        source = ProvenRecord(lic)
        record_error = _window_error(window_end(facts.window_start), claims.iat)
        complete = facts.complete
    else:  # not proven: the full decode decides, and says why
        try:
            source = decode_record(lic)
            record_error = _window_error(source.window_end, claims.iat)
            complete = source.complete
        except RecordError as error:
            source, record_error, complete = None, str(error), True

    verdict, detail = _key_and_time(
        key.status, key.not_before, key.not_after, claims.iat, claims.exp, now
    )
    if verdict is Verdict.VALID and record_error:
        verdict, detail = Verdict.RECORD_INVALID, record_error
    warnings = opened.stale
    if not complete:
        warnings += (Warning.RECORD_INCOMPLETE,)
    if now - claims.iat > FRESHNESS:
        warnings += (Warning.GENERATED_MORE_THAN_24H_AGO,)
    return Verification(
        verdict,
        warnings,
        detail,
        issuer=key.issuer,
        issuer_name=opened.issuer_name,
        kid=key.kid_text,
        iat=claims.iat,
        exp=claims.exp,
        cti=claims.cti,
        record_source=source,
    )


def _proven(lic: Any) -> tuple[Any, Facts | None]:
    """The compact record and its facts when proven valid (`scan.proven_valid`). An unread
    record is decoded without the walk refusing simple values: a record proven valid holds
    none, for the proof checks the type of every value."""
    if isinstance(lic, UnreadRecord):
        try:
            lic = cose.loads(lic.cbor, walked=False)
        except cose.CoseError:
            return None, None
    return lic, proven_valid(lic)


def open_code(text: str, trust: TrustList, now: datetime) -> Opened | Verification:
    """The envelope's checks, up to the claims: the verdict when one of them fails."""
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

    key = trust.key(sign1.kid)
    stale: tuple[Warning, ...] = (Warning.TRUST_LIST_STALE,) if trust.is_stale(now) else ()
    if key is None:
        kid = kid_text(sign1.kid)
        return Verification(
            Verdict.UNKNOWN_KEY, stale, f"key {kid} is not in the trust list", kid=kid
        )
    issuer = trust.issuer(key.issuer)
    issuer_name = issuer.name if issuer else key.issuer
    if not key.public.verify(sign1.to_be_signed(), sign1.signature):
        detail = "the signature does not match the content"
        return _refused(key, issuer_name, stale, Verdict.BAD_SIGNATURE, detail)
    return _with_claims(key, issuer_name, stale, sign1.payload)


def _with_claims(
    key: TrustedKey,
    issuer_name: str,
    stale: tuple[Warning, ...],
    payload: bytes,
    usual: bool = True,
) -> Opened | Verification:
    """The claims of a genuine payload, of the key's issuer. `usual`: read the usual form
    from its heads, the record left as bytes (`claims.read_usual`); whatever that does not
    open is decoded whole, which gives the verdict, in the same order as ever."""
    claims = read_usual(payload) if usual else None
    if claims is None or claims.iss != key.issuer:
        try:
            claims = parse_claims(cose.loads_map(payload))
        except (cose.CoseError, ClaimsError) as error:
            return _refused(key, issuer_name, stale, Verdict.MALFORMED, str(error), Layer.CWT)
    if claims.iss != key.issuer:
        detail = (
            f"key {key.kid_text} belongs to {key.issuer}, not to the claimed issuer {claims.iss}"
        )
        return _refused(key, issuer_name, stale, Verdict.UNKNOWN_KEY, detail)
    return Opened(key, issuer_name, stale, claims, payload)


def _refused(
    key: TrustedKey,
    issuer_name: str,
    stale: tuple[Warning, ...],
    verdict: Verdict,
    detail: str,
    layer: Layer | None = None,
) -> Verification:
    """The verdict of a code signed with a listed key that fails after the key was found."""
    return Verification(
        verdict, stale, detail, layer, issuer=key.issuer, issuer_name=issuer_name, kid=key.kid_text
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
