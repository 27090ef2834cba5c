"""`cose.parse` reads the usual COSE_Sign1 from its heads: exactly as its full checks would."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

import cbor2
import pytest

from control.issue import issue_code
from control.record import Record
from control.verify import cose
from control.verify.envelope import unwrap
from control.verify.keys import PrivateKey


def _outcome(data: bytes) -> cose.Sign1 | tuple[type, str]:
    try:
        return cose.parse(data)
    except cose.CoseError as error:
        return type(error), str(error)


def test_the_usual_form_and_its_mutations_parse_as_the_full_checks_parse_them(
    record: Record, issuer_key: PrivateKey, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    issued = unwrap(issue_code(record, issuer_key, iat=now).text)
    assert cose._usual(issued) == cose.parse(issued)  # an issued code takes the short path
    rng = random.Random(23)
    variants = [issued]
    for _ in range(400):
        data = bytearray(issued)
        for _ in range(rng.randint(1, 3)):  # mostly in the heads and the protected header
            data[rng.randrange(60 if rng.random() < 0.8 else len(data))] = rng.randrange(256)
        variants.append(bytes(data[: rng.randrange(len(data))] if rng.random() < 0.2 else data))
    short = [_outcome(data) for data in variants]
    monkeypatch.setattr(cose, "_usual", lambda data: None)
    assert [_outcome(data) for data in variants] == short


@pytest.mark.parametrize("length", [0, 23, 24, 255, 256, 65_535, 65_536])
def test_the_sig_structure_is_the_cbor_of_its_array(length: int) -> None:
    protected, payload = bytes(range(13)), bytes(length)
    expected = cbor2.dumps(["Signature1", protected, b"", payload])
    assert cose.sig_structure(protected, payload) == expected
    assert cose.sig_structure(b"", bytes(9)) == cbor2.dumps(["Signature1", b"", b"", bytes(9)])


def _head(major: int, argument: int, size: int | None = None) -> bytes:
    """A CBOR head, of `size` bytes of argument or the fewest that hold it (None: the
    shortest head); a negative argument is 0."""
    argument = max(argument, 0)
    shortest = 0 if argument < 24 else 1 if argument < 256 else 2 if argument < 65536 else 4
    size = shortest if size is None else max(size, shortest, 1)
    if size == 0:
        return bytes([major << 5 | argument])
    return bytes([major << 5 | (24 + size.bit_length() - 1)]) + argument.to_bytes(size)


def _crafted(rng: random.Random, payload: bytes, signature: bytes) -> bytes:
    """A COSE_Sign1 near the usual one: each head in its shortest form or not, lengths that
    lie by one, other headers, bytes missing or added; each part mostly as usual."""

    def mostly(usual: Any, *others: Any) -> Any:
        return usual if rng.random() < 0.85 else rng.choice(others)

    kid = rng.randbytes(mostly(8, 0, 1, 17, 18, 19, 24))
    protected = b"\xa2\x01\x27\x04" + _head(2, len(kid), mostly(None, 1)) + kid
    protected = mostly(protected, b"\xa2\x04" + protected[4:], b"\xa2\x01\x26" + protected[3:])
    data = b"".join(
        (
            mostly(b"\xd2\x84", b"\x84", b"\xd3\x84", b"\xd2\x83"),
            _head(2, len(protected) + mostly(0, 1, -1), mostly(None, 1)) + protected,
            mostly(b"\xa0", b"\xa1\x04\x41x", b"\xbf\xff"),
            _head(2, len(payload) + mostly(0, 1, -1), mostly(None, 1, 2, 4, 8)),
            payload,
            mostly(b"\x58\x40" + signature, b"\x58\x3f" + signature[1:], b"\x40"),
        )
    )
    return mostly(data, data + b"\x00", data[: rng.randrange(len(data))])


def test_cose_near_the_usual_form_parses_as_the_full_checks_parse_it(
    record: Record, issuer_key: PrivateKey, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built head by head, unlike the mutations above, so that many are taken by the short
    path and many by the full checks; both must give each the same outcome."""
    data = unwrap(issue_code(record, issuer_key, iat=now).text)
    issued = cose.parse(data)
    rng = random.Random(18)
    payloads = [issued.payload, b"", b"\x01", bytes(23), bytes(24), bytes(255), bytes(256)]
    variants = [_crafted(rng, rng.choice(payloads), issued.signature) for _ in range(3000)]
    variants += [bytes(range(n)) for n in range(80)] + [b"\xd2\x84" + bytes(n) for n in range(80)]
    assert len(issued.protected) == 13  # a kid of 8 bytes: the heads are where said below
    for at in (2, 3, 7, 16, 17, 18, 19, 20, len(data) - 66, len(data) - 65):
        # every value of each head and byte around them, the rest as issued
        variants += [data[:at] + bytes([value]) + data[at + 1 :] for value in range(256)]
    kid = bytes(19)  # a protected header of 24 bytes, its length in a head that has none
    protected = b"\xa2\x01\x27\x04\x53" + kid
    variants.append(b"\xd2\x84\x58" + protected + b"\xa0\x41x\x58\x40" + issued.signature)
    short = [_outcome(data) for data in variants]
    taken = sum(cose._usual(data) is not None for data in variants)
    monkeypatch.setattr(cose, "_usual", lambda data: None)
    assert [_outcome(data) for data in variants] == short
    assert 500 < taken < len(variants) - 500  # both paths well exercised
