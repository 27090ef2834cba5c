"""Our vectorised Base45 encoder and decoder agree with the reference package, errors included."""

from __future__ import annotations

import random

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


def _decode_before(text: str) -> bytes:
    """The decoder as it was before its masks were cached (commit bddd869), kept to compare
    the messages of refusals, which the reference package words otherwise."""
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError:
        raise Base45Error("character outside the Base45 alphabet") from None
    if len(raw) % 3 == 1:
        raise Base45Error("invalid length")
    values = raw.translate(bytes(ALPHABET.find(c) & 0xFF for c in range(256)))
    if 255 in values:
        raise Base45Error("character outside the Base45 alphabet")
    count = len(raw) // 3
    full = count * 3
    lanes = int.from_bytes(values[:full], "little")
    low = int.from_bytes(b"\xff\x00\x00" * count, "little")
    words = (lanes & low) + 45 * ((lanes >> 8) & low) + 2025 * ((lanes >> 16) & low)
    if words & (low << 16):
        raise Base45Error("triplet out of range")
    spread = words.to_bytes(full, "little")
    out = bytearray(2 * count)
    out[0::2] = spread[1::3]
    out[1::2] = spread[0::3]
    if full < len(raw):
        last = values[full] + 45 * values[full + 1]
        if last > 0xFF:
            raise Base45Error("final pair out of range")
        out.append(last)
    return bytes(out)


def _outcomes(text: str) -> tuple[object, object, bool]:
    """Ours, the decoder before, and whether the reference package accepts the text."""
    found = []
    for decoder in (decode, _decode_before):
        try:
            found.append(decoder(text))
        except Base45Error as error:
            found.append(str(error))
    try:
        accepted = reference.b45decode(text) == found[0]
    except (ValueError, KeyError):
        accepted = False
    return found[0], found[1], accepted


HOSTILE = ["a", "#", "é", "\x00", "€", "\ud800", "ZZZ", "GGW", "FGW", ":::", "::", "Z", "  "]


def test_decode_agrees_with_the_decoder_before_and_the_reference_on_hostile_text() -> None:
    """Codes of many lengths (more than the masks' cache holds) and the same damaged: a
    character outside the alphabet or not ASCII, a triplet over 65535 (GGW is 65536), a
    final pair over 255, characters dropped or added."""
    rng = random.Random(45)
    refused = set()
    for _ in range(3000):
        text = encode(rng.randbytes(rng.choice((rng.randrange(40), rng.randrange(3000)))))
        for _ in range(rng.choice((0, 0, 1, 2))):
            at = rng.randrange(len(text) + 1)
            cut = rng.choice((0, 0, 1, 2, 3))
            text = text[:at] + rng.choice(HOSTILE)[: rng.randint(1, 3)] + text[at + cut :]
        if rng.random() < 0.1:
            text = text[: rng.randrange(len(text) + 1)]
        ours, before, accepted = _outcomes(text)
        assert ours == before, text
        assert accepted == isinstance(ours, bytes), text
        if isinstance(ours, str):
            refused.add(ours)
    assert refused == {  # every refusal was met
        "character outside the Base45 alphabet",
        "invalid length",
        "triplet out of range",
        "final pair out of range",
    }
