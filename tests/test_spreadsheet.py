"""Workbook cells take any text the app holds: an agent's, an issuer's, a company's file."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from control.spreadsheet import TextSafeSheet


def test_control_characters_a_workbook_cannot_hold_are_dropped_not_a_crash() -> None:
    book = Workbook(write_only=True)
    sheet = TextSafeSheet(book, "Contrôles")
    sheet.append(["Saint\x01-Étienne\x0b", "=1+1\x1f", 3])
    saved = io.BytesIO()
    book.save(saved)
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert rows == [("Saint-Étienne", "'=1+1", 3)]
