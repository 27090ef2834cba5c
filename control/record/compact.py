"""The compact CBOR form of a record: claim -70001 of the signed QR code.

Designed for size (every byte is QR readability at the roadside): integer keys, positional
day arrays whose trailing empty fields are dropped, tables for places and plates, odometers
as deltas, times as minutes relative to the day, timelines bit-packed (see timeline.py).
The CDDL schema is in docs/qr-format.md; `decode(encode(r)) == r` for every valid record.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

from control.record.invariants import RecordError, check_record
from control.record.model import (
    Activity,
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
from control.record.timeline import TimelineError, pack, unpack

VERSION = 1
EPOCH = date(1970, 1, 1)
BIRTH_EPOCH = date(1900, 1, 1)
SECTOR_CODES = {
    Sector.GOODS_LONG_DISTANCE: 0,
    Sector.GOODS_REGIONAL: 1,
    Sector.GOODS_PARCEL_CASH: 2,
    Sector.PASSENGERS: 3,
    Sector.REMOVALS: 4,
}
CODE_SECTORS = {code: sector for sector, code in SECTOR_CODES.items()}
AUTHOR_CODES = {Author.DRIVER: 0, Author.EMPLOYER: 1}
CODE_AUTHORS = {code: author for author, code in AUTHOR_CODES.items()}
K_VERSION, K_DRIVER, K_EMPLOYERS, K_WINDOW, K_PLACES, K_PLATES, K_DAYS, K_FULL = range(8)
MINUTE = timedelta(minutes=1)
QUARTER = timedelta(minutes=15)


def encode(record: Record) -> dict[int, Any]:
    """The record as a CBOR-ready structure (pass it to cbor2.dumps)."""
    sirens = [e.siren for e in record.employers]
    places: list[Place] = []
    plates: list[str] = []
    odometers: dict[str, int] = {}
    days = []
    for day in record.days:
        days.append(_encode_day(day, record.window_start, sirens, places, plates, odometers))
    out: dict[int, Any] = {
        K_VERSION: VERSION,
        K_DRIVER: [
            record.driver.id,
            record.driver.family_name,
            record.driver.given_name,
            (record.driver.birth_date - BIRTH_EPOCH).days,
        ],
        K_EMPLOYERS: [[int(e.siren), e.name, SECTOR_CODES[e.sector]] for e in record.employers],
        K_WINDOW: (record.window_start - EPOCH).days,
        K_PLACES: [[_insee_code(p.insee)] + ([p.label] if p.label else []) for p in places],
        K_PLATES: plates,
        K_DAYS: days,
    }
    if record.full_record is not None:
        out[K_FULL] = [record.full_record.sha256, record.full_record.url]
    return out


def decode(data: Any) -> Record:
    """Rebuild and check a record; RecordError (with a path) for anything off-schema."""
    try:
        record = _decode(data)
    except RecordError:
        raise
    except TimelineError as error:
        raise RecordError("days", f"timeline: {error}") from None
    except (KeyError, IndexError, TypeError, ValueError, OverflowError) as error:
        raise RecordError(
            "", f"does not match the compact schema ({type(error).__name__}: {error})"
        ) from None
    check_record(record, timelines_unpacked=True)
    return record


def build(data: Any) -> Record:
    """The model of a compact record that `scan.proven_valid` accepted: built without the
    checks `decode` makes, which that proof already covers."""
    return _decode(data)


def _encode_day(
    day: WorkDay,
    window_start: date,
    sirens: list[str],
    places: list[Place],
    plates: list[str],
    odometers: dict[str, int],
) -> list[Any]:
    reference = reference_of(day.activities)
    vehicles = []
    for vehicle in day.vehicles:
        if vehicle.plate not in plates:
            plates.append(vehicle.plate)
        start_delta = None
        if vehicle.odometer_start is not None:
            start_delta = vehicle.odometer_start - odometers.get(vehicle.plate, 0)
            odometers[vehicle.plate] = vehicle.odometer_end or vehicle.odometer_start
        vehicles.append(_trim([plates.index(vehicle.plate), start_delta, vehicle.distance]))
    fields: list[Any] = [
        (day.date - window_start).days,
        sirens.index(day.employer),
        pack(day.activities, day.date, sirens, day.employer),
        _place_index(day.start_place, places),
        _place_index(day.end_place, places),
        vehicles,
        _encode_validation(day, reference),
        None
        if day.driver_activities is None
        else pack(day.driver_activities, day.date, sirens, day.employer),
        [[AUTHOR_CODES[o.author], *_moment(o.at, reference), o.text] for o in day.observations],
    ]
    return _trim(fields)


def _decode(data: Any) -> Record:
    if not isinstance(data, dict) or data.get(K_VERSION) != VERSION:
        raise RecordError("", f"not a version {VERSION} compact record")
    unknown = set(data) - set(range(8))
    if unknown:
        raise RecordError("", f"unknown keys {sorted(unknown, key=str)}")
    driver_id, family, given, birth = _array(data[K_DRIVER], "driver", 4, 4)
    driver = Driver(
        _text(driver_id), _text(family), _text(given), BIRTH_EPOCH + timedelta(days=_int(birth))
    )
    employers = tuple(_employer(e, i) for i, e in enumerate(_list(data[K_EMPLOYERS], "employers")))
    sirens = [e.siren for e in employers]
    window_start = EPOCH + timedelta(days=_int(data[K_WINDOW]))
    places = [_place(p, i) for i, p in enumerate(_list(data[K_PLACES], "places"))]
    plates = [_text(p) for p in _list(data[K_PLATES], "plates")]
    odometers: dict[str, int] = {}
    days = tuple(
        _decode_day(d, i, window_start, sirens, places, plates, odometers)
        for i, d in enumerate(_list(data[K_DAYS], "days"))
    )
    full = None
    if K_FULL in data:
        digest, url = _array(data[K_FULL], "full_record", 2, 2)
        if not isinstance(digest, bytes):
            raise RecordError("full_record.sha256", "bytes expected")
        full = FullRecordRef(digest, _text(url))
    return Record(driver, employers, window_start, days, full)


def _decode_day(
    raw: Any,
    index: int,
    window_start: date,
    sirens: list[str],
    places: list[Place],
    plates: list[str],
    odometers: dict[str, int],
) -> WorkDay:
    path = f"days[{index}]"
    fields = _array(raw, path, 3, 9) + [None] * (9 - len(raw))
    offset, employer_index, timeline, start, end, vehicles, validation, original, obs = fields
    day_date = window_start + timedelta(days=_int(offset))
    employer = sirens[_int(employer_index)]
    activities = unpack(_bytes(timeline), day_date, sirens, employer)
    reference = reference_of(activities)
    driver_validation, employer_validation = _decode_validation(validation, reference, path)
    uses = []
    for v, item in enumerate(_list(vehicles or [], f"{path}.vehicles")):
        plate_index, start_delta, distance = _array(item, f"{path}.vehicles[{v}]", 1, 3) + [
            None
        ] * (3 - len(item))
        plate = plates[_int(plate_index)]
        odometer_start = odometer_end = None
        if start_delta is not None:
            odometer_start = odometers.get(plate, 0) + _int(start_delta)
            odometer_end = None if distance is None else odometer_start + _int(distance)
            odometers[plate] = odometer_end or odometer_start
        uses.append(VehicleUse(plate, odometer_start, odometer_end))
    return WorkDay(
        date=day_date,
        employer=employer,
        activities=activities,
        start_place=None if start is None else places[_int(start)],
        end_place=None if end is None else places[_int(end)],
        vehicles=tuple(uses),
        driver_validation=driver_validation,
        employer_validation=employer_validation,
        driver_activities=None
        if original is None
        else unpack(_bytes(original), day_date, sirens, employer),
        observations=tuple(
            _observation(item, reference, f"{path}.observations[{o}]")
            for o, item in enumerate(_list(obs or [], f"{path}.observations"))
        ),
    )


# Flags of the validation field: which validations exist and what they say.
DRIVER, AUTOMATIC, EMPLOYER, CHANGED, DRIVER_OFFSET, EMPLOYER_OFFSET = (1 << i for i in range(6))


def _encode_validation(day: WorkDay, reference: datetime) -> list[int] | None:
    """[flags, driver minutes, ?driver offset, employer minutes, ?employer offset]."""
    flags, values = 0, []
    if day.driver_validation is not None:
        moment = _moment(day.driver_validation.at, reference)
        flags |= DRIVER | (AUTOMATIC if day.driver_validation.automatic else 0)
        flags |= DRIVER_OFFSET if len(moment) == 2 else 0
        values += moment
    if day.employer_validation is not None:
        moment = _moment(day.employer_validation.at, reference)
        flags |= EMPLOYER | (CHANGED if day.employer_validation.changed else 0)
        flags |= EMPLOYER_OFFSET if len(moment) == 2 else 0
        values += moment
    return [flags, *values] if flags else None


def _decode_validation(
    raw: Any, reference: datetime, path: str
) -> tuple[DriverValidation | None, EmployerValidation | None]:
    if raw is None:
        return None, None
    items = _array(raw, f"{path}.validation", 1, 5)
    flags, values = _int(items[0]), items[1:]
    if flags >= 1 << 6 or (flags & (AUTOMATIC | DRIVER_OFFSET) and not flags & DRIVER):
        raise RecordError(f"{path}.validation", "inconsistent flags")
    if flags & (CHANGED | EMPLOYER_OFFSET) and not flags & EMPLOYER:
        raise RecordError(f"{path}.validation", "inconsistent flags")
    driver = employer = None
    if flags & DRIVER:
        taken = 2 if flags & DRIVER_OFFSET else 1
        driver = DriverValidation(_at(values[:taken], reference), bool(flags & AUTOMATIC))
        values = values[taken:]
    if flags & EMPLOYER:
        taken = 2 if flags & EMPLOYER_OFFSET else 1
        employer = EmployerValidation(_at(values[:taken], reference), bool(flags & CHANGED))
        values = values[taken:]
    if values:
        raise RecordError(f"{path}.validation", "more values than the flags announce")
    return driver, employer


def reference_of(activities: Sequence[Activity]) -> datetime:
    """The day's last boundary: validation and observation times are written relative to it."""
    last = activities[-1]
    return last.end or last.start


def _moment(when: datetime, reference: datetime) -> list[int]:
    """Minutes after the reference, plus the offset in quarters only when it differs."""
    minutes = (when - reference) // MINUTE
    offset = when.utcoffset()
    if offset == reference.utcoffset() or offset is None:
        return [minutes]
    return [minutes, offset // QUARTER]


def _at(moment: list[Any], reference: datetime) -> datetime:
    """Inverse of _moment: [minutes] or [minutes, offset in quarters]."""
    tz = reference.tzinfo
    if len(moment) == 2:
        quarters = _int(moment[1])
        if not -64 <= quarters <= 63:
            raise ValueError("UTC offset out of range")
        tz = timezone(quarters * QUARTER)
    return (reference + _int(moment[0]) * MINUTE).astimezone(tz)


def _observation(raw: Any, reference: datetime, path: str) -> Observation:
    """[author, minutes, ?offset, text]."""
    items = _array(raw, path, 3, 4)
    return Observation(CODE_AUTHORS[_int(items[0])], _at(items[1:-1], reference), _text(items[-1]))


def _insee_code(insee: str) -> int | str:
    """Mainland codes as integers (3 bytes instead of 6); Corsica's 2A/2B stay text."""
    return int(insee) if insee.isdigit() else insee


def _insee(raw: Any) -> str:
    if isinstance(raw, int) and not isinstance(raw, bool):
        if not 0 <= raw <= 99_999:
            raise ValueError("INSEE code out of range")
        return f"{raw:05d}"
    return _text(raw)


def _bytes(raw: Any) -> bytes:
    if not isinstance(raw, bytes):
        raise TypeError("bytes expected")
    return raw


def _place_index(place: Place | None, places: list[Place]) -> int | None:
    if place is None:
        return None
    if place not in places:
        places.append(place)
    return places.index(place)


def _employer(raw: Any, index: int) -> Employer:
    siren, name, sector = _array(raw, f"employers[{index}]", 3, 3)
    if _int(siren) < 0 or _int(siren) > 999_999_999:
        raise RecordError(f"employers[{index}].siren", "out of range")
    return Employer(f"{siren:09d}", _text(name), CODE_SECTORS[_int(sector)])


def _place(raw: Any, index: int) -> Place:
    items = _array(raw, f"places[{index}]", 1, 2)
    return Place(_insee(items[0]), _text(items[1]) if len(items) == 2 else None)


def _trim(fields: list[Any]) -> list[Any]:
    while fields and fields[-1] in (None, []):
        fields.pop()
    return fields


def _array(raw: Any, path: str, least: int, most: int) -> list[Any]:
    if not isinstance(raw, list) or not least <= len(raw) <= most:
        raise RecordError(path, f"array of {least} to {most} items expected")
    return raw


def _list(raw: Any, path: str) -> list[Any]:
    if not isinstance(raw, list):
        raise RecordError(path, "array expected")
    return raw


def _int(raw: Any) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise TypeError(f"integer expected, got {type(raw).__name__}")
    return raw


def _text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise TypeError(f"text expected, got {type(raw).__name__}")
    return raw
