"""A service schedule (horaire de service, arrêté of 6 March 2025, annex I) as the agent records it.

The employer writes, for one employee, the days and hours of start and end of service and of
the breaks. A driver who works to such a schedule is controlled against it: what he is doing
at the moment of the control must fit the service it plans, and the plan itself must respect
the working-time rules, which the same engine as for a LIC checks on the planned days.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from control.paper.sheet import wall_clock
from control.record.model import (
    WINDOW_DAYS,
    Activity,
    ActivityType,
    Driver,
    Employer,
    Record,
    WorkDay,
)
from control.rules.engine import analyze
from control.rules.findings import Analysis, Finding
from control.rules.french import WEEKDAYS

PARIS = ZoneInfo("Europe/Paris")
DAY = 24 * 60
ON_SCHEDULE = "sur l'horaire de service prévu"


class ScheduleError(ValueError):
    """A schedule that cannot be right, said in French for the agent who typed it."""


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


@dataclass(frozen=True)
class Span:
    """Wall-clock hours; an end at or before the start is on the next day (a night service)."""

    start: time
    end: time

    @property
    def bounds(self) -> tuple[int, int]:
        """Minutes from the service day's 00:00."""
        start, end = _minutes(self.start), _minutes(self.end)
        return start, end if end > start else end + DAY

    def label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


@dataclass(frozen=True)
class ScheduledDay:
    """One weekday of the schedule: its service and the breaks within it."""

    weekday: int  # 0 = Monday
    service: Span
    breaks: tuple[Span, ...] = ()

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ScheduleError(f"Jour de la semaine inconnu : {self.weekday}.")
        start, end = self.service.bounds
        previous_end = start
        for pause in self.break_bounds():
            if not start <= pause[0] < pause[1] <= end:
                raise ScheduleError(
                    f"{WEEKDAYS[self.weekday].capitalize()} : la pause de "
                    f"{self._label(pause)} n'est pas dans le service {self.service.label()}."
                )
            if pause[0] < previous_end:
                raise ScheduleError(
                    f"{WEEKDAYS[self.weekday].capitalize()} : les pauses se chevauchent ou ne "
                    "sont pas dans l'ordre."
                )
            previous_end = pause[1]

    def break_bounds(self) -> list[tuple[int, int]]:
        """Each break in minutes from the service day's 00:00 (after midnight: beyond DAY)."""
        start = self.service.bounds[0]
        found = []
        for pause in self.breaks:
            begin, end = pause.bounds
            if begin < start:  # a break after midnight in a night service
                begin, end = begin + DAY, end + DAY
            found.append((begin, end))
        return found

    @staticmethod
    def _label(bounds: tuple[int, int]) -> str:
        return "–".join(f"{m // 60 % 24:02d}:{m % 60:02d}" for m in bounds)

    def working_minutes(self) -> int:
        start, end = self.service.bounds
        return end - start - sum(b - a for a, b in self.break_bounds())


@dataclass(frozen=True)
class ServiceSchedule:
    """The annex I fields. `days` holds at most one line per weekday; a weekday without a
    line is a day without service."""

    number: str
    employer_name: str
    employee_name: str
    service: str  # the service assured (a line, a round)
    days: tuple[ScheduledDay, ...]
    employer_siren: str = ""
    observations: str = ""

    def __post_init__(self) -> None:
        if not self.days:
            raise ScheduleError("L'horaire ne prévoit aucun jour de service.")
        weekdays = [line.weekday for line in self.days]
        if len(set(weekdays)) != len(weekdays):
            raise ScheduleError("Un jour de la semaine figure deux fois dans l'horaire.")
        object.__setattr__(self, "days", tuple(sorted(self.days, key=lambda d: d.weekday)))

    def line(self, weekday: int) -> ScheduledDay | None:
        return next((line for line in self.days if line.weekday == weekday), None)

    def service_bounds(self, day: date, zone: ZoneInfo = PARIS) -> tuple[datetime, datetime] | None:
        """Start and end of the service that begins on `day`, if any."""
        line = self.line(day.weekday())
        if line is None:
            return None
        start, end = line.service.bounds
        return wall_clock(day, start, zone), wall_clock(day, end, zone)

    def breaks_on(self, day: date, zone: ZoneInfo = PARIS) -> list[tuple[datetime, datetime]]:
        line = self.line(day.weekday())
        if line is None:
            return []
        return [
            (wall_clock(day, a, zone), wall_clock(day, b, zone)) for a, b in line.break_bounds()
        ]


def planned_day(schedule: ServiceSchedule, day: date, employer: str) -> WorkDay | None:
    """The service planned for `day` as a record day: work between the breaks."""
    bounds = schedule.service_bounds(day)
    if bounds is None:
        return None
    activities = []
    cursor = bounds[0]
    for pause_start, pause_end in [*schedule.breaks_on(day), (bounds[1], bounds[1])]:
        if pause_start > cursor:
            activities.append(Activity(ActivityType.WORK, cursor, pause_start, employer))
        if pause_end > pause_start:
            activities.append(Activity(ActivityType.BREAK, pause_start, pause_end, employer))
        cursor = pause_end
    return WorkDay(date=day, employer=employer, activities=tuple(activities))


def planned_record(
    schedule: ServiceSchedule, driver: Driver, employer: Employer, control_day: date
) -> Record:
    """The 28 days up to the control as the schedule plans them."""
    start = control_day - timedelta(days=WINDOW_DAYS - 1)
    days = (
        planned_day(schedule, start + timedelta(days=n), employer.siren) for n in range(WINDOW_DAYS)
    )
    return Record(driver, (employer,), start, tuple(day for day in days if day is not None))


@dataclass(frozen=True)
class PlanAnalysis:
    record: Record  # the 28 days as planned
    analysis: Analysis  # explanations end with ON_SCHEDULE


def analyze_schedule(
    schedule: ServiceSchedule, driver: Driver, employer: Employer, at: datetime
) -> PlanAnalysis:
    """The working-time rules over the planned days; each finding says it rests on the plan.

    The plan is analysed as of the end of the control day, so that the day of the control
    counts whole, as planned."""
    control_day = at.astimezone(PARIS).date()
    record = planned_record(schedule, driver, employer, control_day)
    analysis = analyze(record, wall_clock(control_day, DAY, PARIS), live_entry=False)
    marked = tuple(
        replace(finding, explanation=f"{finding.explanation} ({ON_SCHEDULE})")
        for finding in analysis.findings
    )
    return PlanAnalysis(record, replace(analysis, findings=marked))


@dataclass(frozen=True)
class RepeatedFinding:
    """A breach the plan repeats: its latest occurrence and how often it occurs."""

    latest: Finding
    occurrences: int


def by_rule(analysis: Analysis) -> list[RepeatedFinding]:
    """One line per rule, since a weekly plan repeats the same breach every week; the
    controller needs the rule and an example, not the same line twenty times."""
    grouped: dict[str, list[Finding]] = {}
    for finding in analysis.findings:
        grouped.setdefault(finding.rule.id, []).append(finding)
    return [
        RepeatedFinding(max(found, key=lambda f: f.dates[-1]), len(found))
        for found in grouped.values()
    ]


def to_json(schedule: ServiceSchedule) -> dict[str, Any]:
    return {
        "number": schedule.number,
        "employer_name": schedule.employer_name,
        "employer_siren": schedule.employer_siren,
        "employee_name": schedule.employee_name,
        "service": schedule.service,
        "observations": schedule.observations,
        "days": [
            {
                "weekday": line.weekday,
                "service": _span_json(line.service),
                "breaks": [_span_json(pause) for pause in line.breaks],
            }
            for line in schedule.days
        ],
    }


def from_json(data: dict[str, Any]) -> ServiceSchedule:
    try:
        return ServiceSchedule(
            number=str(data["number"]),
            employer_name=str(data["employer_name"]),
            employer_siren=str(data.get("employer_siren", "")),
            employee_name=str(data["employee_name"]),
            service=str(data["service"]),
            observations=str(data.get("observations", "")),
            days=tuple(
                ScheduledDay(
                    int(line["weekday"]),
                    _span(line["service"]),
                    tuple(_span(pause) for pause in line["breaks"]),
                )
                for line in data["days"]
            ),
        )
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, ScheduleError):
            raise
        raise ScheduleError(f"Horaire de service illisible : {error}") from None


def _span_json(span: Span) -> list[str]:
    return [f"{span.start:%H:%M}", f"{span.end:%H:%M}"]


def _span(value: list[str]) -> Span:
    start, end = value
    return Span(time.fromisoformat(start), time.fromisoformat(end))
