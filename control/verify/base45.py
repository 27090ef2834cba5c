"""Base45 (RFC 9285), vectorised.

Decoding is on the verifier's hot path: the `base45` package's pure-Python loop (the reference
from the EU DCC work) takes ~250 µs for a 1 800-character code, more than the Ed25519 check,
so it is done here with bytes.translate and arithmetic on one integer holding every triplet
(~10 µs: as fast as numpy alone, and the CBOR decoding that follows runs some 10 µs faster
than after numpy's calls). Encoding uses numpy. They are proven
equal to that package (a test dependency) on random and hostile input in
tests/verify/test_base45.py.
"""

from __future__ import annotations

import functools

import numpy as np

ALPHABET = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
INVALID = 255
# bytes.translate table: character -> its Base45 value, INVALID outside the alphabet
_VALUES = bytes(ALPHABET.index(c) if c in ALPHABET else INVALID for c in range(256))
_LETTERS = ALPHABET + bytes(256 - len(ALPHABET))  # bytes.translate table: value -> character


class Base45Error(ValueError):
    """The text is not valid Base45."""


def encode(data: bytes) -> str:
    """Vectorised like `decode` (the package's loop takes ~400 µs for a code); proven equal
    to the package in tests."""
    full = len(data) // 2 * 2
    words = np.frombuffer(data, dtype=">u2", count=full // 2).astype(np.uint32)
    digits = np.empty((words.size, 3), dtype=np.uint8)
    digits[:, 0] = words % 45
    digits[:, 1] = words // 45 % 45
    digits[:, 2] = words // 2025
    out = digits.tobytes()
    if full < len(data):
        out += bytes(divmod(data[-1], 45)[::-1])
    return out.translate(_LETTERS).decode("ascii")


def decode(text: str) -> bytes:
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError:
        raise Base45Error("character outside the Base45 alphabet") from None
    if len(raw) % 3 == 1:
        raise Base45Error("invalid length")
    values = raw.translate(_VALUES)
    if INVALID in values:
        raise Base45Error("character outside the Base45 alphabet")
    count = len(raw) // 3
    full = count * 3
    # Every triplet in a 24-bit lane of one integer: three masked shifts and two small
    # products decode them all, no lane overflowing into the next (44 * 2071 < 2**24).
    lanes = int.from_bytes(values[:full], "little")
    low, high = _masks(count)
    words = (lanes & low) + 45 * ((lanes >> 8) & low) + 2025 * ((lanes >> 16) & low)
    if words & high:
        raise Base45Error("triplet out of range")
    spread = words.to_bytes(full, "little")  # each word little-endian, then a zero byte
    out = bytearray(2 * count)
    out[0::2] = spread[1::3]
    out[1::2] = spread[0::3]
    if full < len(raw):
        last = values[full] + 45 * values[full + 1]
        if last > 0xFF:
            raise Base45Error("final pair out of range")
        out.append(last)
    return bytes(out)


@functools.lru_cache(maxsize=64)
def _masks(count: int) -> tuple[int, int]:
    """Each of `count` lanes' lowest byte, and its highest: made once per length of code
    (a code's length varies little), for building them took a seventh of the decoding."""
    low = int.from_bytes(b"\xff\x00\x00" * count, "little")
    return low, low << 16
