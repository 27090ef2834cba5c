"""The transcription form of a paper daily sheet, validated at the edge with French messages.

The grid comes either from the touch hour bar (`grid`: 96 letters) or typed as periods: rows
of start, end and activity (`periode_debut`, `periode_fin`, `periode_activite`, as the page
shows them), or one per line ("A 06:00 09:30", the older text form). Typed periods win, so the
form works without JavaScript. The day is typed in French (JJ/MM/AAAA) or ISO.
"""

from __future__ import annotations

import re
from datetime import date, time

from pydantic import BaseModel, Field, ValidationError, field_validator

from control.paper.json_form import SheetError, parse_grid
from control.paper.sheet import (
    QUARTER,
    QUARTERS,
    DailySheet,
    Mark,
    WrittenTotals,
    grid_from_periods,
)
from control.record.model import Sector
from control.typed_time import DAY_HINT, day_text, parse_clock, parse_day
from web.forms import TEXT_MAX, FormError, french_errors

DURATION = re.compile(r"^(\d{1,2})(?:\s*(?:h|:)\s*(\d{2})?)?$")
PERIOD = re.compile(
    r"^([ABCD])\s+(\d{1,2})[:h](\d{2})\s*(?:-|–|à|\s)\s*(\d{1,2})[:h](\d{2})$", re.IGNORECASE
)
EXAMPLE = "écrivez par exemple « A 06:00 09:30 »"
TOTALS = {"total_a": "driving", "total_b": "work", "total_c": "availability", "total_d": "rest"}
MARK_LABELS = {"A": "Conduite", "B": "Autre travail", "C": "Disponibilité", "D": "Repos"}
MAX_ROWS = QUARTERS  # a period is at least one quarter hour
MISSING_DAY = "Indiquez la date de la feuille (JJ/MM/AAAA)."
END_OF_DAY = re.compile(r"^\s*24\s*[:hH]\s*(00)?\s*$")


class SheetForm(BaseModel):
    day: date
    sector: Sector  # no default: the sector sets the limits, the agent chooses it
    grid: str = Field(default="", max_length=200)
    periodes: str = Field(default="", max_length=TEXT_MAX)
    start_place: str = Field(default="", max_length=TEXT_MAX)
    end_place: str = Field(default="", max_length=TEXT_MAX)
    plate: str = Field(default="", max_length=TEXT_MAX)
    odometer_start: int | None = None
    odometer_end: int | None = None
    total_a: str = Field(default="", max_length=20)
    total_b: str = Field(default="", max_length=20)
    total_c: str = Field(default="", max_length=20)
    total_d: str = Field(default="", max_length=20)
    total_e: str = Field(default="", max_length=20)
    observations: str = Field(default="", max_length=TEXT_MAX)
    signed: bool = False
    photo_id: int | None = None
    periode_debut: list[str] = Field(default=[], max_length=MAX_ROWS)
    periode_fin: list[str] = Field(default=[], max_length=MAX_ROWS)
    periode_activite: list[str] = Field(default=[], max_length=MAX_ROWS)

    @field_validator("day", mode="before")
    @classmethod
    def _french_day(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        if not value.strip():
            raise ValueError(MISSING_DAY)
        try:
            return parse_day(value)
        except ValueError:
            raise ValueError(f"Date de la feuille invalide. {DAY_HINT}.") from None

    @field_validator("odometer_start", "odometer_end", "photo_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("odometer_start", "odometer_end")
    @classmethod
    def _odometer(cls, value: int | None) -> int | None:
        if value is not None and not 0 <= value <= 9_999_999:
            raise ValueError("Kilométrage invalide.")
        return value

    @field_validator("start_place", "end_place", "plate", "periodes", "observations")
    @classmethod
    def _text(cls, value: str) -> str:
        return value.strip()

    @field_validator("total_a", "total_b", "total_c", "total_d", "total_e")
    @classmethod
    def _duration(cls, value: str) -> str:
        if value.strip() and minutes(value) is None:
            raise ValueError("Durée à écrire en heures et minutes, par exemple 7:30 ou 7 h 30.")
        return value.strip()

    def to_sheet(self) -> DailySheet:
        totals = WrittenTotals(
            **{name: minutes(getattr(self, field)) for field, name in TOTALS.items()},
            service=minutes(self.total_e),
        )
        return DailySheet(
            self.day,
            self._grid(),
            totals,
            start_place=self.start_place,
            end_place=self.end_place,
            plate=self.plate.upper(),
            odometer_start=self.odometer_start,
            odometer_end=self.odometer_end,
            observations=self.observations,
            signed_by_driver=self.signed,
        )

    def _grid(self) -> tuple[Mark | None, ...]:
        rows = list(zip(self.periode_debut, self.periode_fin, self.periode_activite, strict=False))
        if any("".join(row).strip() for row in rows):
            return rows_grid(rows)
        if self.periodes:
            return typed_grid(self.periodes)
        if not self.grid:
            return (None,) * QUARTERS
        try:
            return parse_grid(self.grid)
        except SheetError as error:
            raise FormError({"grid": str(error)}) from None


def minutes(value: str) -> int | None:
    """ "7:30", "7 h 30", "7h", "7" (hours) → minutes; None if blank or not a duration."""
    found = DURATION.match(value.strip().lower())
    if not found:
        return None
    hours, rest = int(found[1]), int(found[2] or 0)
    if hours > 24 or rest > 59 or hours * 60 + rest > 24 * 60:
        return None
    return hours * 60 + rest


def typed_grid(text: str) -> tuple[Mark | None, ...]:
    """Periods typed one per line: a letter, a start and an end on quarter hours."""
    periods: list[tuple[Mark, time, time]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        found = PERIOD.match(line.strip())
        if not found:
            raise FormError({"periodes": f"Ligne {number} : {EXAMPLE}."})
        mark, h1, m1, h2, m2 = found.groups()
        try:
            start = time(int(h1), int(m1))
            end = time(0) if (int(h2), int(m2)) == (24, 0) else time(int(h2), int(m2))
            periods.append((Mark(mark.upper()), start, end))
        except ValueError:
            raise FormError({"periodes": f"Ligne {number} : heure invalide."}) from None
    try:
        return grid_from_periods(periods)
    except ValueError as error:
        raise FormError({"periodes": _french(str(error))}) from None


def rows_grid(rows: list[tuple[str, str, str]]) -> tuple[Mark | None, ...]:
    """Periods typed as rows (start, end, activity), each time on the 24-hour clock and
    brought to the nearest quarter hour, the grid's unit; later rows overwrite earlier ones,
    as painting over the grid does. Errors are keyed by the field's id, to show under it."""
    errors: dict[str, str] = {}
    cells: list[Mark | None] = [None] * QUARTERS
    for number, (start_text, end_text, letter) in enumerate(rows, start=1):
        if not (start_text.strip() or end_text.strip() or letter.strip()):
            continue
        start = _row_quarter(start_text, f"periode-debut-{number}", errors, end=False)
        end = _row_quarter(end_text, f"periode-fin-{number}", errors, end=True)
        if letter.strip().upper() not in MARK_LABELS:
            errors[f"periode-activite-{number}"] = f"Période {number} : choisissez l'activité."
        if start is None or end is None or f"periode-activite-{number}" in errors:
            continue
        if end <= start:
            errors[f"periode-fin-{number}"] = (
                f"Période {number} : la fin doit suivre le début d'au moins un quart d'heure."
            )
            continue
        cells[start:end] = [Mark(letter.strip().upper())] * (end - start)
    if errors:
        raise FormError(errors)
    return tuple(cells)


def _row_quarter(text: str, field: str, errors: dict[str, str], *, end: bool) -> int | None:
    """The quarter nearest to a typed time; an end at 00:00 or 24:00 is midnight."""
    name = "Fin" if end else "Début"
    if not text.strip():
        errors[field] = f"{name} : indiquez l'heure (HH:MM)."
        return None
    if end and END_OF_DAY.match(text):
        return QUARTERS
    try:
        moment = parse_clock(text)
    except ValueError as error:
        errors[field] = f"{name} : {error}"
        return None
    quarter = round((moment.hour * 60 + moment.minute) / QUARTER)
    if end and quarter == 0:
        return QUARTERS
    if not end and quarter == QUARTERS:
        errors[field] = "Début : une période ne peut commencer à minuit en fin de journée."
        return None
    return quarter


def _french(message: str) -> str:
    if "quarter" in message:
        return "Les périodes se tracent au quart d'heure (00, 15, 30 ou 45)."
    return "Une période finit avant de commencer."


GENERIC = {"day": MISSING_DAY, "sector": "Choisissez le secteur."}


def parse_sheet_form(data: dict[str, object]) -> tuple[DailySheet, SheetForm]:
    try:
        form = SheetForm.model_validate(data)
    except ValidationError as error:
        raise FormError(french_errors(error.errors(), GENERIC)) from None
    return form.to_sheet(), form


def sheet_values(sheet: DailySheet, sector: Sector, photo_id: int | None) -> dict[str, object]:
    """A stored sheet as the form shows it, to correct it."""
    from control.paper.json_form import grid_text
    from control.paper.sheet import periods

    def hm(value: int | None) -> str:
        return "" if value is None else f"{value // 60}:{value % 60:02d}"

    def clock(minute: int) -> str:
        return f"{minute // 60:02d}:{minute % 60:02d}"

    totals = sheet.totals
    drawn = periods(sheet.grid)
    return {
        "day": day_text(sheet.day),
        "sector": sector.value,
        "grid": grid_text(sheet.grid),
        "periodes": "\n".join(f"{p.mark.value} {clock(p.start)} {clock(p.end)}" for p in drawn),
        "periode_debut": [clock(p.start) for p in drawn],
        "periode_fin": [clock(p.end) for p in drawn],
        "periode_activite": [p.mark.value for p in drawn],
        "start_place": sheet.start_place,
        "end_place": sheet.end_place,
        "plate": sheet.plate,
        "odometer_start": "" if sheet.odometer_start is None else sheet.odometer_start,
        "odometer_end": "" if sheet.odometer_end is None else sheet.odometer_end,
        "total_a": hm(totals.driving),
        "total_b": hm(totals.work),
        "total_c": hm(totals.availability),
        "total_d": hm(totals.rest),
        "total_e": hm(totals.service),
        "observations": sheet.observations,
        "signed": sheet.signed_by_driver,
        "photo_id": "" if photo_id is None else photo_id,
    }
