"""Parts joined in order, each page under the overlay's page of the same rank."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter

from control.pdf_join import join


def blank(pages: int, width: int = 595) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=width, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_parts_follow_each_other_and_the_overlay_is_asked_for_their_count() -> None:
    asked: list[int] = []

    def overlay(pages: int) -> bytes:
        asked.append(pages)
        return blank(pages)

    joined = PdfReader(io.BytesIO(join([blank(2, 500), blank(3, 600)], overlay)))
    assert asked == [5]
    assert [int(p.mediabox.width) for p in joined.pages] == [500, 500, 600, 600, 600]


def test_an_overlay_of_another_length_is_refused() -> None:
    with pytest.raises(ValueError, match="4 overlay pages for 5 pages"):
        join([blank(2), blank(3)], lambda pages: blank(pages - 1))
