"""The trust list: which issuer keys a verifier accepts, signed by the authority's root key.

Stored as a flattened JWS JSON document (RFC 7515 §7.2.2, alg EdDSA) so that any JOSE
library can check it; the payload is JSON (`lic-trust-list/1`, see docs/qr-format.md).
The root public key is configured in the verifier, never taken from the list itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import cached_property
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from control.verify.keys import PrivateKey, PublicKey
from control.verify.kids import b64url, from_b64url, kid_of, kid_text

FORMAT = "lic-trust-list/1"
MEDIA_TYPE = "lic-trust-list+json"
DEFAULT_KEY_LIFETIME = timedelta(days=730)


class TrustListError(ValueError):
    """The trust list is unreadable, not signed by the configured root, or inconsistent."""


class KeyStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"  # replaced by a newer key; codes issued while it was valid still verify
    REVOKED = "revoked"  # compromised or withdrawn: every code signed with it is refused


@dataclass(frozen=True)
class TrustedKey:
    kid: bytes
    x: bytes
    issuer: str
    not_before: datetime
    not_after: datetime
    status: KeyStatus
    revoked_at: datetime | None = None

    @cached_property
    def public(self) -> PublicKey:
        """Made once per listed key, not once per verification."""
        return PublicKey(self.issuer, self.x)

    @cached_property
    def kid_text(self) -> str:
        """Told in every verdict: made once per listed key too."""
        return kid_text(self.kid)


@dataclass(frozen=True)
class TrustedIssuer:
    id: str
    name: str
    keys: tuple[TrustedKey, ...]


@dataclass(frozen=True)
class TrustList:
    version: int
    issued_at: datetime
    next_update: datetime
    issuers: tuple[TrustedIssuer, ...]
    _by_kid: Mapping[bytes, TrustedKey] = field(default_factory=dict, repr=False, compare=False)
    _by_id: Mapping[str, TrustedIssuer] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {key.kid: key for issuer in self.issuers for key in issuer.keys}
        object.__setattr__(self, "_by_kid", index)
        # the first issuer of an id, should one be listed twice
        object.__setattr__(self, "_by_id", {i.id: i for i in reversed(self.issuers)})

    def key(self, kid: bytes) -> TrustedKey | None:
        return self._by_kid.get(kid)

    def issuer(self, issuer_id: str) -> TrustedIssuer | None:
        return self._by_id.get(issuer_id)

    def is_stale(self, now: datetime) -> bool:
        return now > self.next_update


def build(
    public_keys: Iterable[PublicKey],
    *,
    issued_at: datetime,
    valid_days: int = 30,
    revoke: Iterable[str] = (),
) -> TrustList:
    """Assemble a trust list from issuers' public keys.

    Per issuer, the key that started last is active and every earlier one is retired, its
    validity ending when its successor's begins (rotation). `revoke` names kids (text).
    """
    revoked = set(revoke)
    by_issuer: dict[str, list[PublicKey]] = {}
    names: dict[str, str] = {}
    seen: set[bytes] = set()
    for key in public_keys:
        if key.kid in seen:
            raise TrustListError(f"key {key.kid_text} given twice")
        seen.add(key.kid)
        by_issuer.setdefault(key.issuer, []).append(key)
        if key.name:
            names[key.issuer] = key.name
    unknown = revoked - {kid_text(kid) for kid in seen}
    if unknown:
        raise TrustListError(f"--revoke names no listed key: {', '.join(sorted(unknown))}")
    issuers = []
    for issuer_id, keys in sorted(by_issuer.items()):
        bounds = []
        for key in keys:
            start = _from_unix(key.not_before) if key.not_before is not None else issued_at
            end = (
                _from_unix(key.not_after)
                if key.not_after is not None
                else start + DEFAULT_KEY_LIFETIME
            )
            bounds.append((start, end, key))
        bounds.sort(key=lambda item: item[0])
        live_starts = [start for start, _, key in bounds if key.kid_text not in revoked]
        trusted = []
        for start, end, key in bounds:
            status, revoked_at, until = KeyStatus.ACTIVE, None, end
            if key.kid_text in revoked:
                status, revoked_at = KeyStatus.REVOKED, issued_at
            else:
                successors = [s for s in live_starts if s > start]
                if successors:
                    status, until = KeyStatus.RETIRED, min(end, successors[0])
            trusted.append(TrustedKey(key.kid, key.x, issuer_id, start, until, status, revoked_at))
        issuers.append(TrustedIssuer(issuer_id, names.get(issuer_id, issuer_id), tuple(trusted)))
    return TrustList(
        version=int(issued_at.timestamp()),
        issued_at=issued_at,
        next_update=issued_at + timedelta(days=valid_days),
        issuers=tuple(issuers),
    )


def dumps(trust: TrustList, root: PrivateKey) -> str:
    """The signed document (flattened JWS JSON)."""
    payload = json.dumps(_to_json(trust), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    header = json.dumps({"alg": "EdDSA", "kid": root.public.kid_text, "typ": MEDIA_TYPE}).encode()
    protected, body = b64url(header), b64url(payload)
    signature = root.sign(f"{protected}.{body}".encode("ascii"))
    document = {"protected": protected, "payload": body, "signature": b64url(signature)}
    return json.dumps(document, indent=2) + "\n"


def loads(document: str | bytes, root: PublicKey) -> TrustList:
    """Check the root's signature, then the content; TrustListError says what is wrong."""
    try:
        outer = json.loads(document)
        protected, body, signature = outer["protected"], outer["payload"], outer["signature"]
        header = json.loads(from_b64url(protected))
        payload = from_b64url(body)
        raw_signature = from_b64url(signature)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as error:
        raise TrustListError(f"not a signed trust list document ({error})") from None
    if not isinstance(header, dict) or header.get("alg") != "EdDSA":
        raise TrustListError("the trust list must be signed with EdDSA (Ed25519)")
    if header.get("kid") != root.kid_text:
        raise TrustListError(
            f"signed by key {header.get('kid')!r}, not by the configured root {root.kid_text}"
        )
    if not root.verify(f"{protected}.{body}".encode("ascii"), raw_signature):
        raise TrustListError("the root signature of the trust list is not valid")
    try:
        parsed = _TrustListIn.model_validate_json(payload)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise TrustListError(f"trust list content: {where}: {first['msg']}") from None
    return _from_model(parsed)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _KeyIn(_Strict):
    kid: str
    x: str
    not_before: AwareDatetime
    not_after: AwareDatetime
    status: KeyStatus
    revoked_at: AwareDatetime | None = None


class _IssuerIn(_Strict):
    id: str
    name: str
    keys: list[_KeyIn]


class _TrustListIn(_Strict):
    format: Literal["lic-trust-list/1"]
    version: int
    issued_at: AwareDatetime
    next_update: AwareDatetime
    issuers: list[_IssuerIn]


def _from_model(parsed: _TrustListIn) -> TrustList:
    issuers = []
    seen: set[bytes] = set()
    for issuer in parsed.issuers:
        keys = []
        for key in issuer.keys:
            try:
                x = from_b64url(key.x)
            except ValueError as error:
                raise TrustListError(f"issuer {issuer.id}: key x: {error}") from None
            if len(x) != 32 or kid_text(kid_of(x)) != key.kid:
                raise TrustListError(f"issuer {issuer.id}: kid {key.kid} does not match its key")
            if kid_of(x) in seen:
                raise TrustListError(f"key {key.kid} listed twice")
            if (key.status is KeyStatus.REVOKED) != (key.revoked_at is not None):
                raise TrustListError(f"key {key.kid}: revoked_at goes with status revoked")
            seen.add(kid_of(x))
            keys.append(
                TrustedKey(
                    kid_of(x),
                    x,
                    issuer.id,
                    key.not_before,
                    key.not_after,
                    key.status,
                    key.revoked_at,
                )
            )
        issuers.append(TrustedIssuer(issuer.id, issuer.name, tuple(keys)))
    return TrustList(parsed.version, parsed.issued_at, parsed.next_update, tuple(issuers))


def _to_json(trust: TrustList) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": trust.version,
        "issued_at": _iso(trust.issued_at),
        "next_update": _iso(trust.next_update),
        "issuers": [
            {
                "id": issuer.id,
                "name": issuer.name,
                "keys": [
                    {
                        "kid": kid_text(key.kid),
                        "x": b64url(key.x),
                        "not_before": _iso(key.not_before),
                        "not_after": _iso(key.not_after),
                        "status": key.status.value,
                        "revoked_at": None if key.revoked_at is None else _iso(key.revoked_at),
                    }
                    for key in issuer.keys
                ],
            }
            for issuer in trust.issuers
        ],
    }


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _from_unix(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
