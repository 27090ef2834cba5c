"""Sign a PDF (a PAdES baseline signature, ETSI.CAdES.detached) by an incremental update.

The rendered PDF's bytes stay as they are (its PDF/A-3b catalogue and attachments included);
the signature covers the whole file. It certifies the document with "no changes allowed", so
a reader flags any later edit, and the service's own check refuses one outright.
"""

from __future__ import annotations

import io

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from control.pades.blocking import run
from control.pades.certs import SigningIdentity

FIELD_NAME = "SignatureControleLIC"


def sign_pdf(pdf: bytes, identity: SigningIdentity, *, reason: str, location: str = "") -> bytes:
    signer = signers.SimpleSigner(
        signing_cert=identity.cert,
        signing_key=identity.key,
        cert_registry=SimpleCertificateStore.from_certs(identity.chain),  # type: ignore[no-untyped-call]
    )
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
    pdf_signer = signers.PdfSigner(meta, signer)
    output = run(pdf_signer.async_sign_pdf(writer, output=io.BytesIO()))
    return output.getvalue()  # type: ignore[no-any-return]
