"""The stored form of a transcribed sheet: plain JSON, the grid as a 96-letter string."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from control.paper.sheet import QUARTERS, DailySheet, Mark, WrittenTotals

BLANK = "."


class SheetError(ValueError):
    """A transcription that cannot be a sheet; the message is French, for the agent."""


def grid_text(grid: tuple[Mark | None, ...]) -> str:
    return "".join(BLANK if cell is None else cell.value for cell in grid)


def parse_grid(text: str) -> tuple[Mark | None, ...]:
    """`text`: one letter per quarter hour from 00:00, A/B/C/D or `.` where nothing is drawn."""
    if len(text) != QUARTERS:
        raise SheetError(f"La grille doit compter {QUARTERS} quarts d'heure ({len(text)} reçus).")
    letters = {mark.value: mark for mark in Mark}
    try:
        return tuple(None if c == BLANK else letters[c.upper()] for c in text)
    except KeyError as error:
        raise SheetError(f"Lettre inconnue dans la grille : {error.args[0]!r}.") from None


def to_json(sheet: DailySheet) -> dict[str, Any]:
    data = asdict(sheet)
    data["day"] = sheet.day.isoformat()
    data["grid"] = grid_text(sheet.grid)
    return data


def from_json(data: dict[str, Any]) -> DailySheet:
    fields = dict(data)
    fields["day"] = date.fromisoformat(fields["day"])
    fields["grid"] = parse_grid(fields["grid"])
    fields["totals"] = WrittenTotals(**fields["totals"])
    return DailySheet(**fields)
