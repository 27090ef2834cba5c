"""A PDF's page boxes are read before anything is rendered: a huge page costs nothing."""

from __future__ import annotations

import io
from typing import Any

import pypdfium2
import pytest

from control.bulletins.keys import service_key
from control.services.bounds import MAX_PDF_PAGES, bounded_check_pdf
from control.services.errors import RefusedError


def pdf_of(*pages: tuple[float, float]) -> bytes:
    document = pypdfium2.PdfDocument.new()
    for width, height in pages:
        document.new_page(width, height)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The longest side of every page rendered."""
    sides: list[float] = []
    render = pypdfium2.PdfPage.render

    def spy(page: pypdfium2.PdfPage, **options: Any) -> Any:
        sides.append(max(page.get_size()))
        return render(page, **options)

    monkeypatch.setattr(pypdfium2.PdfPage, "render", spy)
    return sides


def test_a_page_over_the_bound_is_refused_unrendered(rendered: list[float], tmp_path: Any) -> None:
    keys = [service_key(tmp_path).public]
    with pytest.raises(RefusedError, match="mesure 595 × 3000 points : 1000 au plus"):
        bounded_check_pdf(pdf_of((595, 842), (595, 3000)), keys, 1000)
    assert rendered == []


def test_too_many_pages_are_refused_unrendered(rendered: list[float], tmp_path: Any) -> None:
    keys = [service_key(tmp_path).public]
    with pytest.raises(RefusedError, match="trop de pages"):
        bounded_check_pdf(pdf_of(*[(595, 842)] * (MAX_PDF_PAGES + 1)), keys, 1000)
    assert rendered == []


def test_an_a4_page_is_checked(rendered: list[float], tmp_path: Any) -> None:
    checked = bounded_check_pdf(pdf_of((595, 842)), [service_key(tmp_path).public], 1000)
    assert not checked.valid  # no code on a blank page: said, not refused
    assert rendered == [842]
