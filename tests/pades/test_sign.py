"""The PDF signer with its key loaded once gives the bytes pyHanko's own simple signer gives."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from control.pades.certs import SigningIdentity
from control.pades.sign import IdentitySigner, sign_pdf
from control.pades.validate import Signed, validate
from tests.pades.test_certs import plain_pdf


def simple(identity: SigningIdentity) -> signers.SimpleSigner:
    return signers.SimpleSigner(
        signing_cert=identity.cert,
        signing_key=identity.key,
        cert_registry=SimpleCertificateStore.from_certs(identity.chain),  # type: ignore[no-untyped-call]
    )


@pytest.mark.parametrize("digest", ["sha256", "sha384", "sha512"])
def test_the_raw_signatures_are_pyhanko_s_own(pdf_identity: SigningIdentity, digest: str) -> None:
    ours, theirs = IdentitySigner(pdf_identity), simple(pdf_identity)
    rng = random.Random(digest)
    for size in (0, 1, 32, 1000, 70_000):
        data = rng.randbytes(size)
        assert ours.sign_raw(data, digest) == theirs.sign_raw(data, digest)
    assert ours.sign_raw(b"a", digest) != theirs.sign_raw(b"b", digest)


def test_the_key_is_loaded_once(pdf_identity: SigningIdentity) -> None:
    assert pdf_identity.private_key is pdf_identity.private_key


def test_a_key_of_another_kind_signs_as_pyhanko_does() -> None:
    """Not RSA: pyHanko's own path (ECDSA, randomised: the signature checked by the key)."""
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "essai")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(private, hashes.SHA256())
    )
    der = private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    identity = SigningIdentity(
        asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        asn1_keys.PrivateKeyInfo.load(der),
        (),
    )
    signature = IdentitySigner(identity).sign_raw(b"rapport", "sha256")
    private.public_key().verify(signature, b"rapport", ec.ECDSA(hashes.SHA256()))


def test_a_signed_pdf_is_valid(pdf_identity: SigningIdentity) -> None:
    signed = sign_pdf(plain_pdf(), pdf_identity, reason="essai")
    assert isinstance(validate(signed, pdf_identity.roots(), max_bytes=10**6), Signed)
