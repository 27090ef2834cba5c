"""The elementary files of a gen-1 driver card, built from one version of a LIC record.

File identifiers, sizes and contents follow Annex 1B of Regulation (EEC) 3821/85: Appendix 2
(TCS_ card file structure, the driver card's EFs and their FIDs) and Appendix 1 (the data
dictionary: each structure named below). Sizes are the gen-1 maxima a driver card may have,
announced in EF Application_Identification, so that a reader sizes the cyclic buffers right.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from control.exports.c1b.activities import change_words, minutes_by_day
from control.exports.c1b.encoding import (
    NATION_FRANCE,
    bcd,
    datef,
    ia5,
    integer,
    midnight_utc,
    name,
    time_real,
    vehicle_registration,
)
from control.record.model import Activity, Driver, WorkDay

EVENTS_PER_TYPE, EVENT_TYPES = 12, 6  # DriverCardApplicationIdentification ranges: 6..12
FAULTS_PER_TYPE, FAULT_TYPES = 24, 2  # 12..24
ACTIVITY_BYTES = 13776  # CardActivityLengthRange: 5544..13776
VEHICLE_RECORDS = 200  # NoOfCardVehicleRecords: 84..200
PLACE_RECORDS = 112  # NoOfCardPlaceRecords: 84..112
SPECIFIC_RECORDS = 56  # NoOfSpecificConditionRecords (gen-1 driver card)
EVENT_RECORD = 24  # CardEventRecord / CardFaultRecord
VEHICLE_RECORD = 31  # CardVehicleRecord
PLACE_RECORD = 10  # PlaceRecord
DAY_HEADER = 12  # CardActivityDailyRecord before its ActivityChangeInfo words
MAX_DISTANCE, ODOMETER_TURN = 9999, 1_000_000  # Distance: 0..9999; OdometerShort: 0..999999
ISSUING_AUTHORITY = "CONTROLE LIC"


@dataclass(frozen=True)
class ElementaryFile:
    fid: int
    data: bytes
    signed: bool = True  # Appendix 7, 3.3: only ICC, IC and the certificates go unsigned


@dataclass(frozen=True)
class Card:
    """What the download says besides the days: whose card, when, at which control."""

    driver: Driver
    issued_at: datetime  # when the LIC code was made: the card's issue date
    as_of: datetime  # the end of an activity still in progress
    window_start: date
    control_at: datetime
    control_plate: str


@dataclass(frozen=True)
class VersionDay:
    """A work day with the activities of one version (driver's or employer's)."""

    day: WorkDay
    activities: tuple[Activity, ...]

    def end(self, as_of: datetime) -> datetime:
        last = self.activities[-1].end
        return last if last is not None else max(as_of, self.activities[-1].start)


def card_number(driver_id: str) -> str:
    """CardNumber (Appendix 1): driverIdentification (14) + replacement + renewal index. The
    LIC's driver id when it fits, else a digest of it: the same driver gets the same card
    number in every export, which is how tachograph software files a driver's downloads."""
    cleaned = re.sub(r"[^A-Z0-9]", "", driver_id.upper())
    if len(cleaned) > 11:
        cleaned = hashlib.sha256(driver_id.encode()).hexdigest().upper()[:11]
    return f"LIC{cleaned}".ljust(14) + "00"


def elementary_files(card: Card, days: Sequence[VersionDay]) -> list[ElementaryFile]:
    """The EFs in the order of a card download (Appendix 7, 3.3, DDP_035)."""
    days = [d for d in days if d.activities]
    return [
        ElementaryFile(0x0002, _icc(), signed=False),
        ElementaryFile(0x0005, bytes(8), signed=False),  # CardChipIdentification
        ElementaryFile(0x0501, _application_identification()),
        ElementaryFile(0xC100, bytes(194), signed=False),  # CardCertificate: placeholder
        ElementaryFile(0xC108, bytes(194), signed=False),  # CA certificate: placeholder
        ElementaryFile(0x0520, _identification(card)),
        ElementaryFile(0x0521, name("") + bytes(1) + ia5("", 16)),  # no driving licence known
        ElementaryFile(0x0502, bytes(EVENT_TYPES * EVENTS_PER_TYPE * EVENT_RECORD)),
        ElementaryFile(0x0503, bytes(FAULT_TYPES * FAULTS_PER_TYPE * EVENT_RECORD)),
        ElementaryFile(0x0504, _driver_activity(card, days)),
        ElementaryFile(0x0505, _vehicles_used(card, days)),
        ElementaryFile(0x0506, _places(card, days)),
        ElementaryFile(0x0507, _current_usage(card, days)),
        ElementaryFile(0x0508, _control_activity(card)),
        ElementaryFile(0x0522, _specific_conditions(card)),
    ]


def _icc() -> bytes:
    """CardIccIdentification (25 octets): no chip here, so zeros and a blank approval number,
    as Mobilic writes it."""
    return bytes(9) + ia5("", 8) + bytes(8)


def _application_identification() -> bytes:
    """DriverCardApplicationIdentification: driver card, structure version 00 00 (gen-1),
    then the sizes the other EFs are built with."""
    return (
        bytes([0x01, 0x00, 0x00, EVENTS_PER_TYPE, FAULTS_PER_TYPE])
        + integer(ACTIVITY_BYTES, 2)
        + integer(VEHICLE_RECORDS, 2)
        + integer(PLACE_RECORDS, 1)
    )


def _identification(card: Card) -> bytes:
    """CardIdentification (65) + DriverCardHolderIdentification (78)."""
    expiry = card.issued_at.replace(year=card.issued_at.year + 5, day=min(card.issued_at.day, 28))
    identification = (
        bytes([NATION_FRANCE])
        + ia5(card_number(card.driver.id), 16)
        + name(ISSUING_AUTHORITY)
        + time_real(card.issued_at)
        + time_real(midnight_utc(card.window_start))
        + time_real(expiry)
    )
    holder = (
        name(card.driver.family_name)
        + name(card.driver.given_name)
        + datef(card.driver.birth_date)
        + ia5("fr", 2)
    )
    return identification + holder


def _driver_activity(card: Card, days: Sequence[VersionDay]) -> bytes:
    """CardDriverActivity: the two pointers, then the cyclic buffer of
    CardActivityDailyRecords, written from its start; the oldest days are dropped if the
    buffer is too small, as a card overwrites them."""
    minutes = minutes_by_day((a for d in days for a in d.activities), card.as_of)
    distance: dict[date, int] = {}
    for d in days:
        when = d.activities[0].start.astimezone(UTC).date()
        km = sum(max(v.distance or 0, 0) for v in d.day.vehicles)
        distance[when] = distance.get(when, 0) + km
    records = [(day, change_words(states)) for day, states in minutes.items()]
    while sum(DAY_HEADER + 2 * len(words) for _, words in records) > ACTIVITY_BYTES:
        records.pop(0)
    buffer, previous, newest = bytearray(), 0, 0
    for counter, (day, words) in enumerate(records, start=1):
        length = DAY_HEADER + 2 * len(words)
        newest = len(buffer)
        buffer += integer(previous, 2) + integer(length, 2) + time_real(midnight_utc(day))
        buffer += bcd(counter, 4) + integer(min(distance.get(day, 0), MAX_DISTANCE), 2)
        buffer += b"".join(integer(w, 2) for w in words)
        previous = length
    return integer(0, 2) + integer(newest, 2) + bytes(buffer).ljust(ACTIVITY_BYTES, b"\0")


def _vehicles_used(card: Card, days: Sequence[VersionDay]) -> bytes:
    """CardVehiclesUsed: pointer to the newest CardVehicleRecord, then the records. A LIC
    says which vehicles a day used, not when: each is given the whole day."""
    records = [
        _odometer(v.odometer_start)
        + _odometer(v.odometer_end)
        + time_real(d.activities[0].start)
        + time_real(d.end(card.as_of))
        + vehicle_registration(v.plate)
        for d in days
        for v in d.day.vehicles
    ][-VEHICLE_RECORDS:]
    body = b"".join(r + bcd(i, 4) for i, r in enumerate(records, start=1))
    return integer(max(len(records) - 1, 0), 2) + body.ljust(
        VEHICLE_RECORDS * VEHICLE_RECORD, b"\0"
    )


def _places(card: Card, days: Sequence[VersionDay]) -> bytes:
    """CardPlaceDailyWorkPeriod: pointer to the newest PlaceRecord, then the records: the
    begin (entry type 0) and end (1) of each daily work period, in France (region unknown)."""
    records: list[bytes] = []
    for d in days:
        vehicles = d.day.vehicles
        start_km = vehicles[0].odometer_start if vehicles else None
        end_km = vehicles[-1].odometer_end if vehicles else None
        records.append(_place(d.activities[0].start, 0, start_km))
        if d.activities[-1].end is not None:
            records.append(_place(d.activities[-1].end, 1, end_km))
    records = records[-PLACE_RECORDS:]
    return integer(max(len(records) - 1, 0), 1) + b"".join(records).ljust(
        PLACE_RECORDS * PLACE_RECORD, b"\0"
    )


def _place(when: datetime, entry_type: int, odometer: int | None) -> bytes:
    return time_real(when) + bytes([entry_type, NATION_FRANCE, 0]) + _odometer(odometer)


def _odometer(km: int | None) -> bytes:
    """OdometerShort: six digits of km, rolling over as a six-digit odometer does (a LIC
    allows seven)."""
    return integer((km or 0) % ODOMETER_TURN, 3)


def _current_usage(card: Card, days: Sequence[VersionDay]) -> bytes:
    """CardCurrentUse: the session open when the code was made, if a day was in progress."""
    if days and days[-1].activities[-1].end is None:
        last = days[-1]
        plate = last.day.vehicles[-1].plate if last.day.vehicles else ""
        return time_real(last.activities[0].start) + vehicle_registration(plate)
    return bytes(4) + bytes(1) + name("", 14)


def _control_activity(card: Card) -> bytes:
    """CardControlActivityDataRecord: this control, a card download ('c' bit of
    ControlType); the agent's control card number is not known (blank)."""
    return (
        bytes([0x80])
        + time_real(card.control_at)
        + bytes([0x03, NATION_FRANCE])  # FullCardNumber: control card, France
        + ia5("", 16)
        + vehicle_registration(card.control_plate)
        + time_real(midnight_utc(card.window_start))
        + time_real(card.as_of)
    )


def _specific_conditions(card: Card) -> bytes:
    """SpecificConditionRecords: "out of scope" (type 1 begin, 2 end) over the whole period,
    as Mobilic writes: the LIC's light vehicles are outside the EU tachograph rules."""
    records = (
        time_real(midnight_utc(card.window_start)) + bytes([1]) + time_real(card.as_of) + bytes([2])
    )
    return records.ljust(SPECIFIC_RECORDS * 5, b"\0")
