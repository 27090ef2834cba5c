"""The compact CBOR form: lossless for every valid record, strict on anything else."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import cbor2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from control.record import (
    Activity,
    ActivityType,
    Author,
    DriverValidation,
    EmployerValidation,
    Observation,
    Place,
    Record,
    RecordError,
    WorkDay,
    record_to_json,
)
from control.record.compact import decode, encode
from control.record.invariants import check_timeline
from control.record.timeline import TimelineError, unpack

CET, CEST = timezone(timedelta(hours=1)), timezone(timedelta(hours=2))


def round_trip(record: Record) -> Record:
    return decode(cbor2.loads(cbor2.dumps(encode(record))))


def test_round_trip_of_a_typical_record(record: Record) -> None:
    assert record_to_json(round_trip(record)) == record_to_json(record)


def test_round_trip_keeps_employer_changes_observations_and_second_employer(
    rich_record: Record,
) -> None:
    assert any(day.driver_activities for day in rich_record.days)
    assert any(day.observations for day in rich_record.days)
    assert len({a.employer for day in rich_record.days for a in day.activities}) == 2
    assert record_to_json(round_trip(rich_record)) == record_to_json(rich_record)


def _single_day(record: Record, day: WorkDay) -> Record:
    return replace(record, window_start=day.date - timedelta(days=27), days=(day,))


def test_activity_across_the_october_clock_change_keeps_both_offsets(record: Record) -> None:
    siren = record.employers[0].siren
    night = WorkDay(
        date=date(2026, 10, 24),
        employer=siren,
        activities=(
            Activity(
                ActivityType.DRIVING,
                datetime(2026, 10, 24, 22, 0, tzinfo=CEST),
                datetime(2026, 10, 25, 2, 30, tzinfo=CEST),
                siren,
            ),
            Activity(
                ActivityType.BREAK,
                datetime(2026, 10, 25, 2, 30, tzinfo=CEST),
                datetime(2026, 10, 25, 2, 15, tzinfo=CET),
                siren,
            ),
            Activity(
                ActivityType.DRIVING,
                datetime(2026, 10, 25, 2, 15, tzinfo=CET),
                datetime(2026, 10, 25, 5, 0, tzinfo=CET),
                siren,
            ),
        ),
        driver_validation=DriverValidation(datetime(2026, 10, 25, 5, 30, tzinfo=CET)),
        employer_validation=EmployerValidation(datetime(2026, 10, 26, 9, 0, tzinfo=CET)),
    )
    original = _single_day(record, night)
    back = round_trip(original)
    assert record_to_json(back) == record_to_json(original)
    assert back.days[0].activities[1].duration == timedelta(minutes=45)


def test_times_in_another_offset_than_the_day_are_kept(record: Record) -> None:
    day = record.days[0]
    utc = UTC
    assert day.driver_validation is not None
    changed = replace(
        day,
        driver_validation=DriverValidation(day.driver_validation.at.astimezone(utc), True),
        observations=(Observation(Author.DRIVER, day.activities[0].start.astimezone(utc), "note"),),
    )
    original = _single_day(record, changed)
    assert record_to_json(round_trip(original)) == record_to_json(original)


def test_corsican_commune_codes_and_long_gaps_round_trip(record: Record) -> None:
    day = record.days[0]
    first, *rest = day.activities
    late = [
        replace(a, start=a.start + timedelta(hours=5), end=a.end and a.end + timedelta(hours=5))
        for a in rest
    ]
    changed = replace(
        day,
        activities=(first, *late),
        start_place=Place("2A004", "Ajaccio"),
        end_place=Place("06088"),
    )
    original = _single_day(record, changed)
    assert record_to_json(round_trip(original)) == record_to_json(original)


def test_activity_in_progress_round_trips(record: Record) -> None:
    assert record.days[-1].in_progress
    assert round_trip(record).days[-1].activities[-1].end is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda c: c.update({0: 2}),
        lambda c: c.update({2: [[12, "X", 9]]}),
        lambda c: c[6][0].__setitem__(2, b""),
        lambda c: c[6][0].__setitem__(2, "text"),
        lambda c: c[6][0].__setitem__(1, 7),
        lambda c: c[6][0].__setitem__(0, 40),
        lambda c: c.update({99: 1}),
        lambda c: c[6][0].__setitem__(2, c[6][0][2] + b"\xff"),
        lambda c: c[6][0].__setitem__(6, [64]),
    ],
    ids=[
        "version",
        "sector",
        "empty-timeline",
        "timeline-type",
        "employer-index",
        "day-outside-window",
        "unknown-key",
        "trailing-bits",
        "validation-flags",
    ],
)
def test_off_schema_compact_records_are_refused(record: Record, damage: Any) -> None:
    compact = cbor2.loads(cbor2.dumps(encode(record)))
    damage(compact)
    with pytest.raises(RecordError):
        decode(compact)


DURATIONS = st.integers(min_value=1, max_value=2000)
KINDS = st.sampled_from(list(ActivityType))


@settings(max_examples=200, deadline=None)
@given(
    start=st.integers(min_value=0, max_value=1439),
    offset=st.sampled_from([-4, 0, 4, 8, 16]),
    segments=st.lists(st.tuples(KINDS, DURATIONS, st.integers(0, 300)), min_size=1, max_size=30),
    open_last=st.booleans(),
)
def test_any_timeline_round_trips(
    record: Record,
    start: int,
    offset: int,
    segments: list[tuple[ActivityType, int, int]],
    open_last: bool,
) -> None:
    siren = record.employers[0].siren
    tz = timezone(timedelta(minutes=15 * offset))
    day = date(2026, 11, 25)
    cursor = datetime(2026, 11, 25, tzinfo=tz) + timedelta(minutes=start)
    activities = []
    for index, (kind, minutes, gap) in enumerate(segments):
        cursor += timedelta(minutes=gap if index else 0)
        end = cursor + timedelta(minutes=minutes)
        last = open_last and index == len(segments) - 1
        activities.append(Activity(kind, cursor, None if last else end, siren))
        cursor = end
    original = replace(record, days=(WorkDay(day, siren, tuple(activities)),))
    assert record_to_json(round_trip(original)) == record_to_json(original)


@settings(max_examples=2000, deadline=None)
@given(packed=st.binary(min_size=3, max_size=40), sirens=st.sampled_from([1, 2, 3]))
def test_whatever_unpack_accepts_passes_the_full_timeline_checks(
    packed: bytes, sirens: int
) -> None:
    """check_record trusts unpacked timelines (timelines_unpacked=True): prove that is safe."""
    employers = [f"{n:09d}" for n in range(1, sirens + 1)]
    try:
        activities = unpack(packed, date(2026, 11, 25), employers, employers[0])
    except TimelineError:
        return
    check_timeline("activities", activities, set(employers), open_allowed=True)


def test_an_offset_of_minus_16_hours_is_refused_by_unpack() -> None:
    # start 720 (local midnight) on 12 bits, offset -64 quarters on 7 bits, one 30-min drive
    bits = f"{720:012b}{64:07b}000{30:07b}"
    bits += "0" * (-len(bits) % 8)
    with pytest.raises(TimelineError, match="15:45"):
        unpack(int(bits, 2).to_bytes(len(bits) // 8, "big"), date(2026, 11, 25), ["1"], "1")
