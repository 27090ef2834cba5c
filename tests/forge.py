"""Hand-built codes for tests: every layer under the test's control, signed for real."""

from __future__ import annotations

import zlib
from datetime import datetime
from typing import Any

import cbor2

from control.verify import base45
from control.verify.cose import sig_structure
from control.verify.keys import PrivateKey


def claims(
    key: PrivateKey,
    lic: Any,
    *,
    iat: datetime,
    exp: datetime,
    cti: bytes = b"\x01" * 16,
    **extra: Any,
) -> dict[int, Any]:
    out = {
        1: key.public.issuer,
        6: int(iat.timestamp()),
        4: int(exp.timestamp()),
        7: cti,
        -70001: lic,
    }
    out.update({int(k[1:]) if k.startswith("_") else k: v for k, v in extra.items()})
    return out


def sign1(
    payload: bytes,
    key: PrivateKey,
    *,
    protected: dict[int, Any] | None = None,
    unprotected: dict[int, Any] | None = None,
    tagged: bool = True,
) -> bytes:
    header = cbor2.dumps({1: -8, 4: key.public.kid} if protected is None else protected)
    signature = key.sign(sig_structure(header, payload))
    structure = [header, unprotected or {}, payload, signature]
    return cbor2.dumps(cbor2.CBORTag(18, structure) if tagged else structure)


def wrap(cose: bytes, *, prefix: str = "LIC1:") -> str:
    return prefix + base45.encode(zlib.compress(cose))


def code(key: PrivateKey, payload: dict[int, Any], **options: Any) -> str:
    return wrap(sign1(cbor2.dumps(payload), key, **options))


def cbor_map(pairs: list[tuple[Any, Any]]) -> bytes:
    """A CBOR map of these pairs in this order, a label twice if so given (cbor2 cannot)."""
    assert len(pairs) < 24
    return bytes([0xA0 + len(pairs)]) + b"".join(cbor2.dumps(k) + cbor2.dumps(v) for k, v in pairs)


def sign1_raw(payload: bytes, key: PrivateKey, *, protected: bytes, unprotected: bytes) -> bytes:
    """A tagged COSE_Sign1 of headers given as bytes, signed for real."""
    signature = key.sign(sig_structure(protected, payload))
    return (
        b"\xd2\x84" + cbor2.dumps(protected) + unprotected + cbor2.dumps(payload)
        + cbor2.dumps(signature)
    )  # fmt: skip
