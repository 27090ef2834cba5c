"""Bounds checked before heavy work, on what a file declares about itself.

An image's header and a PDF's page boxes cost nothing to read; what they announce decides
the cost of decoding or rendering. A file over a bound is refused before that work starts
(a 7 000 × 7 000 PNG of 12 kB, a PDF page of 3 000 pt rendered at 216 dpi: seconds of CPU
and a gigabyte each). Image pixels are bounded in `control.capture.images.open_image`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pypdfium2

from control.bulletins.verify import PdfCheck, check_pdf
from control.services.errors import RefusedError
from control.verify.keys import PublicKey

MAX_PDF_PAGES = 200  # a bulletin with every photo of its control annexed stays far below


def check_pdf_pages(pdf: bytes, max_points: int) -> None:
    """RefusedError if a page's box is over `max_points` a side, or the pages too many. A
    file PDFium cannot open passes: nothing of it will be rendered (its check says so)."""
    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError:
        return
    try:
        if len(document) > MAX_PDF_PAGES:
            raise RefusedError(f"Ce PDF a trop de pages ({MAX_PDF_PAGES} au plus).")
        for index in range(len(document)):
            page = document[index]
            try:
                width, height = page.get_size()
            finally:
                page.close()
            if max(width, height) > max_points or min(width, height) <= 0:
                raise RefusedError(
                    f"Une page de ce PDF mesure {width:.0f} × {height:.0f} points : "
                    f"{max_points} au plus (un bulletin est au format A4)."
                )
    finally:
        document.close()


def bounded_check_pdf(pdf: bytes, keys: Sequence[PublicKey], max_points: int) -> PdfCheck:
    """The bulletin check of a PDF, its page boxes bounded first: a huge page is refused
    before it is rendered. Picklable, for a pool of processes."""
    check_pdf_pages(pdf, max_points)
    return check_pdf(pdf, keys)
