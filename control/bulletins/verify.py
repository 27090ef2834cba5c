"""Is this bulletin genuine? From its code's text, or from the PDF itself.

For a PDF, the code is read from the rendered first page (as a phone would), its signature
checked, then the printed text is compared with the signed fields: a PDF edited after issue
(driver's name, infractions…) keeps a genuine code but no longer matches it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pypdfium2
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from control.bulletins.signing import PREFIX, BulletinCheck, check_code
from control.capture.decode import scan
from control.verify.keys import PublicKey

RENDER_SCALE = 3.0  # ≈ 216 dpi: the code's modules are well above 3 px


@dataclass(frozen=True)
class PdfCheck:
    check: BulletinCheck
    mismatches: tuple[str, ...] = ()  # signed fields not found in the printed text

    @property
    def valid(self) -> bool:
        return self.check.valid and not self.mismatches


def code_in_pdf(pdf: bytes) -> str | None:
    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError:
        return None
    try:
        if len(document) == 0:
            return None
        image = document[0].render(scale=RENDER_SCALE, grayscale=True).to_pil()
    finally:
        document.close()
    gray = np.asarray(image.convert("L"), dtype=np.uint8)
    return next((c.text for c in scan(gray) if c.text.startswith(PREFIX)), None)


def printed_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(page.extract_text() or "" for page in reader.pages)


def check_pdf(pdf: bytes, keys: Sequence[PublicKey]) -> PdfCheck:
    code = code_in_pdf(pdf)
    if code is None:
        return PdfCheck(BulletinCheck(False, "Aucun code de vérification lisible dans ce PDF."))
    result = check_code(code, keys)
    if not result.valid or result.fields is None:
        return PdfCheck(result)
    try:
        text = _normalised(printed_text(pdf))
    except (PdfReadError, ValueError, OSError):
        return PdfCheck(result, ("texte du PDF illisible",))
    fields = result.fields
    expected = {
        "numéro": fields.number,
        "conducteur": fields.driver,
        "entreprise": fields.company,
        "immatriculation": fields.plate,
        **{f"NATINF {n}": n for n in fields.natinf},
    }
    mismatches = tuple(name for name, value in expected.items() if _normalised(value) not in text)
    rows = len(re.findall(r"\b\d{4,5}\b", text))
    if rows < len(fields.natinf):
        mismatches += ("nombre d'infractions",)
    return PdfCheck(result, mismatches)


def _normalised(text: str) -> str:
    return " ".join(text.split())
