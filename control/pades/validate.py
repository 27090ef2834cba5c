"""Is this PDF signed, untouched since, by a certificate under one of our roots?

Refused: no signature, more than one, any byte after the signed ones (an incremental update,
even one a certification would permit), a broken digest, a signer outside our roots. The
size is bounded before anything is parsed; no page is ever rendered.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from control.pades.blocking import run

NO_SIGNATURE = "Ce PDF ne porte aucune signature : ce n'est pas un document émis par le service."
MODIFIED = "Ce PDF a été modifié après sa signature."
BROKEN = "Signature invalide : le contenu signé a été modifié ou la signature est altérée."
UNKNOWN_SIGNER = "Signé par un certificat que le service ne reconnaît pas."
DAMAGED = "Fichier PDF endommagé ou illisible."
NO_ROOTS = "Aucune autorité de confiance n'est configurée pour vérifier les PDF signés."


@dataclass(frozen=True)
class Signed:
    """A PDF whose one signature covers all of it, by a trusted signer."""

    reader: PdfFileReader
    signer: str  # the certificate's subject, as a person reads it
    signed_at: datetime | None  # the time the signer states (no timestamp authority)


@dataclass(frozen=True)
class Refused:
    reason: str  # French, for the screen and the CLI


def too_large(size: int, max_bytes: int) -> Refused | None:
    if size <= max_bytes:
        return None
    return Refused(f"PDF trop volumineux : {max_bytes // 1_000_000} Mo au plus.")


def _quiet_library_logs() -> None:
    """pyHanko logs each failed check with its traceback (25 lines for a PDF signed by an
    unknown certificate): anyone could fill the server's log with public uploads. The
    refusal's reason is in the verdict; only the library's own failures are logged."""
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def validate(
    pdf: bytes, roots: Sequence[asn1_x509.Certificate], *, max_bytes: int
) -> Signed | Refused:
    """Never raises: hostile input is refused with the reason."""
    _quiet_library_logs()  # here, not at import: also in the public pool's processes
    if refused := too_large(len(pdf), max_bytes):
        return refused
    if not roots:
        return Refused(NO_ROOTS)
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_regular_signatures
    except Exception:  # a hostile file can fail the parser in any way: it is refused, not fatal
        return Refused(DAMAGED)
    if not signatures:
        return Refused(NO_SIGNATURE)
    if len(signatures) > 1 or len(reader.embedded_signatures) > 1:
        return Refused(MODIFIED)
    signature = signatures[0]
    try:
        if signature.evaluate_signature_coverage() != SignatureCoverageLevel.ENTIRE_FILE:
            return Refused(MODIFIED)
        context = ValidationContext(trust_roots=list(roots), allow_fetching=False)
        status: PdfSignatureStatus = run(
            async_validate_pdf_signature(
                signature,
                context,
                key_usage_settings=KeyUsageConstraints(key_usage={"non_repudiation"}),
                skip_diff=True,  # the signature covers the whole file: nothing to compare
            )
        )
    except SignatureValidationError:
        return Refused(BROKEN)
    except Exception:  # as above: a malformed signature dictionary or CMS structure
        return Refused(DAMAGED)
    if not (status.intact and status.valid):
        return Refused(BROKEN)
    if not status.trusted:
        return Refused(UNKNOWN_SIGNER)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return Refused(MODIFIED)
    return Signed(reader, _who(status.signing_cert), status.signer_reported_dt)


def _who(certificate: asn1_x509.Certificate) -> str:
    """'Common name, organisation', as a reader's signature panel says it."""
    subject = certificate.subject.native
    parts = [subject.get("common_name"), subject.get("organization_name")]
    name, organisation = (p if isinstance(p, str) else None for p in parts)
    if name and organisation:
        return f"{name}, {organisation}"
    return name or organisation or certificate.subject.human_friendly
