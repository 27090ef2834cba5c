"""The JSON form: lossless, order-insensitive, and precise about what is wrong."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from control.record import Record, RecordError, record_from_json, record_from_text, record_to_json


@pytest.fixture
def data(record: Record) -> dict[str, Any]:
    return record_to_json(record)


def test_json_round_trip_is_lossless(record: Record, rich_record: Record) -> None:
    for item in (record, rich_record):
        assert record_from_json(record_to_json(item)) == item
        assert record_to_json(record_from_json(record_to_json(item))) == record_to_json(item)


def test_activity_order_in_the_input_does_not_matter(record: Record, data: dict[str, Any]) -> None:
    for day in data["days"]:
        day["activities"].reverse()
    data["days"].reverse()
    assert record_from_json(data) == record


def test_invalid_json_text_is_refused() -> None:
    with pytest.raises(RecordError, match="not valid JSON"):
        record_from_text("{'driver': ")


def _error(data: dict[str, Any]) -> RecordError:
    with pytest.raises(RecordError) as caught:
        record_from_json(data)
    return caught.value


def test_unknown_sector_names_the_field(data: dict[str, Any]) -> None:
    data["employers"][0]["sector"] = "goods-international"
    assert _error(data).path == "employers[0].sector"


def test_overlapping_activities_are_refused(data: dict[str, Any]) -> None:
    first, second = data["days"][0]["activities"][:2]
    second["start"] = first["start"]
    error = _error(data)
    assert error.path.startswith("days[0].activities[")
    assert "overlaps" in error.message


def test_activity_ending_before_it_starts_is_refused(data: dict[str, Any]) -> None:
    activity = data["days"][1]["activities"][2]
    activity["end"], activity["start"] = activity["start"], activity["end"]
    error = _error(data)
    assert error.path.startswith("days[1].activities[")


def test_times_are_to_the_minute(data: dict[str, Any]) -> None:
    data["days"][0]["activities"][0]["start"] = data["days"][0]["activities"][0]["start"].replace(
        "+", ":30+", 1
    )
    assert _error(data).message == "times are recorded to the minute"


def test_time_without_offset_is_refused(data: dict[str, Any]) -> None:
    data["days"][0]["activities"][0]["start"] = data["days"][0]["activities"][0]["start"][:16]
    assert _error(data).path == "days[0].activities[0].start"


def test_unknown_field_is_refused(data: dict[str, Any]) -> None:
    data["days"][0]["mood"] = "good"
    assert _error(data).path == "days[0].mood"


def test_day_employer_must_be_listed(data: dict[str, Any]) -> None:
    data["days"][0]["employer"] = "123456782"
    assert _error(data).path == "days[0].employer"


def test_only_the_last_activity_may_be_in_progress(data: dict[str, Any]) -> None:
    data["days"][0]["activities"][0]["end"] = None
    assert "in progress" in _error(data).message


def test_odometer_end_below_start_is_refused(data: dict[str, Any]) -> None:
    vehicle = data["days"][0]["vehicles"][0]
    vehicle["odometer_end"] = vehicle["odometer_start"] - 1
    assert _error(data).path == "days[0].vehicles[0].odometer_end"


def test_day_outside_the_window_is_refused(data: dict[str, Any]) -> None:
    data["window_start"] = "2026-11-10"
    assert _error(data).path.endswith(".date")


def test_incomplete_record_needs_the_full_record_reference(data: dict[str, Any]) -> None:
    data["complete"] = False
    assert _error(data).path == "full_record"


def test_several_employers_require_the_day_employer(rich_record: Record) -> None:
    data = copy.deepcopy(record_to_json(rich_record))
    del data["days"][0]["employer"]
    assert _error(data).path == "days[0].employer"


def test_json_text_is_what_the_docs_show(record: Record) -> None:
    text = json.dumps(record_to_json(record))
    assert record_from_text(text) == record
