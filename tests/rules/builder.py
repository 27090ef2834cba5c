"""A small language to write records the way the regulation talks about days:

    day("2026-11-03 06:00", "driving 3h", "break 30m", "work 2h30")

Times are Paris wall-clock times, written with the offset Paris has at that moment.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from control.record.invariants import check_record
from control.record.model import (
    WINDOW_DAYS,
    Activity,
    ActivityType,
    Driver,
    DriverValidation,
    Employer,
    EmployerValidation,
    Record,
    Sector,
    WorkDay,
)
from control.rules import Analysis, analyze

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 11, 25, 9, 40, tzinfo=UTC)  # a Wednesday; the window opens Thu 29 Oct
MAIN = "111111118"
OTHER = "222222226"
DURATION = re.compile(r"^(?:(\d+)h)?(\d+)?(?:m)?$")


# the sectors the goods texts (R. 3312-50, -51, -53, -58) govern
GOODS_AND_REMOVALS = [
    Sector.GOODS_LONG_DISTANCE,
    Sector.GOODS_REGIONAL,
    Sector.GOODS_PARCEL_CASH,
    Sector.REMOVALS,
]


def minutes(text: str) -> int:
    """`3h`, `2h30`, `45m`, `10h00` → minutes."""
    match = DURATION.match(text)
    if not match or not text:
        raise ValueError(f"not a duration: {text}")
    hours, rest = match.groups()
    return int(hours or 0) * 60 + int(rest or 0)


def paris(text: str) -> datetime:
    """A Paris wall-clock time, with the fixed offset a driver's software records."""
    local = datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=PARIS)
    local = local.astimezone(UTC).astimezone(PARIS)
    offset = local.utcoffset()
    assert offset is not None
    return local.replace(tzinfo=timezone(offset))


def activities(
    start: str, *periods: str, employer: str = MAIN, open_last: bool = False
) -> tuple[Activity, ...]:
    cursor = paris(start)
    result = []
    for i, period in enumerate(periods):
        parts = period.split()
        kind, length = ActivityType(parts[0]), minutes(parts[1])
        owner = parts[2] if len(parts) > 2 else employer
        end = (cursor.astimezone(UTC) + timedelta(minutes=length)).astimezone(PARIS)
        offset = end.utcoffset()
        assert offset is not None
        fixed_end = end.replace(tzinfo=timezone(offset))
        last = open_last and i == len(periods) - 1
        result.append(Activity(kind, cursor, None if last else fixed_end, owner))
        cursor = fixed_end
    return tuple(result)


def day(
    start: str,
    *periods: str,
    employer: str = MAIN,
    validated: bool = True,
    automatic: bool = False,
    employer_validated: bool = True,
    open_last: bool = False,
) -> WorkDay:
    acts = activities(start, *periods, employer=employer, open_last=open_last)
    end = acts[-1].end
    driver_validation = (
        DriverValidation(end + timedelta(hours=24 if automatic else 1), automatic)
        if validated and end is not None
        else None
    )
    employer_validation = (
        EmployerValidation(driver_validation.at + timedelta(hours=20))
        if driver_validation is not None and employer_validated
        else None
    )
    return WorkDay(
        date=acts[0].start.date(),
        employer=employer,
        activities=acts,
        driver_validation=driver_validation,
        employer_validation=employer_validation,
    )


def amended(driver_day: WorkDay, start: str, *periods: str) -> WorkDay:
    """`driver_day` as the employer changed it to `periods`."""
    assert driver_day.driver_validation is not None
    return replace(
        driver_day,
        activities=activities(start, *periods, employer=driver_day.employer),
        driver_activities=driver_day.activities,
        employer_validation=EmployerValidation(
            driver_day.driver_validation.at + timedelta(hours=20), changed=True
        ),
    )


def record(
    *days: WorkDay,
    sector: Sector = Sector.GOODS_REGIONAL,
    other: Sector | None = None,
    at: datetime = AT,
) -> Record:
    employers = [Employer(MAIN, "Transports Essai", sector)]
    if other is not None:
        employers.append(Employer(OTHER, "Autre Employeur", other))
    window_start = at.astimezone(PARIS).date() - timedelta(days=WINDOW_DAYS - 1)
    result = Record(
        Driver("DRV-TEST", "Testeur", "Alex", date(1990, 1, 1)),
        tuple(employers),
        window_start,
        days,
    )
    check_record(result)
    return result


def week(monday: str, days: int, work: int = 7 * 60, start: str = "07:00") -> list[WorkDay]:
    """`days` compliant days from `monday`, each with `work` minutes split by a 45 min break."""
    first = datetime.strptime(monday, "%Y-%m-%d")
    half = work // 2
    return [
        day(
            f"{(first + timedelta(days=i)):%Y-%m-%d} {start}",
            f"driving {half}m",
            "break 45m",
            f"work {work - half}m",
        )
        for i in range(days)
    ]


def live(at: datetime = AT) -> WorkDay:
    """An activity started an hour before the control and still in progress: a live entry."""
    started = at.astimezone(PARIS) - timedelta(hours=1)
    return day(f"{started:%Y-%m-%d %H:%M}", "driving 1h", open_last=True, validated=False)


def said(*days: WorkDay, at: datetime = AT, **options: object) -> tuple[list[str], list[str]]:
    """The rule ids of every finding and of every warning on a record made of `days`."""
    analysis = analyze(record(*days, at=at, **options), at)  # type: ignore[arg-type]
    return [f.rule.id for f in analysis.findings], [w.rule.id for w in analysis.warnings]


def found(analysis: Analysis, rule: str) -> list[dict[str, object]]:
    return [f.to_json() for f in analysis.findings if f.rule.id == rule]


def check(
    *days: WorkDay, rule: str, at: datetime = AT, **options: object
) -> list[dict[str, object]]:
    """The findings of `rule` on a record made of `days`."""
    return found(analyze(record(*days, at=at, **options), at), rule)  # type: ignore[arg-type]


def warned(
    *days: WorkDay, rule: str, at: datetime = AT, **options: object
) -> list[dict[str, object]]:
    """The warnings of `rule` on a record made of `days`."""
    analysis = analyze(record(*days, at=at, **options), at)  # type: ignore[arg-type]
    return [w.to_json() for w in analysis.warnings if w.rule.id == rule]
