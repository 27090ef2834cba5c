"""Is this bulletin PDF genuine? Its PAdES signature says so, and carries every field.

The PDF is accepted only when its one signature covers every byte of it (nothing appended
after signing, not even a change a certification would permit), its digest holds, and its
certificate chains to one of the service's roots (control.pades.validate). The fields shown
are then read from the bulletin's JSON attached inside those signed bytes, never from the
printed text. No page is rendered: the check's work is bounded by the file's size, itself
bounded before anything is parsed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader

from control.bulletins.model import Bulletin
from control.bulletins.pdf import DATA_NAME
from control.bulletins.serialize import from_json
from control.pades.validate import Refused, validate

DEFAULT_MAX_BYTES = 15_000_000  # Settings.max_upload_bytes' default
AUTHENTIC = "Bulletin authentique : PDF signé par le service et non modifié depuis."
NOT_A_BULLETIN = "Ce PDF signé par le service n'est pas un bulletin de contrôle."


@dataclass(frozen=True)
class PdfCheck:
    valid: bool
    reason: str  # French, for the screen and the CLI
    signer: str = ""
    signed_at: datetime | None = None
    bulletin: Bulletin | None = None  # every signed field, when valid


def check_pdf(
    pdf: bytes, roots: Sequence[asn1_x509.Certificate], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> PdfCheck:
    """Never raises. `roots`: the certificates a genuine bulletin's signer chains to."""
    signed = validate(pdf, roots, max_bytes=max_bytes)
    if isinstance(signed, Refused):
        return PdfCheck(False, signed.reason)
    bulletin = _attached_bulletin(signed.reader)
    if bulletin is None:
        return PdfCheck(False, NOT_A_BULLETIN, signed.signer, signed.signed_at)
    return PdfCheck(True, AUTHENTIC, signed.signer, signed.signed_at, bulletin)


def _attached_bulletin(reader: PdfFileReader) -> Bulletin | None:
    """The bulletin's JSON attachment, from a file already known to be ours and whole."""
    try:
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
        for i in range(0, len(names) - 1, 2):  # [name, file spec, name, file spec, …]
            if str(names[i]) == DATA_NAME:
                data: Any = json.loads(names[i + 1]["/EF"]["/F"].data)
                return from_json(data)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return None


def check_pdf_in_process(pdf: bytes, roots_der: Sequence[bytes], max_bytes: int) -> PdfCheck:
    """`check_pdf` for a pool of processes: asn1crypto certificates lose their parsed state
    when pickled (pyHanko then fails on them), their DER crosses intact."""
    roots = [asn1_x509.Certificate.load(der) for der in roots_der]
    return check_pdf(pdf, roots, max_bytes=max_bytes)
