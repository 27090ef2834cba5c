"""Invariants every record must satisfy, whichever form (JSON or QR) it came from.

A record that breaks one is refused with the path of the offending field, so that an issuer
can fix its export and a verifier can say `record-invalid` with a precise reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache

from control.fields import SIREN
from control.record.model import Activity, Record, WorkDay

MAX_EMPLOYERS = 16  # the compact timeline addresses employers with 4 bits
MAX_OFFSET = timedelta(hours=15, minutes=45)
INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
TEXT_LIMITS = {"name": 100, "label": 60, "plate": 16, "observation": 2000, "id": 64, "url": 300}

LAST_IN_PROGRESS = "only the last activity of the last day may be in progress"


class RecordError(ValueError):
    """A record breaks an invariant; `path` names the field (e.g. `days[3].activities[1].end`)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


def check_record(record: Record, *, timelines_unpacked: bool = False) -> None:
    """Raise RecordError for the first broken invariant.

    `timelines_unpacked`: the timelines come from `timeline.unpack`, which already guarantees
    whole minutes, valid offsets, ordered periods and known employers; only the rule on the
    activity in progress is left to check (this halves the cost of checking a scanned code).
    """
    _check_text("driver.id", record.driver.id, "id")
    _check_text("driver.family_name", record.driver.family_name, "name")
    _check_text("driver.given_name", record.driver.given_name, "name")
    if not 1 <= len(record.employers) <= MAX_EMPLOYERS:
        raise RecordError("employers", f"between 1 and {MAX_EMPLOYERS} employers expected")
    sirens: set[str] = set()
    for i, employer in enumerate(record.employers):
        if not SIREN.match(employer.siren):
            raise RecordError(f"employers[{i}].siren", "a SIREN is exactly 9 digits")
        if employer.siren in sirens:
            raise RecordError(f"employers[{i}].siren", "employer listed twice")
        sirens.add(employer.siren)
        _check_text(f"employers[{i}].name", employer.name, "name")
    if record.full_record is not None:
        if len(record.full_record.sha256) != 32:
            raise RecordError("full_record.sha256", "a SHA-256 digest is 32 bytes")
        _check_text("full_record.url", record.full_record.url, "url")
        if not record.full_record.url.startswith("https://"):
            raise RecordError("full_record.url", "the complete record must be served over https")

    previous_end: datetime | None = None
    last = len(record.days) - 1
    window_start, window_end = record.window_start, record.window_end
    check_day = _check_in_progress if timelines_unpacked else check_timeline
    for d, day in enumerate(record.days):
        path = f"days[{d}]"
        if not window_start <= day.date <= window_end:
            raise RecordError(f"{path}.date", "day outside the 28-day window of the record")
        if day.employer not in sirens:
            raise RecordError(f"{path}.employer", "not one of the record's employers")
        if not day.activities:
            raise RecordError(f"{path}.activities", "a worked day has at least one activity")
        check_day(f"{path}.activities", day.activities, sirens, open_allowed=d == last)
        if day.start.date() != day.date:
            raise RecordError(f"{path}.date", "must be the local date of the day's first activity")
        if previous_end is not None and day.start < previous_end:
            raise RecordError(f"{path}.activities[0].start", "overlaps the previous day")
        previous_end = day.end
        if day.driver_activities is not None:
            if day.employer_validation is None or not day.employer_validation.changed:
                raise RecordError(
                    f"{path}.driver_activities",
                    "the driver's version is kept only for a day the employer changed",
                )
            if not day.driver_activities:
                raise RecordError(f"{path}.driver_activities", "at least one activity expected")
            check_day(
                f"{path}.driver_activities", day.driver_activities, sirens, open_allowed=False
            )
        for p, place in (
            (f"{path}.start_place", day.start_place),
            (f"{path}.end_place", day.end_place),
        ):
            if place is None:
                continue
            if not INSEE.match(place.insee):
                raise RecordError(
                    f"{p}.insee", "an INSEE commune code is 5 characters (2A/2B for Corsica)"
                )
            if place.label is not None:
                _check_text(f"{p}.label", place.label, "label")
        for v, vehicle in enumerate(day.vehicles):
            _check_vehicle(
                f"{path}.vehicles[{v}]", vehicle.plate, vehicle.odometer_start, vehicle.odometer_end
            )
        for when, p in _timestamps(day, path):
            _check_time(p, when)
        for o, observation in enumerate(day.observations):
            _check_text(f"{path}.observations[{o}].text", observation.text, "observation")


def check_timeline(
    path: str, activities: tuple[Activity, ...], sirens: set[str], *, open_allowed: bool
) -> None:
    # Hot path of every verification: paths are formatted only when something is wrong.
    previous: Activity | None = None
    last = len(activities) - 1
    for a, activity in enumerate(activities):
        if activity.employer not in sirens:
            raise RecordError(f"{path}[{a}].employer", "not one of the record's employers")
        problem = _time_problem(activity.start)
        if problem:
            raise RecordError(f"{path}[{a}].start", problem)
        if activity.end is None:
            if not (open_allowed and a == last):
                raise RecordError(f"{path}[{a}].end", LAST_IN_PROGRESS)
        else:
            problem = _time_problem(activity.end)
            if problem:
                raise RecordError(f"{path}[{a}].end", problem)
            if activity.end <= activity.start:
                raise RecordError(f"{path}[{a}].end", "ends before it starts")
        if previous is not None:
            assert previous.end is not None  # only the last one may be open
            if activity.start < previous.end:
                raise RecordError(f"{path}[{a}].start", f"overlaps activity {a - 1}")
            if (
                activity.start == previous.end
                and activity.start.utcoffset() != previous.end.utcoffset()
            ):
                raise RecordError(
                    f"{path}[{a}].start",
                    "meets the previous activity at the same instant with another UTC offset",
                )
        previous = activity


def _check_in_progress(
    path: str, activities: tuple[Activity, ...], sirens: set[str], *, open_allowed: bool
) -> None:
    last = len(activities) - 1
    for a, activity in enumerate(activities):
        if activity.end is None and not (open_allowed and a == last):
            raise RecordError(f"{path}[{a}].end", LAST_IN_PROGRESS)


def _timestamps(day: WorkDay, path: str) -> Iterable[tuple[datetime, str]]:
    if day.driver_validation is not None:
        yield day.driver_validation.at, f"{path}.driver_validation.at"
    if day.employer_validation is not None:
        yield day.employer_validation.at, f"{path}.employer_validation.at"
    for o, observation in enumerate(day.observations):
        yield observation.at, f"{path}.observations[{o}].at"


def _check_time(path: str, when: datetime) -> None:
    problem = _time_problem(when)
    if problem:
        raise RecordError(path, problem)


def _time_problem(when: datetime) -> str:
    if when.second or when.microsecond:
        return "times are recorded to the minute"
    return _offset_problem(when.utcoffset())


@cache
def _offset_problem(offset: timedelta | None) -> str:
    if offset is None:
        return "a time needs its UTC offset"
    if abs(offset) > MAX_OFFSET or offset % timedelta(minutes=15):
        return "UTC offset must be a multiple of 15 minutes within ±15:45"
    return ""


def _check_vehicle(path: str, plate: str, start: int | None, end: int | None) -> None:
    _check_text(f"{path}.plate", plate, "plate")
    for name, value in (("odometer_start", start), ("odometer_end", end)):
        if value is not None and not 0 <= value < 10_000_000:
            raise RecordError(f"{path}.{name}", "odometer in km between 0 and 9 999 999")
    if end is not None and start is None:
        raise RecordError(f"{path}.odometer_end", "an end reading needs the start reading")
    if start is not None and end is not None and end < start:
        raise RecordError(f"{path}.odometer_end", "smaller than the start reading")


def _check_text(path: str, value: str, kind: str) -> None:
    if not value.strip():
        raise RecordError(path, "must not be empty")
    if len(value) > TEXT_LIMITS[kind]:
        raise RecordError(path, f"at most {TEXT_LIMITS[kind]} characters")
