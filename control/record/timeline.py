"""Bit-packed activity timelines: the bulk of a 28-day record, kept small for the QR code.

A day's activities are a header then a sequence of items, most significant bit first:

    header   = start:12 offset:7         start = minutes from local midnight of the day's
                                         date + 720 (-720 to 3375); offset = signed count
                                         of 15 min of the first boundary

    segment  = type:3 duration           type 0-5 an activity, 6 an unrecorded gap
    escape   = 7:3 kind:2 value
      kind 0 = UTC offset change, value = signed 7-bit count of 15 min (applies to the
               boundaries that follow)
      kind 1 = employer change, value = 4-bit index into the record's employers
      kind 2 = activity in progress, value = type:3 (no duration; must be the last item)
    duration = 0 + 6 bits (0-63 min) | 10 + 8 bits (64-319) | 11 + 16 bits (320-65855)

Padding to a whole byte is made of zero bits (fewer than 8, and the shortest item is 8 bits).
A typical 7-segment day takes about 12 bytes instead of about 40 as plain CBOR arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, timezone
from functools import cache

from control.record.model import Activity, ActivityType

TYPE_CODES: dict[ActivityType, int] = {
    ActivityType.DRIVING: 0,
    ActivityType.WORK: 1,
    ActivityType.SUPPORT: 2,
    ActivityType.AVAILABILITY: 3,
    ActivityType.TRANSFER: 4,
    ActivityType.BREAK: 5,
}
CODE_TYPES = {code: kind for kind, code in TYPE_CODES.items()}
GAP, ESCAPE = 6, 7
ESC_OFFSET, ESC_EMPLOYER, ESC_OPEN = 0, 1, 2
QUARTER = timedelta(minutes=15)
MINUTE = timedelta(minutes=1)
MAX_DURATION = 320 + 0xFFFF
START_BIAS = 720
MAX_QUARTERS = 63  # ±15:45, the bound of the record model


class TimelineError(ValueError):
    """The packed bits do not describe a well-formed timeline."""


def pack(
    activities: Sequence[Activity], day: date, employers: Sequence[str], day_employer: str
) -> bytes:
    first = activities[0]
    quarters = _quarters(first.start)
    midnight = datetime.combine(day, time(0), tzinfo=_tz(quarters))
    start = _minutes(first.start - midnight) + START_BIAS
    if not 0 <= start < 1 << 12:
        raise ValueError("a timeline starts within a day and a half of its date")
    writer = _BitWriter()
    writer.write(start, 12)
    writer.write(quarters & 0x7F, 7)
    cursor, current_quarters, employer = first.start, quarters, day_employer
    for activity in activities:
        if activity.start > cursor:
            current_quarters = _offset_if_changed(writer, current_quarters, activity.start)
            writer.segment(GAP, _minutes(activity.start - cursor))
        if activity.employer != employer:
            employer = activity.employer
            writer.write(ESCAPE, 3)
            writer.write(ESC_EMPLOYER, 2)
            writer.write(employers.index(employer), 4)
        if activity.end is None:
            writer.write(ESCAPE, 3)
            writer.write(ESC_OPEN, 2)
            writer.write(TYPE_CODES[activity.type], 3)
            break
        current_quarters = _offset_if_changed(writer, current_quarters, activity.end)
        writer.segment(TYPE_CODES[activity.type], _minutes(activity.end - activity.start))
        cursor = activity.end
    return writer.to_bytes()


def unpack(
    packed: bytes, day: date, employers: Sequence[str], day_employer: str
) -> tuple[Activity, ...]:
    """The activities of a packed timeline, or TimelineError.

    On every verification's hot path, so the bit reading is inlined. What it returns holds by
    construction: whole minutes, UTC offsets in range, periods ending after they start, no
    overlap, employers from the record's list (check_record relies on it, see
    `timelines_unpacked`).
    """
    total = len(packed) * 8
    if total < 19:
        raise TimelineError("timeline bits end in the middle of an item")
    value = int.from_bytes(packed, "big")
    start = (value >> (total - 12)) - START_BIAS
    tz = _tz(_signed((value >> (total - 19)) & 0x7F, 7))
    cursor = datetime.combine(day, time(0), tzinfo=tz) + start * MINUTE
    position = 19
    employer = day_employer
    activities: list[Activity] = []
    append = activities.append
    previous_was_gap = in_progress = False
    while total - position >= 8:
        if in_progress:
            raise TimelineError("an activity in progress must be the last item")
        width, kind = ITEMS[(value >> (total - position - 5)) & 31]
        if kind == ESC_RESERVED:
            raise TimelineError("reserved escape")
        position += width
        if position > total:
            raise TimelineError("timeline bits end in the middle of an item")
        argument = (value >> (total - position)) & ((1 << (width - 3)) - 1)
        if kind <= GAP:  # the argument is the duration as written, prefix included
            minutes = argument - DURATION_BIAS[width]
            if minutes == 0:
                raise TimelineError("zero-length segment")
            end = cursor + minutes * MINUTE
            if end.tzinfo is not tz:
                end = end.astimezone(tz)
            if kind == GAP:
                if not activities or previous_was_gap:
                    raise TimelineError("a gap must separate two activities")
                previous_was_gap = True
            else:
                append(Activity(CODE_TYPES[kind], cursor, end, employer))
                previous_was_gap = False
            cursor = end
        elif kind == ESC_OFFSET_ITEM:
            tz = _tz(_signed(argument & 0x7F, 7))
        elif kind == ESC_EMPLOYER_ITEM:
            if argument & 0xF >= len(employers):
                raise TimelineError("employer index out of range")
            employer = employers[argument & 0xF]
        else:  # an activity in progress
            if argument & 0x7 not in CODE_TYPES:
                raise TimelineError("unknown activity type")
            append(Activity(CODE_TYPES[argument & 0x7], cursor, None, employer))
            previous_was_gap, in_progress = False, True
    if value & ((1 << (total - position)) - 1):
        raise TimelineError("non-zero padding")
    if not activities or previous_was_gap:
        raise TimelineError("a timeline has activities and does not end with a gap")
    return tuple(activities)


# An item's first 5 bits tell its width and kind: kinds 0-5 are activities and 6 a gap,
# whose width follows their duration's prefix ('0', '10', '11'); then the escapes.
ESC_OFFSET_ITEM, ESC_EMPLOYER_ITEM, ESC_OPEN_ITEM, ESC_RESERVED = 8, 9, 10, 11


def _item(head: int) -> tuple[int, int]:
    code, rest = head >> 2, head & 3
    if code < ESCAPE:
        return (10 if rest < 2 else 13 if rest == 2 else 21), code
    return ((12, ESC_OFFSET_ITEM), (9, ESC_EMPLOYER_ITEM), (8, ESC_OPEN_ITEM), (5, ESC_RESERVED))[
        rest
    ]


ITEMS = tuple(_item(head) for head in range(32))
# What a duration as written ('0'+6 bits, '10'+8 bits, '11'+16 bits) exceeds its minutes by.
DURATION_BIAS = {10: 0, 13: (0b10 << 8) - 64, 21: (0b11 << 16) - 320}


def _offset_if_changed(writer: _BitWriter, current: int, boundary: datetime) -> int:
    quarters = _quarters(boundary)
    if quarters != current:
        writer.write(ESCAPE, 3)
        writer.write(ESC_OFFSET, 2)
        writer.write(quarters & 0x7F, 7)
    return quarters


def _quarters(when: datetime) -> int:
    offset = when.utcoffset()
    assert offset is not None
    return offset // QUARTER


@cache
def _tz(quarters: int) -> timezone:
    """One shared tzinfo per offset, so unchanged offsets are recognised by identity."""
    if not -MAX_QUARTERS <= quarters <= MAX_QUARTERS:
        raise TimelineError("UTC offset beyond ±15:45")
    return timezone(quarters * QUARTER)


def _minutes(delta: timedelta) -> int:
    return delta // MINUTE


def _signed(value: int, bits: int) -> int:
    return value - (1 << bits) if value >= 1 << (bits - 1) else value


class _BitWriter:
    def __init__(self) -> None:
        self.value = 0
        self.count = 0

    def write(self, value: int, bits: int) -> None:
        self.value = (self.value << bits) | value
        self.count += bits

    def segment(self, code: int, minutes: int) -> None:
        self.write(code, 3)
        if minutes < 64:
            self.write(minutes, 7)
        elif minutes < 320:
            self.write(0b10, 2)
            self.write(minutes - 64, 8)
        elif minutes <= MAX_DURATION:
            self.write(0b11, 2)
            self.write(minutes - 320, 16)
        else:
            raise ValueError(f"period of {minutes} minutes too long for one segment")

    def to_bytes(self) -> bytes:
        padding = -self.count % 8
        return (self.value << padding).to_bytes((self.count + padding) // 8, "big")
