"""Cells of every CSV and workbook the app writes, never a formula.

A company's file names and records, and any text an agent types, end up in exports opened by
a spreadsheet program, which runs a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
return as a formula (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`). Following OWASP's CSV injection
guidance, such a text is prefixed with a single quote; in a workbook the cell is also typed as
text. Numbers, dates and booleans are real values and stay as they are (a negative number is
still a number).
"""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral_text(value: object) -> object:
    """The value, or a text that cannot start a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(row: Iterable[object]) -> list[object]:
    """A row for `csv.writer`: every text cell neutralised."""
    return [neutral_text(v) for v in row]


class TextSafeSheet:
    """A write-only sheet whose `append` neutralises every text cell and types it as a string,
    so openpyxl never stores it as a formula, and drops the control characters it refuses."""

    def __init__(self, book: Workbook, title: str) -> None:
        self.sheet = book.create_sheet(title)

    def append(self, row: Iterable[object]) -> None:
        cells: list[object] = []
        for value in row:
            if isinstance(value, str):
                # control characters a workbook cannot hold (XML 1.0's) would stop the export
                text = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell = WriteOnlyCell(self.sheet, value=neutral_text(text))
                cell.data_type = "s"
                cells.append(cell)
            else:
                cells.append(value)
        self.sheet.append(cells)
