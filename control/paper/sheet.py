"""A paper LIC daily sheet (arrêté of 6 March 2025, annex II) as the agent transcribes it.

The driver draws his day on a 24-hour grid: driving (A), other work (B), availability (C) and
rest (D), then writes the totals, E being A + B + C. The agent enters the grid in
quarter-hour cells beside the photo; the drawn periods become activities the rules engine
checks, and the written totals are compared with what was drawn, since a sheet whose totals
disagree with its own grid is itself a finding for the controller.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum
from zoneinfo import ZoneInfo

from control.record.model import (
    Activity,
    ActivityType,
    Author,
    DriverValidation,
    Observation,
    Place,
    VehicleUse,
    WorkDay,
)

QUARTERS = 96  # cells of the 24-hour grid
QUARTER = 15  # minutes
DAY_MINUTES = QUARTERS * QUARTER


class Mark(StrEnum):
    """The letters of annex II's grid."""

    DRIVING = "A"
    WORK = "B"
    AVAILABILITY = "C"
    REST = "D"


ACTIVITY = {
    Mark.DRIVING: ActivityType.DRIVING,
    Mark.WORK: ActivityType.WORK,
    Mark.AVAILABILITY: ActivityType.AVAILABILITY,
}
SERVICE = (Mark.DRIVING, Mark.WORK, Mark.AVAILABILITY)  # what E adds up


@dataclass(frozen=True)
class WrittenTotals:
    """The totals as the driver wrote them, in minutes; None where left blank."""

    driving: int | None = None  # A
    work: int | None = None  # B
    availability: int | None = None  # C
    rest: int | None = None  # D
    service: int | None = None  # E

    def of(self, mark: Mark) -> int | None:
        return {
            Mark.DRIVING: self.driving,
            Mark.WORK: self.work,
            Mark.AVAILABILITY: self.availability,
            Mark.REST: self.rest,
        }[mark]


@dataclass(frozen=True)
class DailySheet:
    """One transcribed sheet. `grid` holds QUARTERS cells from 00:00, None where not drawn."""

    day: date
    grid: tuple[Mark | None, ...]
    totals: WrittenTotals = WrittenTotals()
    start_place: str = ""  # rubrique 3
    end_place: str = ""
    plate: str = ""  # rubriques 8 to 11
    odometer_start: int | None = None
    odometer_end: int | None = None
    observations: str = ""  # rubrique 12
    signed_by_driver: bool = False

    def __post_init__(self) -> None:
        if len(self.grid) != QUARTERS:
            raise ValueError(f"a daily grid has {QUARTERS} quarter hours, not {len(self.grid)}")


@dataclass(frozen=True)
class Period:
    """A run of identical cells: [start, end) in minutes from the day's 00:00."""

    mark: Mark
    start: int
    end: int

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Mismatch:
    """A disagreement on the sheet, in French for the controller."""

    code: str
    message: str
    figures: dict[str, int] = field(default_factory=dict)


def grid_from_periods(periods: Sequence[tuple[Mark, time, time]]) -> tuple[Mark | None, ...]:
    """A grid from (mark, start, end) periods on quarter hours; end 00:00 means midnight."""
    cells: list[Mark | None] = [None] * QUARTERS
    for mark, start, end in periods:
        first, last = _quarter(start), _quarter(end) or QUARTERS
        if last <= first:
            raise ValueError(f"period {start:%H:%M}–{end:%H:%M} ends before it starts")
        cells[first:last] = [mark] * (last - first)
    return tuple(cells)


def _quarter(moment: time) -> int:
    if moment.minute % QUARTER or moment.second or moment.microsecond:
        raise ValueError(f"{moment:%H:%M} is not on a quarter hour")
    return (moment.hour * 60 + moment.minute) // QUARTER


def periods(grid: Sequence[Mark | None]) -> list[Period]:
    """The drawn periods, in order; blank cells are no period."""
    found: list[Period] = []
    for index, mark in enumerate(grid):
        if mark is None:
            continue
        start = index * QUARTER
        if found and found[-1].mark == mark and found[-1].end == start:
            found[-1] = Period(mark, found[-1].start, start + QUARTER)
        else:
            found.append(Period(mark, start, start + QUARTER))
    return found


def drawn_minutes(grid: Sequence[Mark | None]) -> dict[Mark, int]:
    return {mark: sum(QUARTER for cell in grid if cell == mark) for mark in Mark}


def check_totals(sheet: DailySheet) -> list[Mismatch]:
    """Every way the written totals disagree with the grid or with each other."""
    return list(_mismatches(sheet))


def _mismatches(sheet: DailySheet) -> Iterator[Mismatch]:
    drawn = drawn_minutes(sheet.grid)
    written = sheet.totals
    blank = sum(QUARTER for cell in sheet.grid if cell is None)
    if blank:
        yield Mismatch(
            "grid-incomplete",
            f"Grille incomplète : {_hm(blank)} sans activité ni repos tracé.",
            {"blank_minutes": blank},
        )
    against_grid = [(mark.value, written.of(mark), drawn[mark]) for mark in Mark]
    against_grid.append(("E", written.service, sum(drawn[mark] for mark in SERVICE)))
    for letter, value, traced in against_grid:
        if value is not None and value != traced:
            yield Mismatch(
                f"total-{letter}",
                f"Total {letter} écrit {_hm(value)}, tracé {_hm(traced)}.",
                {"written_minutes": value, "drawn_minutes": traced},
            )
    service = [written.of(mark) for mark in SERVICE]
    if written.service is not None and None not in service:
        added = sum(value or 0 for value in service)
        if written.service != added:
            yield Mismatch(
                "total-E-sum",
                f"E écrit {_hm(written.service)} au lieu de A + B + C = {_hm(added)}.",
                {"written_minutes": written.service, "sum_minutes": added},
            )
    every = [written.of(mark) for mark in Mark]
    if None not in every and (day := sum(value or 0 for value in every)) != DAY_MINUTES:
        yield Mismatch(
            "total-day",
            f"A + B + C + D écrits font {_hm(day)} au lieu de 24 h.",
            {"sum_minutes": day},
        )


def to_work_day(sheet: DailySheet, employer: str, zone: ZoneInfo) -> WorkDay | None:
    """The sheet as a record day (None when nothing but rest was drawn). Times are the
    grid's wall-clock times in `zone`, written with the offset in force, like an electronic
    record's."""
    activities = tuple(
        Activity(
            ACTIVITY[period.mark],
            wall_clock(sheet.day, period.start, zone),
            wall_clock(sheet.day, period.end, zone),
            employer,
        )
        for period in periods(sheet.grid)
        if period.mark in ACTIVITY
    )
    if not activities:
        return None
    vehicles: tuple[VehicleUse, ...] = ()
    if sheet.plate:
        vehicles = (VehicleUse(sheet.plate, sheet.odometer_start, sheet.odometer_end),)
    end_of_day = wall_clock(sheet.day, DAY_MINUTES, zone)
    return WorkDay(
        date=sheet.day,
        employer=employer,
        activities=activities,
        start_place=Place("", sheet.start_place) if sheet.start_place else None,
        end_place=Place("", sheet.end_place) if sheet.end_place else None,
        vehicles=vehicles,
        driver_validation=DriverValidation(end_of_day) if sheet.signed_by_driver else None,
        observations=(
            (Observation(Author.DRIVER, end_of_day, sheet.observations),)
            if sheet.observations
            else ()
        ),
    )


def wall_clock(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """The grid's wall-clock minute of `day`, with the offset `zone` has then (on the night
    clocks go back, the first 02:00–03:00 is taken: a paper grid cannot tell them apart)."""
    wall = datetime.combine(day, time()) + timedelta(minutes=minutes)
    offset = wall.replace(tzinfo=zone).utcoffset() or timedelta()
    return wall.replace(tzinfo=timezone(offset))


def _hm(minutes: int) -> str:
    return f"{minutes // 60} h {minutes % 60:02d}"
