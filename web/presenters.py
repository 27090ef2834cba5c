"""Verification results shaped for the screen: French wording, a row per day, bar geometry.

Pure functions from domain objects to small dataclasses; templates only lay them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from control.record.model import Activity, ActivityType, Record, WorkDay
from control.rules import Analysis, Finding
from control.rules.catalogue import SECTOR_LABELS
from control.rules.french import ACTIVITY_LABELS
from control.rules.timeline import PARIS, midnight
from control.verify.verdicts import Verdict, Verification
from control.verify.wording import VERDICTS, WARNINGS

FLAG_LABELS = {
    "not-validated": "jour non validé par le conducteur",
    "validated-automatically": "validé automatiquement",
    "changed-by-employer": "modifié par l'employeur",
    "in-progress": "journée en cours",
    "partial-week": "semaine vue en partie",
    "suggested": "à confirmer par l'agent",
}
VERSION_LABELS = {
    "both": "versions conducteur et employeur",
    "driver": "version du conducteur",
    "employer": "version de l'employeur",
}


@dataclass(frozen=True)
class Segment:
    kind: str
    left: float  # % of the day
    width: float
    title: str


@dataclass
class DayRow:
    day: date
    anchor: str
    segments: list[Segment] = field(default_factory=list)
    original: list[Segment] = field(default_factory=list)  # the driver's version, if amended
    work_minutes: int = 0
    places: str = ""
    vehicles: list[str] = field(default_factory=list)
    validation: list[str] = field(default_factory=list)
    observations: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    in_progress: bool = False

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
    if seen_in:
        numbers = ", ".join(f"n° {n}" for n in seen_in)
        warnings.append(f"Ce code a déjà été présenté lors d'un autre contrôle ({numbers}).")
    issuer = ""
    if result.issuer:
        issuer = f"{result.issuer_name or result.issuer} ({result.issuer})"
    return VerdictView(
        result.verdict, result.valid, title, advice, warnings, issuer, _age(result.iat, now)
    )


def _age(iat: datetime | None, now: datetime) -> str:
    if iat is None:
        return ""
    seconds = int((now - iat).total_seconds())
    if seconds < 0:
        return "dans le futur"
    if seconds < 3600:
        return f"il y a {seconds // 60} min"
    if seconds < 48 * 3600:
        return f"il y a {seconds // 3600} h {seconds % 3600 // 60:02d}"
    return f"il y a {seconds // 86400} jours"


def _segments(activities: tuple[Activity, ...], day: date, now: datetime) -> list[Segment]:
    start, end = midnight(day), midnight(day + timedelta(days=1))
    length = end - start
    result = []
    for activity in activities:
        a = int(activity.start.timestamp())
        b = int((activity.end or now).timestamp())
        low, high = max(a, start), min(b, end)
        if high <= low:
            continue
        label = ACTIVITY_LABELS[activity.type]
        until = (
            "en cours" if activity.end is None else activity.end.astimezone(PARIS).strftime("%H:%M")
        )
        title = f"{label} {activity.start.astimezone(PARIS).strftime('%H:%M')}–{until}"
        result.append(
            Segment(
                activity.type.value,
                round(100 * (low - start) / length, 3),
                round(100 * (high - low) / length, 3),
                title,
            )
        )
    return result


def day_rows(
    record: Record, analysis: Analysis | None, now: datetime, *, planned: bool = False
) -> list[DayRow]:
    """One row per date of the 28-day window, newest first; days without activity too.
    `planned`: the days are a service schedule's plan, which nobody validates."""
    rows = {
        record.window_start + timedelta(days=i): DayRow(
            record.window_start + timedelta(days=i),
            f"jour-{(record.window_start + timedelta(days=i)).isoformat()}",
        )
        for i in range((record.window_end - record.window_start).days + 1)
    }
    for work_day in record.days:
        _fill(rows, work_day, now, planned)
    if analysis is not None:
        for finding in analysis.findings:
            for d in finding.dates:
                if d in rows:
                    rows[d].findings.append(finding)
    return [rows[d] for d in sorted(rows, reverse=True)]


def _fill(rows: dict[date, DayRow], work_day: WorkDay, now: datetime, planned: bool) -> None:
    first = work_day.start.astimezone(PARIS).date()
    last = (work_day.end or now).astimezone(PARIS).date()
    current = first
    while current <= last:
        row = rows.get(current)
        if row is not None:
            row.segments += _segments(work_day.activities, current, now)
            if work_day.driver_activities:
                row.original += _segments(work_day.driver_activities, current, now)
            row.in_progress = row.in_progress or work_day.in_progress
        current += timedelta(days=1)
    row = rows.get(first)
    if row is None:
        return
    row.work_minutes += sum(
        int(((a.end or now) - a.start).total_seconds() // 60)
        for a in work_day.activities
        if a.type not in (ActivityType.BREAK, ActivityType.AVAILABILITY)
    )
    start = work_day.start_place.label or work_day.start_place.insee if work_day.start_place else ""
    end = work_day.end_place.label or work_day.end_place.insee if work_day.end_place else ""
    row.places = " → ".join(p for p in (start, end) if p)
    for vehicle in work_day.vehicles:
        distance = f", {vehicle.distance} km" if vehicle.distance is not None else ""
        row.vehicles.append(f"{vehicle.plate}{distance}")
    row.validation = ["prévu à l'horaire de service"] if planned else _validation(work_day)
    row.observations += [
        f"{'Conducteur' if o.author.value == 'driver' else 'Employeur'} : {o.text}"
        for o in work_day.observations
    ]


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
