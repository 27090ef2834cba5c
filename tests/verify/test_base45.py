"""Our vectorised Base45 encoder and decoder agree with the reference package, errors included."""

from __future__ import annotations

import base45 as reference
import pytest
from hypothesis import given
from hypothesis import strategies as st

from control.verify.base45 import ALPHABET, Base45Error, decode, encode


@given(st.binary(max_size=3000))
def test_decode_inverts_encode(data: bytes) -> None:
    assert decode(encode(data)) == data


@given(st.binary(max_size=3000))
def test_encode_agrees_with_the_reference(data: bytes) -> None:
    assert encode(data) == reference.b45encode(data).decode()


@given(st.text(alphabet=ALPHABET.decode() + "a#é", max_size=60))
def test_decode_agrees_with_the_reference_on_any_text(text: str) -> None:
    try:
        expected: bytes | None = reference.b45decode(text)
    except (ValueError, KeyError):
        expected = None
    try:
        got: bytes | None = decode(text)
    except Base45Error:
        got = None
    assert got == expected


@pytest.mark.parametrize("text", ["GGW", "A", "AB:", "ÀBC", "ZZZZ"])
def test_invalid_text_is_refused(text: str) -> None:
    with pytest.raises(Base45Error):
        decode(text)


def test_rfc_9285_examples() -> None:
    assert encode(b"AB") == "BB8"
    assert decode("QED8WEX0") == b"ietf!"
