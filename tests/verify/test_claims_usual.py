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


def _near_usual(rng: random.Random, issuer: str, times: tuple[int, int], record: bytes) -> bytes:
    """A payload near the usual form, built head by head: each part mostly as issuers write
    it, else in a longer head, of another length or type, or out of the spec's limits."""

    def mostly(usual: Any, *others: Any) -> Any:
        return usual if rng.random() < 0.85 else rng.choice(others)

    iss = mostly(issuer.encode(), b"", b"\xff" + issuer.encode(), b"x" * 23, b"x" * 24)
    iat, exp = times
    exp = mostly(exp, iat, iat + 7 * 86400, iat + 7 * 86400 + 1, 2**32 + 5, 5, 2**40)
    iat = mostly(iat, 0, 23, 2**32, exp + 1)
    cti = rng.randbytes(mostly(16, 15, 17, 0))

    def number(value: int) -> bytes:
        return mostly(cbor2.dumps(value), b"\x1b" + value.to_bytes(8), b"\x3a" + bytes(4))

    pairs = [
        b"\x01" + mostly(_text(iss), b"\x78" + bytes([len(iss)]) + iss, b"\x60"),
        b"\x04" + number(exp),
        b"\x06" + number(iat),
        b"\x07" + mostly(cbor2.dumps(cti), b"\x58" + bytes([len(cti)]) + cti),
        mostly(cbor2.dumps(LIC_LABEL), b"\x3b\x00\x01\x11\x70", b"\x3a\x00\x01\x11\x71") + record,
    ]  # fmt: skip
    if rng.random() < 0.05:
        rng.shuffle(pairs)
    payload = mostly(b"\xa5", b"\xa4", b"\xa6", b"\xbf") + b"".join(pairs)
    return mostly(payload, payload + b"\x00", payload[: rng.randrange(len(payload))])


LIC_LABEL = claims.LIC


def _text(raw: bytes) -> bytes:
    """A CBOR text of these bytes, UTF-8 or not."""
    return bytes([0x60 | len(raw)]) + raw if len(raw) < 24 else b"\x78" + bytes([len(raw)]) + raw


def _fields(read: claims.Claims) -> tuple[Any, ...]:
    return read.iss, read.iat, read.exp, read.cti


def _whole(data: bytes) -> claims.Claims | None:
    try:
        return claims.parse_claims(cose.loads_map(data))
    except (cose.CoseError, claims.ClaimsError):
        return None


def test_payloads_near_the_usual_form_read_from_their_heads_as_decoded_whole(
    payload: bytes,
) -> None:
    """`read_usual` gives the claims of the whole decode, or None: never other claims, nor
    claims the whole decode refuses. The record it leaves unread is the record check's (the
    tests above): here it is put back well formed before the whole decode."""
    issued = claims.parse_claims(cose.loads_map(payload))
    record = cbor2.dumps(issued.lic, canonical=True)
    times = int(issued.iat.timestamp()), int(issued.exp.timestamp())
    rng = random.Random(8392)
    read_count = refused_count = 0
    for _ in range(4000):
        data = _near_usual(rng, issued.iss, times, rng.choice((record, record, b"\x00", b"")))
        read = claims.read_usual(data)
        if read is None:
            refused_count += 1
            continue
        read_count += 1
        assert isinstance(read.lic, claims.UnreadRecord)
        assert data.endswith(read.lic.cbor)
        whole = _whole(data[: len(data) - len(read.lic.cbor)] + record)
        assert whole is not None, data
        assert _fields(read) == _fields(whole)
        if read.lic.cbor == record:
            assert _whole(data) == whole
    assert read_count > 300
    assert refused_count > 1000
