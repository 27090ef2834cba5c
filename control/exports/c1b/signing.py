"""The service's C1B signing key, and the signature of an elementary file.

A first-generation card signs each downloaded file with RSA 1024 over a SHA-1 digest, padded
as PKCS #1 v1.5 (Annex 1B, Appendix 11 part A, signature generation, and Appendix 7, 3.3:
"secured with a digital signature"). Mobilic signs its C1B files the same way with a key of
its own rather than an ERCA-certified card key; so does this service: the signature proves
the file came from this server unchanged, not that a tachograph card wrote it. The key is
the gen-1 size (1024 bits), made once in the data directory and kept with its other keys.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from control.storage.files import write_atomically

KEY_FILE = "c1b-signing-key.pem"
KEY_BITS = 1024  # gen-1 card keys: RSA with a 1024-bit modulus
SIGNATURE_BYTES = KEY_BITS // 8


def c1b_key(data_dir: Path) -> rsa.RSAPrivateKey:
    """The key in `data_dir`, made (mode 600) the first time it is needed."""
    path = data_dir / KEY_FILE
    if not path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        write_atomically(path, pem)
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, rsa.RSAPrivateKey) or loaded.key_size != KEY_BITS:
        raise ValueError(f"{path}: not an RSA {KEY_BITS}-bit private key")
    return loaded


def sign(key: rsa.RSAPrivateKey, data: bytes) -> bytes:
    """128 octets: RSA(PKCS #1 v1.5 padding of the SHA-1 digest of `data`)."""
    return key.sign(data, padding.PKCS1v15(), hashes.SHA1())  # gen-1 demands SHA-1
