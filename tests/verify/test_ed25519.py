"""libsodium's detached check gives PyNaCl's `crypto_sign_open` verdict for every input."""

from __future__ import annotations

import random

import nacl.signing

from control.verify import ed25519

# Encodings of points of small order, and non-canonical ones (libsodium refuses them as keys
# and as R): 0, 1, the points of order 2, 4 and 8, and p + 1, y = -1 with the sign bit set.
SMALL = [
    bytes(32),
    b"\x01" + bytes(31),
    bytes.fromhex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    bytes.fromhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
    bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
    bytes.fromhex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    bytes.fromhex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
    b"\x01" + bytes(30) + b"\x80",
]

ORDER = 2**252 + 27742317777372353535851937790883648493  # of the group Ed25519 signs in


def _damaged(rng: random.Random, data: bytes) -> bytes:
    """One or two bits flipped; a byte added to nothing."""
    if not data:
        return b"\x00"
    out = bytearray(data)
    for _ in range(rng.randint(1, 2)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def test_the_detached_check_is_there() -> None:
    assert ed25519._detached() is not None  # else the comparison below compares one path


def test_detached_and_opened_agree_on_genuine_and_damaged_signatures() -> None:
    rng = random.Random(25519)
    seen = set()
    for _ in range(1500):
        signing = nacl.signing.SigningKey(rng.randbytes(32))
        public = bytes(signing.verify_key)
        message = rng.randbytes(rng.choice((0, 1, rng.randrange(3000))))
        signature = signing.sign(message).signature
        choice = rng.randrange(8)
        if choice == 1:
            signature = _damaged(rng, signature)
        elif choice == 2:
            message = _damaged(rng, message)
        elif choice == 3:
            public = _damaged(rng, public)
        elif choice == 4:
            public = rng.choice((rng.choice(SMALL), rng.randbytes(32)))
        elif choice == 5:
            signature = rng.choice(SMALL) + signature[32:]
        elif choice == 6:  # S not reduced: S + the group's order, or its top bit set
            s_value = int.from_bytes(signature[32:], "little")
            s_value = rng.choice((s_value + ORDER, s_value | 1 << 255))
            signature = signature[:32] + s_value.to_bytes(32, "little")
        elif choice == 7:
            signature = signature[: rng.choice((0, 63))] + rng.randbytes(rng.choice((0, 2)))
        verdict = ed25519.verify(public, message, signature)
        assert verdict == ed25519.opened(public, message, signature)
        seen.add((choice, verdict))
    assert {verdict for _, verdict in seen} == {True, False}
    assert (0, True) in seen
    assert (1, False) in seen
