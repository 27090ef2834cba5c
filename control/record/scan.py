"""A structural check of a compact record that builds nothing: the verifier's fast path.

Building the record model (some 200 frozen dataclasses and 400 datetimes for 28 days) is
most of the cost of a verification, while a controller's screen may never need it and the
verdict only needs to know whether `compact.decode` would accept the record. `proven_valid`
answers that on plain integers: it accepts only what it proves `decode` (with
`check_record`) accepts, and gives up (None) on anything unusual, when the verifier asks
`decode` itself, which also words the reason. So a verdict never depends on this module being
complete, only on it being sound, which tests/record/test_scan.py checks against `decode` on
valid, mutated and random records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from control.record.compact import (
    AUTOMATIC,
    CHANGED,
    DRIVER,
    DRIVER_OFFSET,
    EMPLOYER,
    EMPLOYER_OFFSET,
    EPOCH,
    K_DAYS,
    K_DRIVER,
    K_EMPLOYERS,
    K_FULL,
    K_PLACES,
    K_PLATES,
    K_WINDOW,
    SECTOR_CODES,
    VERSION,
)
from control.record.invariants import INSEE, MAX_EMPLOYERS, TEXT_LIMITS
from control.record.model import WINDOW_DAYS
from control.record.timeline import (
    DURATION_BIAS,
    ESC_EMPLOYER_ITEM,
    ESC_OFFSET_ITEM,
    ESC_OPEN_ITEM,
    GAP,
    ITEMS,
    START_BIAS,
)

# Bounds within which no date or datetime arithmetic of `decode` can overflow: a window
# starting before 7445 and times within two years of their day. Beyond, `decode` decides.
MAX_WINDOW = 2_000_000
MAX_MINUTES = 1_000_000
MAX_BIRTH = 2_000_000
DAY_MINUTES = 1440
KEYS = frozenset(range(8))
SECTORS = frozenset(SECTOR_CODES.values())
ODOMETER_LIMIT = 10_000_000


@dataclass(frozen=True)
class Facts:
    """What the verdict needs of a record proven valid."""

    window_start: date
    complete: bool


def proven_valid(data: Any) -> Facts | None:
    """Facts when `compact.decode(data)` is sure to succeed; None when it is not proven."""
    if type(data) is not dict or data.get(0) != VERSION or type(data[0]) is not int:
        return None
    if not KEYS.issuperset(data) or any(type(k) is not int for k in data):
        return None
    if not all(k in data for k in (K_DRIVER, K_EMPLOYERS, K_WINDOW, K_PLACES, K_PLATES, K_DAYS)):
        return None
    if not _driver(data[K_DRIVER]) or (K_FULL in data and not _full(data[K_FULL])):
        return None
    employers = _employers(data[K_EMPLOYERS])
    window = data[K_WINDOW]
    places, plates, days = data[K_PLACES], data[K_PLATES], data[K_DAYS]
    if not employers or type(window) is not int or not 0 <= window <= MAX_WINDOW:
        return None
    if not (_places(places) and _plates(plates)) or type(days) is not list:
        return None
    window_minutes = window * DAY_MINUTES
    place_count, plate_count = len(places), len(plates)
    odometers: dict[int, int] = {}
    previous_end = -1 << 62
    last = len(days) - 1
    for d, raw in enumerate(days):
        if type(raw) is not list or not 3 <= len(raw) <= 9:
            return None
        offset, employer, timeline, start, end, vehicles, validation, original, notes = (
            raw + _PADDING[len(raw)]
        )
        if type(offset) is not int or not 0 <= offset < WINDOW_DAYS:
            return None
        if type(employer) is not int or not 0 <= employer < employers:
            return None
        midnight = window_minutes + offset * DAY_MINUTES
        day = _timeline(timeline, midnight, employers)
        if day is None or day[0] < previous_end or (day[2] and d != last):
            return None
        previous_end = day[1]
        if start is not None and (type(start) is not int or not 0 <= start < place_count):
            return None
        if end is not None and (type(end) is not int or not 0 <= end < place_count):
            return None
        if vehicles is not None and not _vehicles(vehicles, plate_count, odometers):
            return None
        changed = False if validation is None else _validation(validation)
        if changed is None:
            return None
        if original is not None:
            kept = _timeline(original, midnight, employers) if changed else None
            if kept is None or kept[2]:
                return None
        if notes is not None and not _observations(notes):
            return None
    return Facts(EPOCH + timedelta(days=window), K_FULL not in data)


def _text(value: Any, kind: str) -> bool:
    return (
        type(value) is str
        and len(value) <= TEXT_LIMITS[kind]
        and not value.isspace()
        and value != ""
    )


def _plates(values: Any) -> bool:
    """Valid and distinct: `decode` follows odometers per plate text, this per index."""
    return (
        type(values) is list
        and all(_text(value, "plate") for value in values)
        and len(set(values)) == len(values)
    )


def _int(value: Any, low: int, high: int) -> bool:
    return type(value) is int and low <= value <= high


def _driver(raw: Any) -> bool:
    if type(raw) is not list or len(raw) != 4:
        return False
    driver_id, family, given, birth = raw
    return (
        _text(driver_id, "id")
        and _text(family, "name")
        and _text(given, "name")
        and _int(birth, 0, MAX_BIRTH)
    )


def _full(raw: Any) -> bool:
    if type(raw) is not list or len(raw) != 2:
        return False
    digest, url = raw
    return (
        type(digest) is bytes
        and len(digest) == 32
        and _text(url, "url")
        and url.startswith("https://")
    )


def _employers(raw: Any) -> int:
    """How many employers, 0 when not proven valid."""
    if type(raw) is not list or not 1 <= len(raw) <= MAX_EMPLOYERS:
        return 0
    sirens = set()
    for item in raw:
        if type(item) is not list or len(item) != 3:
            return 0
        siren, name, sector = item
        if not _int(siren, 0, 999_999_999) or not _text(name, "name"):
            return 0
        if type(sector) is not int or sector not in SECTORS:
            return 0
        sirens.add(siren)
    return len(raw) if len(sirens) == len(raw) else 0


def _places(raw: Any) -> bool:
    if type(raw) is not list:
        return False
    for item in raw:
        if type(item) is not list or not 1 <= len(item) <= 2:
            return False
        insee = item[0]
        if type(insee) is int:
            if not 0 <= insee <= 99_999:
                return False
        elif type(insee) is not str or not INSEE.match(insee):
            return False
        if len(item) == 2 and not _text(item[1], "label"):
            return False
    return True


def _vehicles(raw: Any, plates: int, odometers: dict[int, int]) -> bool:
    if type(raw) is not list:
        return False
    for item in raw:
        if type(item) is not list or not 1 <= len(item) <= 3:
            return False
        plate, delta, distance = item if len(item) == 3 else [*item, None, None][:3]
        if type(plate) is not int or not 0 <= plate < plates:
            return False
        if delta is None:
            if distance is not None and type(distance) is not int:
                return False
            continue
        if type(delta) is not int or (distance is not None and type(distance) is not int):
            return False
        start = odometers.get(plate, 0) + delta
        end = None if distance is None else start + distance
        if not 0 <= start < ODOMETER_LIMIT:
            return False
        if end is not None and not start <= end < ODOMETER_LIMIT:
            return False
        odometers[plate] = end or start
    return True


def _validation(raw: Any) -> bool | None:
    """Whether the employer changed the day; None when not proven valid. Every value an
    integer within the minutes' bounds, then the offsets, if any, within theirs."""
    if type(raw) is not list or not raw:
        return None
    flags = raw[0]
    if type(flags) is not int or not 0 <= flags < 64:
        return None
    shape = _VALIDATIONS[flags]
    if shape is None or len(raw) != shape[0]:
        return None
    for value in raw:
        if type(value) is not int or not -MAX_MINUTES <= value <= MAX_MINUTES:
            return None
    for at in shape[1]:
        if not -63 <= raw[at] <= 63:
            return None
    return flags & CHANGED != 0


def _validation_shape(flags: int) -> tuple[int, tuple[int, ...]] | None:
    """How long a validation with `flags` is and where its offsets (in quarters, after their
    minutes) are; None for flags `decode` refuses."""
    if flags & (AUTOMATIC | DRIVER_OFFSET) and not flags & DRIVER:
        return None
    if flags & (CHANGED | EMPLOYER_OFFSET) and not flags & EMPLOYER:
        return None
    length = 1
    offsets: tuple[int, ...] = ()
    for present, offset in ((DRIVER, DRIVER_OFFSET), (EMPLOYER, EMPLOYER_OFFSET)):
        if flags & present:
            length += 1
            if flags & offset:
                offsets += (length,)
                length += 1
    return length, offsets


_VALIDATIONS = tuple(_validation_shape(flags) for flags in range(64))
_PADDING = tuple([None] * (9 - length) for length in range(10))


def _moment(items: list[Any]) -> bool:
    """[minutes] or [minutes, offset in quarters within ±63]."""
    if not _int(items[0], -MAX_MINUTES, MAX_MINUTES):
        return False
    return len(items) == 1 or _int(items[1], -63, 63)


def _observations(raw: Any) -> bool:
    if type(raw) is not list:
        return False
    for item in raw:
        if type(item) is not list or not 3 <= len(item) <= 4:
            return False
        if not _int(item[0], 0, 1) or not _moment(item[1:-1]):
            return False
        if not _text(item[-1], "observation"):
            return False
    return True


def _timeline(packed: Any, midnight: int, employers: int) -> tuple[int, int, bool] | None:
    """`timeline.unpack`'s reading without its objects: the day's start and end in minutes
    since the epoch (`midnight` is the date's, in UTC) and whether its last activity is in
    progress; None when `unpack` would refuse it or the day would not start on its date.

    An item's first 12 bits tell its kind, width and, but for a long duration, its value
    (`_HEADS`), so most items cost one table look-up and one shift: most of a verification's
    time went into reading them bit field by bit field.
    """
    if type(packed) is not bytes or len(packed) < 3:
        return None
    total = len(packed) * 8
    value = int.from_bytes(packed, "big")
    start = (value >> (total - 12)) - START_BIAS
    quarters = (value >> (total - 19)) & 0x7F
    if quarters == 64 or not 0 <= start < DAY_MINUTES:
        return None
    quarters = quarters - 128 if quarters > 64 else quarters
    wide = value << 8  # 12 bits readable wherever an item may start
    remaining = total - 19  # bits after the item read so far
    minutes = 0
    state = _NOTHING_YET
    while remaining >= 8:
        width, kind, argument = _HEADS[(wide >> (remaining - 4)) & 0xFFF]
        remaining -= width
        if remaining < 0:
            return None
        if kind <= GAP:
            if argument <= 0:
                if argument == 0:
                    return None
                # a duration wider than the head: never zero by its prefix
                argument = ((value >> remaining) & ((1 << (width - 3)) - 1)) - DURATION_BIAS[width]
            if kind == GAP:
                if state is not _AFTER_ACTIVITY:
                    return None
                state = _AFTER_GAP
            else:
                state = _AFTER_ACTIVITY
            minutes += argument
        elif kind == ESC_OFFSET_ITEM:
            if argument == 64:  # beyond ±15:45
                return None
        elif kind == ESC_EMPLOYER_ITEM:
            if argument >= employers:
                return None
        elif kind == ESC_OPEN_ITEM:
            if argument > 5 or remaining >= 8:  # the activity in progress is the last item
                return None
            state = _IN_PROGRESS
        else:
            return None
    if value & ((1 << remaining) - 1) or state is _NOTHING_YET or state is _AFTER_GAP:
        return None
    if minutes > MAX_MINUTES:  # `decode` might overflow the datetime range
        return None
    first = midnight + start - quarters * 15
    return first, first + minutes, state is _IN_PROGRESS


# Where a timeline's reading stands, for the rules of gaps: one between two activities.
_NOTHING_YET, _AFTER_ACTIVITY, _AFTER_GAP, _IN_PROGRESS = "nothing", "activity", "gap", "open"


def _head(bits: int) -> tuple[int, int, int]:
    """What an item starting with these 12 bits is: its width, its kind (`timeline.ITEMS`)
    and its value when the 12 bits hold it (a duration in minutes, an escape's argument), -1
    when they do not (a duration of 13 or 21 bits)."""
    width, kind = ITEMS[bits >> 7]
    if kind <= GAP:
        return width, kind, (bits >> 2) & 0x3F if width == 10 else -1
    return width, kind, (bits >> (12 - width)) & ((1 << (width - 5)) - 1)


_HEADS = tuple(_head(bits) for bits in range(1 << 12))
