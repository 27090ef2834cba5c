"""The verifier's structural check of a compact record is sound: whatever it proves valid,
`decode` accepts, and the model built without checks is the one `decode` gives."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import cbor2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from control.record import Record
from control.record.compact import build, decode, encode
from control.record.scan import proven_valid


def compact_of(record: Record) -> Any:
    return cbor2.loads(cbor2.dumps(encode(record)))


def assert_sound(compact: Any) -> None:
    facts = proven_valid(compact)
    if facts is None:
        return
    decoded = decode(copy.deepcopy(compact))  # raises if the proof was wrong
    assert build(compact) == decoded
    assert facts.window_start == decoded.window_start
    assert facts.complete == decoded.complete


def test_a_typical_record_is_proven_valid_and_built_as_decode_builds_it(record: Record) -> None:
    compact = compact_of(record)
    facts = proven_valid(compact)
    assert facts is not None
    assert facts.window_start == record.window_start
    assert facts.complete
    assert build(compact) == decode(compact) == record


def test_changes_observations_and_a_second_employer_are_proven_valid(rich_record: Record) -> None:
    assert proven_valid(compact_of(rich_record)) is not None
    assert build(compact_of(rich_record)) == rich_record


def test_an_activity_in_progress_only_on_the_last_day(record: Record) -> None:
    last = record.days[-1]
    opened = replace(last.activities[-1], end=None)
    in_progress = replace(
        record, days=(*record.days[:-1], replace(last, activities=(*last.activities[:-1], opened)))
    )
    assert proven_valid(compact_of(in_progress)) is not None
    compact = compact_of(in_progress)
    compact[6][0], compact[6][-1][2] = compact[6][-1] + [], compact[6][0][2]
    assert_sound(compact)


@pytest.mark.parametrize(
    "damage",
    [
        lambda c: c.update({0: True}),
        lambda c: c.update({2: [c[2][0], c[2][0]]}),  # an employer twice
        lambda c: c[1].__setitem__(1, " "),
        lambda c: c[5].append(c[5][0]) if c[5] else None,  # a plate twice
        lambda c: c[6][0].__setitem__(1, -1),  # Python would read the last employer
        lambda c: c[6][1].__setitem__(0, c[6][0][0]),  # two days on one date: overlap
        lambda c: c[6][0].__setitem__(2, bytes([0xFF]) + c[6][0][2][1:]),  # starts next day
        lambda c: c.update({7: [b"\0" * 32, "http://example.org/full"]}),
    ],
    ids=[
        "boolean-version",
        "employer-twice",
        "blank-name",
        "plate-twice",
        "negative-index",
        "overlap",
        "start-not-on-date",
        "plain-http",
    ],
)
def test_what_decode_refuses_or_python_reads_oddly_is_not_proven(
    record: Record, damage: Any
) -> None:
    compact = compact_of(record)
    damage(compact)
    assert proven_valid(compact) is None


LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-70, 70),
    st.integers(-(2**64), 2**64),
    st.text(max_size=3),
    st.binary(max_size=6),
    st.lists(st.integers(-3, 3), max_size=3),
)


def _positions(item: Any, out: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    keys = item.keys() if isinstance(item, dict) else range(len(item))
    for key in keys:
        out.append((item, key))
        if isinstance(item[key], list | dict):
            _positions(item[key], out)
    return out


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_mutated_record_is_proven_valid_only_when_decode_accepts_it(
    rich_record: Record, data: st.DataObject
) -> None:
    compact = compact_of(rich_record)
    for _ in range(data.draw(st.integers(1, 3))):
        positions = _positions(compact, [])
        container, key = data.draw(st.sampled_from(positions))
        value = container[key]
        if isinstance(value, bytes) and value and data.draw(st.booleans()):
            bit = data.draw(st.integers(0, len(value) * 8 - 1))
            flipped = int.from_bytes(value, "big") ^ (1 << bit)
            container[key] = flipped.to_bytes(len(value), "big")
        elif isinstance(value, int) and not isinstance(value, bool) and data.draw(st.booleans()):
            container[key] = value + data.draw(st.integers(-3, 3))
        else:
            container[key] = data.draw(LEAVES)
    assert_sound(compact)


@settings(max_examples=500, deadline=None)
@given(packed=st.binary(min_size=2, max_size=24), which=st.sampled_from([0, 1]))
def test_any_timeline_is_proven_valid_only_when_decode_accepts_it(
    rich_record: Record, packed: bytes, which: int
) -> None:
    compact = compact_of(rich_record)
    compact[6][which][2] = packed
    assert_sound(compact)


def test_beyond_the_bounds_of_the_proof_decode_decides(record: Record) -> None:
    compact = compact_of(record)
    compact[3] = (date(9999, 12, 1) - date(1970, 1, 1)).days  # near the end of datetime
    assert proven_valid(compact) is None
    compact = compact_of(record)
    compact[6][0][6] = [1, 10**6 + 1]  # validated two years later: beyond the proof's bounds
    assert proven_valid(compact) is None
    assert decode(compact).days[0].driver_validation is not None
    assert decode(compact).days[0].driver_validation.at > record.days[0].start + timedelta(days=600)
