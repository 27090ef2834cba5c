"""PDFs rendered apart, joined into one, with an overlay laid on each page (its footer).

A long report is rendered in parts on several cores (WeasyPrint is pure Python, one core
each); no part knows the others' pages, so "page x / n" cannot be in their style sheets. The
parts are joined and each page gets the matching page of an overlay rendered once the count
is known. pypdf merges the overlay's fonts under names of their own.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from pypdf import PdfReader, PdfWriter


def join(parts: Sequence[bytes], overlay: Callable[[int], bytes]) -> bytes:
    """The parts one after the other, page i of `overlay(pages)` drawn over page i. The
    document's information (title, author…) is the first part's."""
    if not parts:
        raise ValueError("no part to join")
    writer = PdfWriter(clone_from=io.BytesIO(parts[0]))
    for part in parts[1:]:
        writer.append(io.BytesIO(part))
    overlays = PdfReader(io.BytesIO(overlay(len(writer.pages)))).pages
    if len(overlays) != len(writer.pages):
        raise ValueError(f"{len(overlays)} overlay pages for {len(writer.pages)} pages")
    for page, over in zip(writer.pages, overlays, strict=True):
        page.merge_page(over)
        page.compress_content_streams()  # merged contents are written out again
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
