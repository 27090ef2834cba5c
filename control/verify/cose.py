"""COSE_Sign1 (RFC 9052) with Ed25519, written on cbor2 and PyNaCl.

Only what the LIC spec uses: alg EdDSA (-8) and kid in the protected header, empty
external_aad. Interoperability with pycose is proven in tests/verify/test_cose_interop.py.
Parsing never trusts the input: every field is type-checked and failures are CoseError.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cbor2

from control.verify.cbor_shape import (
    ShapeError,
    item_end,
    loads_plain,
    loads_unwalked,
    unique_labels,
)
from control.verify.keys import PrivateKey

ALG, KID = 1, 4
EDDSA = -8
SIGN1_TAG = 18


class CoseError(ValueError):
    """Not a well-formed COSE_Sign1 structure."""


class UnsupportedAlgorithmError(CoseError):
    """Well-formed, but signed with something else than Ed25519."""


@dataclass(frozen=True)
class Sign1:
    protected: bytes  # the serialized protected header, as signed
    kid: bytes
    payload: bytes
    signature: bytes

    def to_be_signed(self) -> bytes:
        return sig_structure(self.protected, self.payload)


def sig_structure(protected: bytes, payload: bytes) -> bytes:
    """`cbor2.dumps(["Signature1", protected, b"", payload])`, joined from its parts: made on
    every verification, its bytes copied once (tests/verify/test_cose_parse.py)."""
    heads = _bytes_head(len(protected)), _bytes_head(len(payload))
    return b"".join((_SIGNATURE1, heads[0], protected, b"\x40", heads[1], payload))


_SIGNATURE1 = b"\x84\x6aSignature1"  # an array of 4, then the text "Signature1"


def _bytes_head(length: int) -> bytes:
    """The head of a byte string of `length` bytes, in its shortest form."""
    if length < 24:
        return bytes([0x40 | length])
    size = 1 if length < 1 << 8 else 2 if length < 1 << 16 else 4 if length < 1 << 32 else 8
    return bytes([0x58 + size.bit_length() - 1]) + length.to_bytes(size)


def sign(payload: bytes, key: PrivateKey) -> bytes:
    """The tagged COSE_Sign1 bytes of `payload` signed with `key`."""
    protected = cbor2.dumps({ALG: EDDSA, KID: key.public.kid})
    signature = key.sign(sig_structure(protected, payload))
    return cbor2.dumps(cbor2.CBORTag(SIGN1_TAG, [protected, {}, payload, signature]))


def loads(data: bytes, top_tags: frozenset[int] = frozenset(), *, walked: bool = True) -> Any:
    """CBOR decoding that turns every failure of hostile input into CoseError; only the
    CBOR a code may use is accepted (control/verify/cbor_shape.py). `walked=False` leaves
    simple values to a caller that checks every value's type (`loads_unwalked`)."""
    try:
        return loads_plain(data, top_tags) if walked else loads_unwalked(data, top_tags)
    except ShapeError as error:
        raise CoseError(str(error)) from None
    except RecursionError:
        raise CoseError("CBOR nested too deeply") from None
    except MemoryError:
        raise CoseError("CBOR declares a size beyond reason") from None
    except (cbor2.CBORDecodeError, ValueError, TypeError, OverflowError, LookupError) as error:
        raise CoseError(f"invalid CBOR: {error}") from None


def loads_map(data: bytes) -> Any:
    """`loads`, and a map's labels checked: integers or texts, none twice (the protected
    header, the claims)."""
    item = loads(data)
    if isinstance(item, Mapping):
        _labels(data, 0, item)
    return item


def _labels(data: bytes, offset: int, decoded: Mapping[Any, Any]) -> None:
    try:
        unique_labels(data, offset, decoded)
    except (ShapeError, cbor2.CBORDecodeError) as error:
        raise CoseError(str(error)) from None


def parse(data: bytes) -> Sign1:
    """Structure of a COSE_Sign1; signature not checked here."""
    usual = _usual(data)
    if usual is not None:
        return usual
    item = loads(data, frozenset({SIGN1_TAG}))
    tagged = isinstance(item, cbor2.CBORTag)
    if isinstance(item, cbor2.CBORTag):
        if item.tag != SIGN1_TAG:
            raise CoseError(f"CBOR tag {item.tag} is not COSE_Sign1 (18)")
        item = item.value
    if not isinstance(item, list | tuple) or len(item) != 4:  # a tagged array decodes as a tuple
        raise CoseError("COSE_Sign1 is an array of 4 items")
    protected, unprotected, payload, signature = item
    if not isinstance(protected, bytes) or not isinstance(unprotected, Mapping):
        raise CoseError("headers must be a byte string and a map")
    if not isinstance(payload, bytes):
        raise CoseError("payload must be a byte string (detached payloads are not used)")
    if not isinstance(signature, bytes) or len(signature) != 64:
        raise CoseError("an Ed25519 signature is 64 bytes")
    # the unprotected header: after the tag's and the array's heads, and the protected bytes
    _labels(data, item_end(data, item_end(data, 0, heads=2 if tagged else 1)), unprotected)
    header = loads_map(protected) if protected else {}
    if not isinstance(header, Mapping):
        raise CoseError("protected header must be a map")
    alg = header.get(ALG)
    if alg is None:
        raise CoseError("no algorithm in the protected header")
    if type(alg) not in (int, str):  # RFC 9052: an integer or a text; -8.0 is neither
        raise CoseError(f"algorithm {alg!r} is not an integer nor a text")
    if alg != EDDSA:
        raise UnsupportedAlgorithmError(f"algorithm {alg!r} (only EdDSA -8 with Ed25519)")
    kid = header[KID] if KID in header else unprotected.get(KID)
    if not isinstance(kid, bytes) or not kid:
        raise CoseError("no key identifier (kid)")
    return Sign1(protected, kid, payload, signature)


# The protected header every issuer of the spec writes: {1: -8, 4: kid}, alg first.
_USUAL_HEADER = bytes([0xA2, 0x01, 0x27, 0x04])


def _usual(data: bytes) -> Sign1 | None:
    """The COSE_Sign1 that issuers write (tag 18, the usual protected header of under 24
    bytes, an empty unprotected one, a 64-byte signature) read from its heads alone, for a
    third of the envelope's time went into decoding it with the full checks; read inline, for
    calls are most of what is left. Anything else, None: `parse` decides, so what this accepts
    is exactly what `parse` would return for the same bytes."""
    end = len(data) - 66  # where the payload ends: the signature's head and bytes follow
    if end < 8 or data[:2] != b"\xd2\x84" or data[end : end + 2] != b"\x58\x40":
        return None
    size = data[2] - 0x40  # the protected header: a byte string, its length in its head
    if not 5 < size < 24 or data[3:7] != _USUAL_HEADER or data[7] - 0x40 != size - 5:
        return None  # not {1: -8, 4: kid}, the kid a byte string of 1 to 18 bytes
    at = size + 4  # the payload's head, after the empty unprotected map
    if data[at - 1] != 0xA0:
        return None
    head = data[at]
    info = head & 0x1F
    if head >> 5 != 2 or info > 26:
        return None
    start = at + 1 if info < 24 else at + 1 + (1 << (info - 24))
    if (info if info < 24 else int.from_bytes(data[at + 1 : start])) != end - start:
        return None
    return Sign1(data[3 : at - 1], data[8 : at - 1], data[start:end], data[end + 2 :])
