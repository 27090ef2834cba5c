"""The outer layers of a LIC code: `LIC1:` + Base45 + zlib around the COSE bytes."""

from __future__ import annotations

import zlib

from control.verify import base45
from control.verify.verdicts import Layer

PREFIX = "LIC1:"
MAX_INFLATED = 64 * 1024  # the spec's bound: a verifier refuses to inflate beyond 64 KiB


class NotALicCodeError(ValueError):
    """The text does not start with the LIC prefix."""


class EnvelopeError(ValueError):
    def __init__(self, layer: Layer, message: str) -> None:
        super().__init__(message)
        self.layer = layer


def wrap(cose: bytes, prefix: str = PREFIX) -> str:
    return prefix + base45.encode(zlib.compress(cose, 9))


def unwrap(text: str, prefix: str = PREFIX) -> bytes:
    """The COSE bytes inside a code's text (scanners may add surrounding white space).

    `prefix` is `LIC1:` for drivers' codes; control bulletins use the same envelope with
    `BDC1:`.
    """
    text = text.strip()
    if not text.startswith(prefix):
        raise NotALicCodeError(f"the text does not start with {prefix}")
    try:
        compressed = base45.decode(text[len(prefix) :])
    except base45.Base45Error as error:
        raise EnvelopeError(Layer.BASE45, str(error)) from None
    inflater = zlib.decompressobj()
    try:
        cose = inflater.decompress(compressed, MAX_INFLATED)
    except zlib.error as error:
        raise EnvelopeError(Layer.ZLIB, f"invalid zlib data: {error}") from None
    if inflater.unconsumed_tail:
        raise EnvelopeError(Layer.ZLIB, "inflates beyond 64 KiB")
    if not inflater.eof:
        raise EnvelopeError(Layer.ZLIB, "truncated zlib data")
    if inflater.unused_data:
        raise EnvelopeError(Layer.ZLIB, "data after the end of the zlib stream")
    return cose
