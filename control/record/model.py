"""The 28-day LIC record: what a driver's logbook says about each worked day.

Plain frozen dataclasses, shared by the JSON form, the compact QR form and the rules.
Times are timezone-aware datetimes with the fixed UTC offset the driver's software wrote:
the offset is part of what was recorded (local time at the roadside), so it is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

WINDOW_DAYS = 28


def window_end(window_start: date) -> date:
    """The last day of the window that starts on `window_start`."""
    return window_start + timedelta(days=WINDOW_DAYS - 1)


class Sector(StrEnum):
    """Transport sector of an employer; it selects the weekly and daily limits."""

    GOODS_LONG_DISTANCE = "goods-long-distance"
    GOODS_REGIONAL = "goods-regional"
    GOODS_PARCEL_CASH = "goods-parcel-cash"
    PASSENGERS = "passengers"
    REMOVALS = "removals"


class ActivityType(StrEnum):
    """What the driver was doing. Everything but a break counts as service time."""

    DRIVING = "driving"
    WORK = "work"
    SUPPORT = "support"
    AVAILABILITY = "availability"
    TRANSFER = "transfer"
    BREAK = "break"


class Author(StrEnum):
    DRIVER = "driver"
    EMPLOYER = "employer"


@dataclass(frozen=True)
class Driver:
    id: str
    family_name: str
    given_name: str
    birth_date: date


@dataclass(frozen=True)
class Employer:
    siren: str
    name: str
    sector: Sector


@dataclass(frozen=True)
class Place:
    insee: str
    label: str | None = None


@dataclass(frozen=True)
class VehicleUse:
    plate: str
    odometer_start: int | None = None
    odometer_end: int | None = None

    @property
    def distance(self) -> int | None:
        if self.odometer_start is None or self.odometer_end is None:
            return None
        return self.odometer_end - self.odometer_start


@dataclass(frozen=True)
class Activity:
    """One period of the timeline; `end` is None only for the activity in progress."""

    type: ActivityType
    start: datetime
    end: datetime | None
    employer: str  # SIREN of the employer this period was worked for

    @property
    def duration(self) -> timedelta | None:
        return None if self.end is None else self.end - self.start


@dataclass(frozen=True)
class DriverValidation:
    at: datetime
    automatic: bool = False  # validated by the software 24 h after the day, not by the driver


@dataclass(frozen=True)
class EmployerValidation:
    at: datetime
    changed: bool = False  # the employer amended the day after the driver validated it


@dataclass(frozen=True)
class Observation:
    author: Author
    at: datetime
    text: str


@dataclass(frozen=True)
class WorkDay:
    """A worked day as the issuer's software groups it (labelled by its start date)."""

    date: date
    employer: str  # SIREN of the main employer of the day
    activities: tuple[Activity, ...]
    start_place: Place | None = None
    end_place: Place | None = None
    vehicles: tuple[VehicleUse, ...] = ()
    driver_validation: DriverValidation | None = None
    employer_validation: EmployerValidation | None = None
    driver_activities: tuple[Activity, ...] | None = None  # the driver's version, if amended
    observations: tuple[Observation, ...] = ()

    @property
    def start(self) -> datetime:
        return self.activities[0].start

    @property
    def end(self) -> datetime | None:
        return self.activities[-1].end

    @property
    def in_progress(self) -> bool:
        return self.activities[-1].end is None


@dataclass(frozen=True)
class FullRecordRef:
    """Where the complete record is served when the QR code carries only the recent days."""

    sha256: bytes
    url: str


@dataclass(frozen=True)
class Record:
    driver: Driver
    employers: tuple[Employer, ...]
    window_start: date
    days: tuple[WorkDay, ...] = field(default=())
    full_record: FullRecordRef | None = None

    @property
    def window_end(self) -> date:
        return window_end(self.window_start)

    @property
    def complete(self) -> bool:
        return self.full_record is None

    def employer(self, siren: str) -> Employer:
        for employer in self.employers:
            if employer.siren == siren:
                return employer
        raise KeyError(siren)
