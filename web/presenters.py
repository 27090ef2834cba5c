"""Verification results shaped for the screen: French wording, a row per day, bar geometry.

Pure functions from domain objects to small dataclasses; templates only lay them out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from control.record.model import Activity, ActivityType, Record, WorkDay
from control.rules import Analysis, Finding, day_totals
from control.rules.catalogue import SECTOR_LABELS
from control.rules.french import ACTIVITY_LABELS, VERSION_LABELS, duration
from control.rules.timeline import MINUTE, PARIS, midnight, paris_clock
from control.services.checking import Checked
from control.verify.mobilic import MobilicCode
from control.verify.verdicts import Verdict, Verification, Warning
from control.verify.wording import MOBILIC, VERDICTS, WARNINGS

FLAG_LABELS = {
    "not-validated": "jour non validé par le conducteur",
    "validated-automatically": "validé automatiquement",
    "changed-by-employer": "modifié par l'employeur",
    "in-progress": "journée en cours",
    "partial-week": "semaine vue en partie",
    "suggested": "à confirmer par l'agent",
}


@dataclass(frozen=True, slots=True)
class Segment:
    kind: ActivityType
    left: int  # minutes since the day's midnight (times are recorded to the minute)
    width: int  # minutes
    title: str  # "Conduite 06:00–10:38 (4 h 38)": listed as text on a tap


@dataclass
class DayRow:
    day: date
    anchor: str
    length: int = 1440  # minutes in the day: 1380 or 1500 when the clock changes
    segments: list[Segment] = field(default_factory=list)
    original: list[Segment] = field(default_factory=list)  # the driver's version, if amended
    work_minutes: int = 0
    places: str = ""
    vehicles: list[str] = field(default_factory=list)
    validation: list[str] = field(default_factory=list)
    observations: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # the employer's, as text
    findings: list[Finding] = field(default_factory=list)
    in_progress: bool = False
    continues: date | None = None  # drawn here, but part of the service begun that day
    empty_label: str = "Aucune activité"

    @property
    def empty(self) -> bool:
        return not self.segments


@dataclass(frozen=True)
class VerdictView:
    verdict: Verdict
    ok: bool
    title: str
    advice: str
    warnings: list[str]
    issuer: str
    age: str


def verdict_view(result: Verification, now: datetime, seen_in: list[int]) -> VerdictView:
    title, advice = VERDICTS[result.verdict]
    warnings = [WARNINGS[w] for w in result.warnings]
    warnings += seen_warning(seen_in)
    issuer = ""
    if result.issuer:
        issuer = f"{result.issuer_name or result.issuer} ({result.issuer})"
    return VerdictView(
        result.verdict, result.valid, title, advice, warnings, issuer, _age(result.iat, now)
    )


def seen_warning(seen_in: list[int]) -> list[str]:
    """The code was shown before: in which controls."""
    if not seen_in:
        return []
    numbers = ", ".join(f"n° {n}" for n in seen_in)
    return [f"Ce code a déjà été présenté lors d'un autre contrôle ({numbers})."]


def _age(iat: datetime | None, now: datetime) -> str:
    if iat is None:
        return ""
    seconds = int((now - iat).total_seconds())
    if seconds < 0:
        return "dans le futur"
    if seconds < 60:
        return "à l'instant"
    if seconds < 3600:
        return f"il y a {seconds // 60} min"
    if seconds < 48 * 3600:
        return f"il y a {seconds // 3600} h {seconds % 3600 // 60:02d}"
    return f"il y a {seconds // 86400} jours"


@dataclass(frozen=True, slots=True)
class _Period:
    """An activity on the unix axis, worded once however many dates it is drawn on."""

    kind: ActivityType
    start: int
    end: int
    title: str


def _worded(activities: tuple[Activity, ...], now: datetime) -> list[_Period]:
    now_unix = int(now.timestamp())
    periods = []
    for activity in activities:
        start = int(activity.start.timestamp())
        end = now_unix if activity.end is None else int(activity.end.timestamp())
        lasted = duration(int(((activity.end or now) - activity.start).total_seconds()))
        label = ACTIVITY_LABELS[activity.type]
        title = f"{label} {_clock(activity.start)}–{_until(activity)} ({lasted})"
        periods.append(_Period(activity.type, start, end, title))
    return periods


def _segments(periods: list[_Period], day: date) -> list[Segment]:
    start, end = midnight(day), midnight(day + timedelta(days=1))
    result = []
    for period in periods:
        low, high = max(period.start, start), min(period.end, end)
        if high > low:
            left = (low - start) // MINUTE
            result.append(Segment(period.kind, left, (high - start) // MINUTE - left, period.title))
    return result


class Origin(StrEnum):
    """Where the days come from: it says what a day without activity and a validation mean."""

    RECORD = "record"  # a signed LIC: validated by the driver and the employer
    PAPER = "paper"  # the agent's transcription of a paper LIC's sheets
    PLAN = "plan"  # a service schedule's plan, which nobody validates


EMPTY_LABELS = {
    Origin.RECORD: "Aucune activité",
    Origin.PAPER: "Pas de feuille transcrite",
    Origin.PLAN: "Pas de service prévu",
}


def day_rows(
    record: Record,
    analysis: Analysis | None,
    now: datetime,
    origin: Origin = Origin.RECORD,
    *,
    totals: Mapping[date, int] | None = None,
) -> list[DayRow]:
    """One row per date of the 28-day window, newest first; days without activity too.
    `totals`: the analysis's day totals when it was made as of `now` (else counted here)."""
    rows = {}
    for i in range((record.window_end - record.window_start).days + 1):
        day = record.window_start + timedelta(days=i)
        length = (midnight(day + timedelta(days=1)) - midnight(day)) // MINUTE
        rows[day] = DayRow(day, f"jour-{day.isoformat()}", length, empty_label=EMPTY_LABELS[origin])
    for work_day in record.days:
        _fill(rows, work_day, now, origin)
    # the totals are the rules engine's own service days, as of the same moment
    if totals is None:
        totals = day_totals(record, now)
    for label, minutes in totals.items():
        if label in rows:
            rows[label].work_minutes = minutes
    for row in rows.values():
        if row.segments and row.day not in totals:  # drawn here, counted on the day it began
            row.continues = max((d for d in totals if d < row.day), default=None)
    if analysis is not None:
        for finding in analysis.findings:
            for d in finding.dates:
                if d in rows:
                    rows[d].findings.append(finding)
    return [rows[d] for d in sorted(rows, reverse=True)]


def _fill(rows: dict[date, DayRow], work_day: WorkDay, now: datetime, origin: Origin) -> None:
    first = work_day.start.astimezone(PARIS).date()
    last = (work_day.end or now).astimezone(PARIS).date()
    periods = _worded(work_day.activities, now)
    original = _worded(work_day.driver_activities, now) if work_day.driver_activities else []
    current = first
    while current <= last:
        row = rows.get(current)
        if row is not None:
            row.segments += _segments(periods, current)
            row.original += _segments(original, current)
            row.in_progress = row.in_progress or work_day.in_progress
        current += timedelta(days=1)
    row = rows.get(first)
    if row is None:
        return
    start = work_day.start_place.label or work_day.start_place.insee if work_day.start_place else ""
    end = work_day.end_place.label or work_day.end_place.insee if work_day.end_place else ""
    row.places = " → ".join(p for p in (start, end) if p)
    for vehicle in work_day.vehicles:
        distance = f", {vehicle.distance} km" if vehicle.distance is not None else ""
        row.vehicles.append(f"{vehicle.plate}{distance}")
    row.validation = VALIDATION_LABELS.get(origin) or _validation(work_day)
    row.changes += employer_changes(work_day)
    row.observations += [
        f"{'Conducteur' if o.author.value == 'driver' else 'Employeur'} : {o.text}"
        for o in work_day.observations
    ]


def _clock(moment: datetime) -> str:
    return paris_clock(int(moment.timestamp()))


def employer_changes(day: WorkDay) -> list[str]:
    """What the employer changed in the driver's version of the day, as an agent reads it
    out: "Conduite 06:00–17:05 : fin 17 h 05 → 16 h 40"."""
    if day.driver_activities is None:
        return []
    before, after = list(day.driver_activities), list(day.activities)
    if [a.type for a in before] != [a.type for a in after]:
        return [
            "Version du conducteur : " + _periods(before),
            "Version de l'employeur : " + _periods(after),
        ]
    lines = []
    for old, new in zip(before, after, strict=True):
        moved = []
        if old.start != new.start:
            moved.append(f"début {_spoken(old.start)} → {_spoken(new.start)}")
        if old.end != new.end:
            moved.append(f"fin {_spoken(old.end)} → {_spoken(new.end)}")
        if moved:
            label = ACTIVITY_LABELS[old.type]
            lines.append(f"{label} {_clock(old.start)}–{_until(old)} : {', '.join(moved)}")
    return lines


def _until(activity: Activity) -> str:
    return "en cours" if activity.end is None else _clock(activity.end)


def _spoken(moment: datetime | None) -> str:
    return "en cours" if moment is None else moment.astimezone(PARIS).strftime("%H h %M")


def _periods(activities: list[Activity]) -> str:
    spans = [f"{ACTIVITY_LABELS[a.type].lower()} {_clock(a.start)}–{_until(a)}" for a in activities]
    return ", ".join(spans) or "aucune activité"


VALIDATION_LABELS = {
    Origin.PAPER: ["transcrit du livret papier (sans validation électronique)"],
    Origin.PLAN: ["prévu à l'horaire de service"],
}


def _validation(day: WorkDay) -> list[str]:
    if day.in_progress:
        return ["en cours"]
    states = []
    if day.driver_validation is None:
        states.append("non validé par le conducteur")
    elif day.driver_validation.automatic:
        states.append("validé automatiquement (24 h)")
    else:
        states.append("validé par le conducteur")
    if day.employer_validation is None:
        states.append("en attente de l'employeur")
    elif day.employer_validation.changed:
        states.append("modifié puis validé par l'employeur")
    else:
        states.append("validé par l'employeur")
    return states


def sectors(record: Record) -> list[str]:
    return [f"{e.name} — SIREN {e.siren} — {SECTOR_LABELS[e.sector]}" for e in record.employers]


def verdict_context(checked: Checked) -> dict[str, Any]:
    """What the verdict page shows. The 28 days are drawn as of the code's generation, the
    moment the rules judged them; a record that is not trusted comes without findings."""
    record = checked.result.record
    findings = checked.analysis.findings if checked.analysis else ()
    totals = checked.analysis.day_totals if checked.analysis else None  # as of `as_of` too
    return {
        "checked": checked,
        "view": verdict_view(checked.result, checked.at, checked.seen_in),
        "record": record,
        "trusted": checked.result.valid,
        "employers": sectors(record) if record else [],
        "days": day_rows(record, checked.analysis, checked.as_of, totals=totals) if record else [],
        "findings": findings,
        "rule_warnings": checked.analysis.warnings if checked.analysis else (),
        "flag_labels": FLAG_LABELS,
        "version_labels": VERSION_LABELS,
        "now": checked.at,
        "untrusted_note": untrusted_note(checked.result),
    }


def untrusted_note(result: Verification) -> str:
    """The observation proposed when the code shown cannot be trusted."""
    if result.valid:
        return ""
    title = VERDICTS[result.verdict][0]
    return (
        f"QR code présenté non valable ({title.lower()}) : le relevé qu'il contient ne peut "
        "pas être tenu pour celui du conducteur."
    )


def mobilic_context(code: MobilicCode, now: datetime, seen_in: list[int]) -> dict[str, Any]:
    """What the page of a Mobilic code shows: what it claims, never that it is genuine, and
    the link to open it in Mobilic, rebuilt from what was read (never the text scanned)."""
    warnings = [MOBILIC["expired"]] if code.expired(now) else []
    if code.stale(now):
        warnings.append(WARNINGS[Warning.GENERATED_MORE_THAN_24H_AGO])
    if code.from_the_future(now):
        warnings.append(MOBILIC["future"])
    warnings += seen_warning(seen_in)
    return {"mobilic": code, "wording": MOBILIC, "warnings": warnings, "now": now}
