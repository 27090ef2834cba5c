"""The JSON form of a record: input of `lic-control issue`, output of `verify --json`.

Parsed at the edge by pydantic (field-level errors), then turned into the dataclasses of
`control.record.model` and checked against the invariants. Documented in docs/record.md.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from control.record.invariants import RecordError, check_record
from control.record.model import (
    Activity,
    ActivityType,
    Author,
    Driver,
    DriverValidation,
    Employer,
    EmployerValidation,
    FullRecordRef,
    Observation,
    Place,
    Record,
    Sector,
    VehicleUse,
    WorkDay,
)

FORMAT: Literal["lic-record/1"] = "lic-record/1"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DriverIn(_Strict):
    id: str
    family_name: str
    given_name: str
    birth_date: date


class EmployerIn(_Strict):
    siren: str
    name: str
    sector: Sector


class PlaceIn(_Strict):
    insee: str
    label: str | None = None


class VehicleIn(_Strict):
    plate: str
    odometer_start: int | None = None
    odometer_end: int | None = None


class ActivityIn(_Strict):
    type: ActivityType
    start: AwareDatetime
    end: AwareDatetime | None
    employer: str | None = None


class DriverValidationIn(_Strict):
    at: AwareDatetime
    automatic: bool = False


class EmployerValidationIn(_Strict):
    at: AwareDatetime
    changed: bool = False


class ObservationIn(_Strict):
    author: Author
    at: AwareDatetime
    text: str


class DayIn(_Strict):
    date: date
    employer: str | None = None
    start_place: PlaceIn | None = None
    end_place: PlaceIn | None = None
    vehicles: list[VehicleIn] = Field(default_factory=list)
    activities: list[ActivityIn]
    driver_validation: DriverValidationIn | None = None
    employer_validation: EmployerValidationIn | None = None
    driver_activities: list[ActivityIn] | None = None
    observations: list[ObservationIn] = Field(default_factory=list)


class FullRecordIn(_Strict):
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    url: str


class RecordIn(_Strict):
    format: Literal["lic-record/1"] = FORMAT
    driver: DriverIn
    employers: list[EmployerIn]
    window_start: date | None = None
    complete: bool = True
    full_record: FullRecordIn | None = None
    days: list[DayIn]


def record_from_json(
    data: Any, *, window_start: date | None = None, default_window_start: date | None = None
) -> Record:
    """Build and check a record from parsed JSON; RecordError names the bad field.

    `window_start` is required in the JSON unless given here (the issuer derives it from iat,
    and it then wins over the JSON's); `default_window_start` only fills a missing one.
    Activities may come in any order: they are sorted, so input order never changes a result.
    """
    try:
        parsed = RecordIn.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        raise RecordError(_path(first["loc"]), first["msg"]) from None
    start = window_start or parsed.window_start or default_window_start
    if start is None:
        raise RecordError("window_start", "Field required")
    if parsed.complete != (parsed.full_record is None):
        raise RecordError("full_record", "present exactly when the record is not complete")
    default_employer = parsed.employers[0].siren if len(parsed.employers) == 1 else None
    days = []
    for d, day in enumerate(parsed.days):
        employer = day.employer or default_employer
        if employer is None:
            raise RecordError(
                f"days[{d}].employer", "required when the record has several employers"
            )
        days.append(
            WorkDay(
                date=day.date,
                employer=employer,
                activities=_activities(day.activities, employer),
                start_place=_place(day.start_place),
                end_place=_place(day.end_place),
                vehicles=tuple(
                    VehicleUse(v.plate, v.odometer_start, v.odometer_end) for v in day.vehicles
                ),
                driver_validation=None
                if day.driver_validation is None
                else DriverValidation(
                    _fixed(day.driver_validation.at), day.driver_validation.automatic
                ),
                employer_validation=None
                if day.employer_validation is None
                else EmployerValidation(
                    _fixed(day.employer_validation.at), day.employer_validation.changed
                ),
                driver_activities=None
                if day.driver_activities is None
                else _activities(day.driver_activities, employer),
                observations=tuple(
                    Observation(o.author, _fixed(o.at), o.text) for o in day.observations
                ),
            )
        )
    days.sort(key=lambda day: (day.start, day.date))
    record = Record(
        driver=Driver(
            parsed.driver.id,
            parsed.driver.family_name,
            parsed.driver.given_name,
            parsed.driver.birth_date,
        ),
        employers=tuple(Employer(e.siren, e.name, e.sector) for e in parsed.employers),
        window_start=start,
        days=tuple(days),
        full_record=None
        if parsed.full_record is None
        else FullRecordRef(bytes.fromhex(parsed.full_record.sha256), parsed.full_record.url),
    )
    check_record(record)
    return record


def record_from_text(
    text: str | bytes, *, window_start: date | None = None, default_window_start: date | None = None
) -> Record:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise RecordError("", f"not valid JSON: {error}") from None
    return record_from_json(
        data, window_start=window_start, default_window_start=default_window_start
    )


def record_to_json(record: Record) -> dict[str, Any]:
    """The canonical JSON form (what `record_from_json` reads back to an equal record)."""
    out: dict[str, Any] = {
        "format": FORMAT,
        "driver": {
            "id": record.driver.id,
            "family_name": record.driver.family_name,
            "given_name": record.driver.given_name,
            "birth_date": record.driver.birth_date.isoformat(),
        },
        "employers": [
            {"siren": e.siren, "name": e.name, "sector": e.sector.value} for e in record.employers
        ],
        "window_start": record.window_start.isoformat(),
        "complete": record.complete,
    }
    if record.full_record is not None:
        out["full_record"] = {
            "sha256": record.full_record.sha256.hex(),
            "url": record.full_record.url,
        }
    out["days"] = [_day_to_json(day) for day in record.days]
    return out


def _day_to_json(day: WorkDay) -> dict[str, Any]:
    out: dict[str, Any] = {"date": day.date.isoformat(), "employer": day.employer}
    for name, place in (("start_place", day.start_place), ("end_place", day.end_place)):
        if place is not None:
            out[name] = {"insee": place.insee} | ({"label": place.label} if place.label else {})
    out["vehicles"] = [
        {"plate": v.plate}
        | ({"odometer_start": v.odometer_start} if v.odometer_start is not None else {})
        | ({"odometer_end": v.odometer_end} if v.odometer_end is not None else {})
        for v in day.vehicles
    ]
    out["activities"] = _activities_to_json(day.activities, day.employer)
    if day.driver_validation is not None:
        out["driver_validation"] = {
            "at": _iso(day.driver_validation.at),
            "automatic": day.driver_validation.automatic,
        }
    if day.employer_validation is not None:
        out["employer_validation"] = {
            "at": _iso(day.employer_validation.at),
            "changed": day.employer_validation.changed,
        }
    if day.driver_activities is not None:
        out["driver_activities"] = _activities_to_json(day.driver_activities, day.employer)
    out["observations"] = [
        {"author": o.author.value, "at": _iso(o.at), "text": o.text} for o in day.observations
    ]
    return out


def _activities_to_json(
    activities: tuple[Activity, ...], day_employer: str
) -> list[dict[str, Any]]:
    return [
        {
            "type": a.type.value,
            "start": _iso(a.start),
            "end": None if a.end is None else _iso(a.end),
        }
        | ({"employer": a.employer} if a.employer != day_employer else {})
        for a in activities
    ]


def _activities(items: list[ActivityIn], employer: str) -> tuple[Activity, ...]:
    activities = [
        Activity(
            a.type,
            _fixed(a.start),
            None if a.end is None else _fixed(a.end),
            a.employer or employer,
        )
        for a in items
    ]
    activities.sort(key=lambda a: (a.start, a.end or a.start))
    return tuple(activities)


def _place(place: PlaceIn | None) -> Place | None:
    return None if place is None else Place(place.insee, place.label)


def _fixed(when: datetime) -> datetime:
    """Same instant and offset, with a plain `timezone` so equal records compare equal."""
    offset = when.utcoffset()
    assert offset is not None  # AwareDatetime guarantees it
    return when.replace(tzinfo=timezone(offset))


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="minutes")


def _path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path
