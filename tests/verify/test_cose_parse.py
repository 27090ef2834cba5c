"""`cose.parse` reads the usual COSE_Sign1 from its heads: exactly as its full checks would."""

from __future__ import annotations

import random
from datetime import datetime

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
