"""The service's PDF-signing certificate: the administration's, or a demo chain made once.

A PDF reader shows a PAdES signature with the signer's X.509 certificate and checks it up to a
root it trusts; the bulletin check does the same against the configured roots. The demo chain
(a root CA and a signing certificate, RSA 3072 / SHA-256) is made in the data directory on
first use. RSA, because it is the one algorithm ISO 32000-1 itself defines for signatures: an
ECDSA or Ed25519 signature makes pyHanko declare the file PDF 2.0 (ISO 32002), which a
PDF/A-3 (built on ISO 32000-1) should not claim; every PDF reader validates RSA. The root's
private key is thrown away once the signing certificate is issued, so nothing on the server
can issue another.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.x509.oid import NameOID

from control.settings import Settings
from control.storage.files import write_atomically

CERT_FILE = "pdf-signing-cert.pem"
KEY_FILE = "pdf-signing-key.pem"
CHAIN_FILE = "pdf-signing-chain.pem"  # the demo root CA's certificate
SIGNING_YEARS = 10
ROOT_YEARS = 20
RSA_BITS = 3072  # ANSSI's minimum for keys used beyond 2030


class CertificateError(RuntimeError):
    """The configured certificate files are missing, unreadable or inconsistent."""


@dataclass(frozen=True)
class SigningIdentity:
    """What signs: the certificate, its key, and the CA certificates above it."""

    cert: asn1_x509.Certificate
    key: asn1_keys.PrivateKeyInfo
    chain: tuple[asn1_x509.Certificate, ...]
    loaded: PrivateKeyTypes | None = field(default=None, repr=False, compare=False)  # `key`

    def roots(self) -> tuple[asn1_x509.Certificate, ...]:
        return tuple(c for c in self.chain if c.self_signed)

    @cached_property
    def private_key(self) -> PrivateKeyTypes:
        """`key` loaded once: loading checks an RSA key's primes, 0.1 s for RSA 3072, which
        pyHanko would otherwise pay twice per PDF signed (its dry run sizes the signature)."""
        return self.loaded or serialization.load_der_private_key(self.key.dump(), password=None)


def signing_identity(settings: Settings) -> SigningIdentity:
    """The configured certificate, else the demo one in the data directory (made if absent)."""
    configured = (settings.pdf_signing_cert, settings.pdf_signing_key, settings.pdf_signing_chain)
    if any(configured) and not all(configured):
        raise CertificateError(
            "set LIC_CONTROL_PDF_SIGNING_CERT, _KEY and _CHAIN together, or none of them"
        )
    if settings.pdf_signing_cert and settings.pdf_signing_key and settings.pdf_signing_chain:
        return load_identity(
            settings.pdf_signing_cert, settings.pdf_signing_key, settings.pdf_signing_chain
        )
    data = settings.data_dir
    if not (data / KEY_FILE).exists():
        make_demo_chain(data)
    return load_identity(data / CERT_FILE, data / KEY_FILE, data / CHAIN_FILE)


def trust_roots(settings: Settings) -> tuple[asn1_x509.Certificate, ...]:
    """The roots a signed PDF must chain to. Never makes a demo chain: a root made on the spot
    would vouch for nothing (the CLI checks a PDF against the roots the server already has)."""
    if settings.pdf_trust_roots is not None:
        return _certificates(settings.pdf_trust_roots)
    chain = settings.pdf_signing_chain or settings.data_dir / CHAIN_FILE
    if not chain.exists():
        return ()
    return tuple(c for c in _certificates(chain) if c.self_signed)


def load_identity(cert: Path, key: Path, chain: Path) -> SigningIdentity:
    certificates = _certificates(cert)
    if len(certificates) != 1:
        raise CertificateError(f"{cert}: one certificate expected, {len(certificates)} found")
    try:
        private = serialization.load_pem_private_key(key.read_bytes(), password=None)
    except OSError as error:
        raise CertificateError(f"cannot read {key}: {error.strerror}") from error
    except (ValueError, TypeError) as error:
        raise CertificateError(f"{key}: not an unencrypted PEM private key") from error
    der = private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    info = asn1_keys.PrivateKeyInfo.load(der)
    public = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    if public != certificates[0].public_key.dump():
        raise CertificateError(f"{key} is not the private key of {cert}")
    return SigningIdentity(certificates[0], info, _certificates(chain), private)


def _certificates(path: Path) -> tuple[asn1_x509.Certificate, ...]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CertificateError(f"cannot read {path}: {error.strerror}") from error
    try:
        if not pem.detect(data):
            return (asn1_x509.Certificate.load(data),)
        found = tuple(
            asn1_x509.Certificate.load(der)
            for kind, _headers, der in pem.unarmor(data, multiple=True)
            if kind == "CERTIFICATE"
        )
        for certificate in found:
            certificate.native  # noqa: B018  (parses it all: a broken file fails here)
    except (ValueError, TypeError) as error:
        raise CertificateError(f"{path}: not a PEM or DER certificate file") from error
    return found


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Contrôle LIC (démonstration)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def make_demo_chain(data_dir: Path, *, now: dt.datetime | None = None) -> None:
    """A root CA and a document-signing certificate issued by it, kept as private files."""
    now = now or dt.datetime.now(dt.UTC)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    root_name = _name("Contrôle LIC — autorité de démonstration")
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * ROOT_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), False)
        .sign(root_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("Contrôle LIC — signature des bulletins"))
        .issuer_name(root_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * SIGNING_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), False
        )
        .sign(root_key, hashes.SHA256())
    )
    pem_der = serialization.Encoding.PEM
    write_atomically(data_dir / CHAIN_FILE, root.public_bytes(pem_der))
    write_atomically(data_dir / CERT_FILE, cert.public_bytes(pem_der))
    key_pem = key.private_bytes(
        pem_der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    write_atomically(data_dir / KEY_FILE, key_pem)  # last: it marks "made"
