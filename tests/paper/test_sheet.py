"""A paper daily sheet: the drawn grid becomes periods; written totals are checked against it."""

from __future__ import annotations

from datetime import UTC, date, time, timedelta

import pytest

from control.paper.sheet import (
    QUARTERS,
    DailySheet,
    Mark,
    Period,
    WrittenTotals,
    check_totals,
    grid_from_periods,
    periods,
    to_work_day,
)
from control.paper.transcription import PARIS
from control.record.model import ActivityType

A, B, C, D = Mark.DRIVING, Mark.WORK, Mark.AVAILABILITY, Mark.REST
DAY = date(2026, 11, 17)


def sheet(*drawn: tuple[Mark, str, str], **totals: int) -> DailySheet:
    hours = [(m, time.fromisoformat(s), time.fromisoformat(e)) for m, s, e in drawn]
    grid = grid_from_periods(hours)
    return DailySheet(DAY, grid, WrittenTotals(**totals))


WORKING_DAY = (
    (D, "00:00", "06:00"),
    (A, "06:00", "09:30"),
    (D, "09:30", "10:15"),
    (B, "10:15", "12:00"),
    (C, "12:00", "12:30"),
    (A, "12:30", "16:00"),
    (D, "16:00", "00:00"),
)


def test_the_grid_gives_its_periods_in_order() -> None:
    drawn = periods(sheet(*WORKING_DAY).grid)
    assert drawn[:3] == [Period(D, 0, 360), Period(A, 360, 570), Period(D, 570, 615)]
    assert [p.mark for p in drawn] == [D, A, D, B, C, A, D]
    assert sum(p.minutes for p in drawn) == 24 * 60


def test_adjacent_cells_of_one_mark_are_one_period() -> None:
    drawn = periods(sheet((A, "06:00", "07:00"), (A, "07:00", "08:15")).grid)
    assert drawn == [Period(A, 360, 495)]


def test_blank_cells_are_no_period() -> None:
    drawn = periods(sheet((A, "06:00", "07:00"), (A, "08:00", "09:00")).grid)
    assert drawn == [Period(A, 360, 420), Period(A, 480, 540)]


def test_a_period_off_the_quarter_hours_is_refused() -> None:
    with pytest.raises(ValueError, match="quarter"):
        grid_from_periods([(A, time(6, 10), time(7, 0))])


def test_a_grid_must_hold_the_whole_day() -> None:
    with pytest.raises(ValueError, match="96"):
        DailySheet(DAY, (A,) * (QUARTERS - 1))


def test_totals_that_match_the_drawing_raise_nothing() -> None:
    right = sheet(*WORKING_DAY, driving=420, work=105, availability=30, rest=885, service=555)
    assert check_totals(right) == []


def test_a_written_total_differing_from_the_drawing_is_shown() -> None:
    wrong = sheet(*WORKING_DAY, driving=360, work=105, availability=30, rest=945, service=495)
    codes = {m.code: m for m in check_totals(wrong)}
    assert codes["total-A"].figures == {"written_minutes": 360, "drawn_minutes": 420}
    assert "Total A écrit 6 h 00, tracé 7 h 00" in codes["total-A"].message
    assert "total-E-sum" not in codes  # E = A + B + C holds among the written figures


def test_e_must_be_a_plus_b_plus_c() -> None:
    wrong = sheet(*WORKING_DAY, driving=420, work=105, availability=30, rest=885, service=525)
    codes = {m.code for m in check_totals(wrong)}
    assert codes == {"total-E-sum", "total-E"}


def test_the_four_written_totals_must_make_24_hours() -> None:
    wrong = sheet(*WORKING_DAY, driving=420, work=105, availability=30, rest=840)
    codes = {m.code: m for m in check_totals(wrong)}
    assert codes["total-day"].figures == {"sum_minutes": 1395}


def test_an_incomplete_grid_is_shown() -> None:
    partial = sheet((A, "06:00", "09:30"))
    [mismatch] = check_totals(partial)
    assert (mismatch.code, mismatch.figures) == ("grid-incomplete", {"blank_minutes": 1230})


def test_the_sheet_becomes_a_day_of_activities_without_its_rest() -> None:
    day = to_work_day(sheet(*WORKING_DAY), "298412974", PARIS)
    assert day is not None
    assert [a.type for a in day.activities] == [
        ActivityType.DRIVING,
        ActivityType.WORK,
        ActivityType.AVAILABILITY,
        ActivityType.DRIVING,
    ]
    first = day.activities[0]
    assert first.start.astimezone(UTC).hour == 5  # 06:00 in Paris in November
    assert first.duration == timedelta(hours=3, minutes=30)


def test_a_day_of_rest_only_is_no_work_day() -> None:
    assert to_work_day(sheet((D, "00:00", "00:00")), "298412974", PARIS) is None


def test_a_sheet_survives_its_stored_form() -> None:
    from control.paper.json_form import from_json, to_json

    original = DailySheet(
        DAY,
        sheet(*WORKING_DAY).grid,
        WrittenTotals(driving=420, service=555),
        start_place="Lyon",
        plate="AB-123-CD",
        odometer_start=1200,
        odometer_end=1450,
        observations="Attente au quai",
        signed_by_driver=True,
    )
    stored = to_json(original)
    assert stored["grid"][:24] == "D" * 24
    assert from_json(stored) == original


@pytest.mark.parametrize(
    ("text", "message"),
    [("A" * 95, "96 quarts"), ("A" * 95 + "X", "Lettre inconnue")],
)
def test_a_malformed_grid_is_refused_in_french(text: str, message: str) -> None:
    from control.paper.json_form import SheetError, parse_grid

    with pytest.raises(SheetError, match=message):
        parse_grid(text)
