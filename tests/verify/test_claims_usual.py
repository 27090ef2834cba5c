"""The claims read from their heads, the record left as bytes: exactly the verdicts of the
payload decoded whole, for every payload (tests/record/test_scan.py proves the record check)."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

import cbor2
import pytest

from control.issue import issue_code
from control.record import Record
from control.record.compact import encode
from control.verify import TrustList, Verification, claims, cose, verifier, verify
from control.verify.envelope import unwrap, wrap
from control.verify.keys import PrivateKey


def _signed(payload: bytes, key: PrivateKey) -> str:
    return wrap(cose.sign(payload, key))


def _seen(result: Verification) -> tuple[Any, ...]:
    """All that a verdict shows and stores, the record built."""
    return (
        result.verdict,
        result.detail,
        result.layer,
        result.warnings,
        result.iat,
        result.exp,
        result.cti,
        result.record,
    )


def _both_ways(
    texts: list[str], trust: TrustList, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    usual = [_seen(verify(text, trust, now)) for text in texts]
    with monkeypatch.context() as patch:
        patch.setattr(verifier, "read_usual", lambda payload: None)
        whole = [_seen(verify(text, trust, now)) for text in texts]
    return usual, whole


@pytest.fixture
def payload(record: Record, issuer_key: PrivateKey, now: datetime) -> bytes:
    return cose.parse(unwrap(issue_code(record, issuer_key, iat=now).text)).payload


def test_an_issued_payload_is_read_in_its_usual_form(payload: bytes) -> None:
    read = claims.read_usual(payload)
    whole = claims.parse_claims(cose.loads_map(payload))
    assert read is not None
    assert read.lic == claims.UnreadRecord(cbor2.dumps(whole.lic, canonical=True))
    assert (read.iss, read.iat, read.exp, read.cti) == (whole.iss, whole.iat, whole.exp, whole.cti)


def test_mutated_payloads_get_the_verdicts_of_the_whole_decode(
    payload: bytes,
    issuer_key: PrivateKey,
    trust: TrustList,
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(29)
    texts = []
    for _ in range(300):
        data = bytearray(payload)
        for _ in range(rng.randint(1, 3)):  # mostly in the claims' heads, else in the record
            at = rng.randrange(48 if rng.random() < 0.6 else len(data))
            data[at] = rng.choice((rng.randrange(256), data[at] ^ 1 << rng.randrange(8)))
        if rng.random() < 0.15:
            data = data[: rng.randrange(len(data))]
        elif rng.random() < 0.1:
            data += bytes([rng.choice((0x00, 0xF7, 0xFF, 0xC1))])
        texts.append(_signed(bytes(data), issuer_key))
    usual, whole = _both_ways(texts, trust, now, monkeypatch)
    assert usual == whole
    assert len({seen[0] for seen in usual}) >= 3  # valid, malformed, record-invalid at least


FOREIGN = [cbor2.undefined, cbor2.CBORSimpleValue(99), cbor2.CBORTag(1, 0), 1.5, True, {}, None]


def _places(item: Any, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], list[Any]]:
    """One path to each kind of place in a compact record (the first day with a validation,
    the first vehicle...), keyed by its shape: every element of a list of lists is alike."""
    found: dict[tuple[Any, ...], list[Any]] = {}
    alike = isinstance(item, list) and all(isinstance(value, list) for value in item)
    for key in item.keys() if isinstance(item, dict) else range(len(item)):
        shape = (*path, "*" if alike else key)
        found.setdefault(shape, [key])
        value = item[key]
        if isinstance(value, list | dict):
            for inner, keys in _places(value, shape).items():
                found.setdefault(inner, [key, *keys])
    return found


def test_a_foreign_value_anywhere_in_the_record_gets_the_verdict_of_the_whole_decode(
    rich_record: Record,
    issuer_key: PrivateKey,
    trust: TrustList,
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A simple value, a tag, a float or a boolean where the record has another value: the
    record check must refuse what the walk refusing simple values is skipped for."""
    sign1 = cose.parse(unwrap(issue_code(rich_record, issuer_key, iat=now).text))
    issued = claims.parse_claims(cose.loads_map(sign1.payload))
    texts = []
    for keys in _places(encode(rich_record)).values():
        for foreign in FOREIGN:
            lic = encode(rich_record)
            container = lic
            for key in keys[:-1]:
                container = container[key]
            container[keys[-1]] = foreign
            body = {**issued.to_cbor(), claims.LIC: lic}
            texts.append(_signed(cbor2.dumps(body, canonical=True), issuer_key))
    usual, whole = _both_ways(texts, trust, now, monkeypatch)
    assert usual == whole


def _crafted(payload: bytes) -> list[bytes]:
    """Payloads a hostile issuer could craft around the usual heads."""
    iss_end = 3 + (payload[2] & 0x1F)
    iss, rest = payload[3:iss_end], payload[iss_end:]
    record_at = payload.index(bytes([0x3A, 0x00, 0x01, 0x11, 0x70])) + 5
    record = payload[record_at:]
    return [
        payload[:2] + bytes([0x7F, 0x60 | len(iss)]) + iss + b"\xff" + rest,  # iss in chunks
        payload[:2] + bytes([0x60 | len(iss)]) + b"\xff" + iss[1:] + rest,  # not UTF-8
        payload[:2] + bytes([0x78, len(iss)]) + iss + rest,  # a longer head than needed
        payload.replace(b"\x04\x1a", b"\x04\x1b\x00\x00\x00\x00", 1),  # exp on 8 bytes
        payload.replace(b"\x06\x1a", b"\x06\x3a", 1),  # a negative iat
        payload.replace(b"\x07\x50", b"\x07\x4f", 1)[:-1],  # a 15-byte cti
        payload.replace(b"\x07\x50", b"\x07\x58\x10", 1),  # cti's length on a byte
        payload[: record_at - 5] + b"\x3b\x00\x01\x11\x70" + record,  # label 70001 - 1
        payload[:record_at] + b"\xf7",  # the record undefined
        payload[:record_at] + record + b"\x00",  # a byte after the record
        payload[:record_at] + b"\xbf" + record[1:] + b"\xff",  # the record's map indefinite
        payload[:record_at] + b"\xc1" + record,  # the record tagged
        b"\xa6" + payload[1:] + b"\x01\x61x",  # six claims, iss twice
        b"\xbf" + payload[1:] + b"\xff",  # the claims' map indefinite
        payload[:record_at],  # no record
    ]


def test_crafted_payloads_get_the_verdicts_of_the_whole_decode(
    payload: bytes,
    issuer_key: PrivateKey,
    trust: TrustList,
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    crafted = _crafted(payload)
    assert all(data != payload for data in crafted)
    texts = [_signed(data, issuer_key) for data in crafted]
    usual, whole = _both_ways(texts, trust, now, monkeypatch)
    assert usual == whole
    assert [seen[0] for seen in usual].count("valid") >= 2  # the non-minimal heads
