"""The verifier's fast path (`record.scan.proven_valid`) and the full decode give every code
the same verdict, detail and record: codes crafted where the two could part, signed for real."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import cbor2
import pytest

from control.record import Record
from control.record.compact import encode
from control.verify import TrustList, verify
from control.verify import verifier as verifier_module
from control.verify.keys import PrivateKey
from tests import forge


def _bytes_of(item: Any) -> bytes:
    return item if isinstance(item, bytes) else cbor2.dumps(item)


def indefinite_map(pairs: dict[Any, Any]) -> bytes:
    return b"\xbf" + b"".join(cbor2.dumps(k) + _bytes_of(v) for k, v in pairs.items()) + b"\xff"


def indefinite_array(items: list[Any]) -> bytes:
    return b"\x9f" + b"".join(_bytes_of(v) for v in items) + b"\xff"


def wide_int(value: int) -> bytes:
    """A non-canonical integer: 8 bytes of argument whatever its size."""
    return b"\x1b" + value.to_bytes(8, "big")


def payload_with_raw_lic(claims: dict[int, Any], lic: bytes) -> bytes:
    """The claims map with its record given as raw CBOR bytes."""
    pairs = [(k, v) for k, v in claims.items() if k != -70001]
    head = bytes([0xA0 + len(pairs) + 1])
    body = b"".join(cbor2.dumps(k) + cbor2.dumps(v) for k, v in pairs)
    return head + body + cbor2.dumps(-70001) + lic


def _swap_days(c: dict[int, Any]) -> None:
    c[6][3], c[6][4] = c[6][4], c[6][3]


def _damage(change: Callable[[dict[Any, Any]], Any]) -> Callable[[dict[Any, Any]], Any]:
    def damaged(compact: dict[Any, Any]) -> dict[Any, Any]:
        change(compact)
        return compact

    return damaged


TREE_DAMAGES: dict[str, Callable[[dict[Any, Any]], Any]] = {
    "window-plus-1": _damage(lambda c: c.update({3: c[3] + 1})),
    "window-minus-1": _damage(lambda c: c.update({3: c[3] - 1})),
    "window-plus-2": _damage(lambda c: c.update({3: c[3] + 2})),
    "window-minus-2": _damage(lambda c: c.update({3: c[3] - 2})),
    "window-float": _damage(lambda c: c.update({3: float(c[3])})),
    "window-huge": _damage(lambda c: c.update({3: 2**64 - 1})),
    "window-negative": _damage(lambda c: c.update({3: -1})),
    "days-swapped": _damage(_swap_days),
    "day-offset-27": _damage(lambda c: c[6][-1].__setitem__(0, 27)),
    "day-offset-28": _damage(lambda c: c[6][-1].__setitem__(0, 28)),
    "day-offset-float": _damage(lambda c: c[6][0].__setitem__(0, float(c[6][0][0]))),
    "timeline-short": _damage(lambda c: c[6][0].__setitem__(2, c[6][0][2][:-1])),
    "timeline-padded": _damage(lambda c: c[6][0].__setitem__(2, c[6][0][2] + b"\0")),
    "timeline-two-bytes": _damage(lambda c: c[6][0].__setitem__(2, c[6][0][2][:2])),
    "employer-bool": _damage(lambda c: c[6][0].__setitem__(1, False)),
    "birth-float": _damage(lambda c: c[1].__setitem__(3, float(c[1][3]))),
    "deep-notes": _damage(lambda c: c[6][0].extend([None] * (9 - len(c[6][0])))
                          or c[6][0].__setitem__(8, [[[[[[[[[[1]]]]]]]]]])),
    "siren-huge": _damage(lambda c: c[2][0].__setitem__(0, 10**9)),
    "text-key": _damage(lambda c: c.update({"3": c[3]})),
    "tuple-days": _damage(lambda c: c.update({6: c[6] + c[6]})),
}  # fmt: skip


def _raw_lic(compact: dict[int, Any], name: str) -> bytes:
    """The record as CBOR no encoder of ours writes, though well-formed."""
    pairs = {
        "indefinite-map": lambda: indefinite_map(compact),
        "indefinite-days": lambda: indefinite_map({**compact, 6: indefinite_array(compact[6])}),
        "wide-window": lambda: bytes([0xA0 + len(compact)]) + b"".join(
            cbor2.dumps(k) + (wide_int(v) if k == 3 else cbor2.dumps(v))
            for k, v in compact.items()
        ),
        "duplicate-window": lambda: bytes([0xA0 + len(compact) + 1]) + b"".join(
            cbor2.dumps(k) + cbor2.dumps(v) for k, v in compact.items()
        ) + cbor2.dumps(3) + cbor2.dumps(0),
    }  # fmt: skip
    return pairs[name]()


RAW = ["indefinite-map", "indefinite-days", "wide-window", "duplicate-window"]


def _both_ways(text: str, trust: TrustList, now: datetime, monkeypatch: Any) -> None:
    fast = verify(text, trust, now)
    with monkeypatch.context() as patched:
        patched.setattr(verifier_module, "proven_valid", lambda _: None)
        full = verify(text, trust, now)
    assert (fast.verdict, fast.detail, fast.warnings) == (full.verdict, full.detail, full.warnings)
    assert fast.record == full.record


@pytest.mark.parametrize("name", list(TREE_DAMAGES))
def test_a_damaged_record_gets_one_verdict_whichever_path(
    name: str, rich_record: Record, issuer_key: PrivateKey, trust: TrustList, now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    compact = TREE_DAMAGES[name](cbor2.loads(cbor2.dumps(encode(rich_record))))
    iat = now - timedelta(minutes=1)
    claims = forge.claims(issuer_key, compact, iat=iat, exp=iat + timedelta(days=1))
    try:
        text = forge.code(issuer_key, claims)
    except (TypeError, ValueError, cbor2.CBOREncodeError):
        pytest.skip("not encodable")
    _both_ways(text, trust, now, monkeypatch)


@pytest.mark.parametrize("name", RAW)
def test_unusual_cbor_in_the_record_gets_one_verdict_whichever_path(
    name: str, rich_record: Record, issuer_key: PrivateKey, trust: TrustList, now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    compact = cbor2.loads(cbor2.dumps(encode(rich_record)))
    iat = now - timedelta(minutes=1)
    claims = forge.claims(issuer_key, None, iat=iat, exp=iat + timedelta(days=1))
    payload = payload_with_raw_lic(claims, _raw_lic(compact, name))
    text = forge.wrap(forge.sign1(payload, issuer_key))
    _both_ways(text, trust, now, monkeypatch)
