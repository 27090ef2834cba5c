"""Transcribed paper sheets as a record, analysed by the same rules as an electronic LIC.

The record is unsigned: whatever the rules find rests on the agent's transcription of the
driver's drawing, and says so ("sur transcription du livret papier").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from control.paper.sheet import DailySheet, Mismatch, check_totals, to_work_day
from control.record.model import WINDOW_DAYS, Driver, Employer, Record, Sector
from control.rules.engine import analyze
from control.rules.findings import Analysis

PARIS = ZoneInfo("Europe/Paris")
ON_PAPER = "sur transcription du livret papier"


@dataclass(frozen=True)
class PaperAnalysis:
    record: Record
    analysis: Analysis  # explanations end with ON_PAPER
    mismatches: dict[date, list[Mismatch]]  # per sheet, its totals against its grid


def record_from_sheets(
    sheets: Iterable[DailySheet], driver: Driver, employer: Employer, control_day: date
) -> Record:
    """The sheets of the 28 days up to `control_day`, as a record of the driver's employer."""
    start = control_day - timedelta(days=WINDOW_DAYS - 1)
    chosen = sorted((s for s in sheets if start <= s.day <= control_day), key=lambda s: s.day)
    days = [to_work_day(sheet, employer.siren, PARIS) for sheet in chosen]
    return Record(driver, (employer,), start, tuple(day for day in days if day is not None))


def analyze_sheets(
    sheets: Iterable[DailySheet], driver: Driver, employer: Employer, at: datetime
) -> PaperAnalysis:
    listed = list(sheets)
    record = record_from_sheets(listed, driver, employer, at.astimezone(PARIS).date())
    analysis = analyze(record, at, live_entry=False)
    marked = tuple(
        replace(finding, explanation=f"{finding.explanation} ({ON_PAPER})")
        for finding in analysis.findings
    )
    mismatches = {sheet.day: found for sheet in listed if (found := check_totals(sheet))}
    return PaperAnalysis(record, replace(analysis, findings=marked), mismatches)


def parties(driver_name: str, siren: str, company: str, sector: Sector) -> tuple[Driver, Employer]:
    """The control's driver and company as a record names them (a paper LIC gives neither
    driver id nor birth date to the analysis, which needs none)."""
    return Driver("", driver_name, "", date.min), Employer(siren, company, sector)
