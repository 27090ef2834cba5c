"""Transcribed sheets are analysed by the same rules as an electronic record, and say so."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from control.paper.sheet import DailySheet, Mark, grid_from_periods
from control.paper.transcription import ON_PAPER, analyze_sheets, record_from_sheets
from control.record.model import Driver, Employer, Sector

A, B, D = Mark.DRIVING, Mark.WORK, Mark.REST
DRIVER = Driver("D-0001", "Martin", "Léa", date(1990, 1, 1))  # synthetic
EMPLOYER = Employer("298412974", "Fret Vercors", Sector.GOODS_REGIONAL)
CONTROL = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)


def day_sheet(day: date, *drawn: tuple[Mark, int, int]) -> DailySheet:
    grid = grid_from_periods([(m, time(s), time(e % 24)) for m, s, e in drawn])
    return DailySheet(day, grid, signed_by_driver=True)


def normal(day: date) -> DailySheet:
    return day_sheet(day, (D, 0, 7), (A, 7, 11), (D, 11, 12), (B, 12, 15), (D, 15, 24))


def long_day(day: date) -> DailySheet:  # 13 h of work: daily maximum 12 h
    return day_sheet(day, (D, 0, 5), (A, 5, 11), (D, 11, 12), (A, 12, 19), (D, 19, 24))


def days_before(n: int) -> date:
    return CONTROL.date() - timedelta(days=n)


def test_sheets_without_breach_give_no_finding() -> None:
    sheets = [normal(days_before(n)) for n in range(1, 6)]
    result = analyze_sheets(sheets, DRIVER, EMPLOYER, CONTROL)
    assert result.analysis.findings == ()
    assert len(result.record.days) == 5


def test_a_breach_on_a_sheet_is_found_and_marked_as_transcribed() -> None:
    sheets = [normal(days_before(3)), long_day(days_before(2)), normal(days_before(1))]
    result = analyze_sheets(sheets, DRIVER, EMPLOYER, CONTROL)
    [finding] = [f for f in result.analysis.findings if f.rule.id == "daily-work"]
    assert finding.dates == (days_before(2),)
    assert finding.figures["excess_minutes"] == 60
    assert finding.explanation.endswith(f"({ON_PAPER})")


def test_no_live_entry_finding_on_paper() -> None:
    result = analyze_sheets([normal(days_before(1))], DRIVER, EMPLOYER, CONTROL)
    assert all(f.rule.id != "no-live-entry" for f in result.analysis.findings)


def test_only_the_28_days_up_to_the_control_form_the_record() -> None:
    sheets = [normal(days_before(40)), normal(days_before(27)), normal(days_before(1))]
    record = record_from_sheets(sheets, DRIVER, EMPLOYER, CONTROL.date())
    assert [d.date for d in record.days] == [days_before(27), days_before(1)]


def test_sheet_totals_mismatches_are_listed_per_day() -> None:
    sheet = normal(days_before(1))
    wrong = DailySheet(sheet.day, sheet.grid, type(sheet.totals)(driving=60))
    result = analyze_sheets([wrong], DRIVER, EMPLOYER, CONTROL)
    assert [m.code for m in result.mismatches[wrong.day]] == ["total-A"]
