"""Sign a PDF (a PAdES baseline signature, ETSI.CAdES.detached) by an incremental update.

The rendered PDF's bytes stay as they are (its PDF/A-3b catalogue and attachments included);
the signature covers the whole file. It certifies the document with "no changes allowed", so
a reader flags any later edit, and the service's own check refuses one outright.
"""

from __future__ import annotations

import io

from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from control.pades.blocking import run
from control.pades.certs import SigningIdentity

FIELD_NAME = "SignatureControleLIC"


class IdentitySigner(signers.SimpleSigner):
    """pyHanko's `SimpleSigner` with the identity's key loaded once (`private_key`): the
    simple signer loads it from DER at each signature, which for RSA means checking its
    primes (0.1 s for RSA 3072, twice per PDF). PKCS#1 v1.5 signatures, the ones made
    here, are deterministic: the bytes are those the simple signer gives."""

    def __init__(self, identity: SigningIdentity) -> None:
        super().__init__(
            signing_cert=identity.cert,
            signing_key=identity.key,
            cert_registry=SimpleCertificateStore.from_certs(identity.chain),  # type: ignore[no-untyped-call]
        )
        self._identity = identity

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        key = self._identity.private_key
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, RSAPrivateKey):
            return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)  # other keys: pyHanko's own way


def sign_pdf(pdf: bytes, identity: SigningIdentity, *, reason: str, location: str = "") -> bytes:
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    pdf_signer = signers.PdfSigner(meta, IdentitySigner(identity))
    output = run(pdf_signer.async_sign_pdf(writer, output=io.BytesIO()))
    return output.getvalue()  # type: ignore[no-any-return]
