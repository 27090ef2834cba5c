"""Ed25519 verification with libsodium's detached check, from the libsodium PyNaCl ships.

PyNaCl's bindings offer only `crypto_sign_open`: the signature joined to the message, a
buffer as large allocated and the message copied back out of it, some 2 µs of every
verification. libsodium's `crypto_sign_open` is `crypto_sign_verify_detached` followed by
that copy (crypto_sign/ed25519/ref10/open.c), so calling the latter in the same library gives
the same verdict for every input (tests/verify/test_ed25519.py compares them). Where it cannot
be found (a PyNaCl built some other way), or for arguments it was not made for, the bindings'
call is used.
"""

from __future__ import annotations

import ctypes
import functools
import importlib
from collections.abc import Callable

import nacl.bindings
import nacl.exceptions

Detached = Callable[[bytes, bytes, int, bytes], int]


def verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """Whether `signature` is `public_key`'s Ed25519 signature of `message`."""
    if len(signature) != 64:
        return False
    detached = _detached()
    if detached is not None and len(public_key) == 32 and type(message) is bytes:
        return detached(signature, message, len(message), public_key) == 0
    return opened(public_key, message, signature)


def opened(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """The same check through PyNaCl's `crypto_sign_open`, as it was always made."""
    try:
        nacl.bindings.crypto_sign_open(signature + message, public_key)
    except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
        return False
    return True


@functools.cache
def _detached() -> Detached | None:
    """`crypto_sign_verify_detached` of the libsodium PyNaCl loaded (its compiled module,
    initialised when `nacl.bindings` was imported), looked up once."""
    try:
        sodium = importlib.import_module("nacl._sodium").__file__
        function = ctypes.CDLL(sodium).crypto_sign_verify_detached
    except (ImportError, OSError, AttributeError):
        return None
    function.argtypes = (ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulonglong, ctypes.c_char_p)
    function.restype = ctypes.c_int
    return function
