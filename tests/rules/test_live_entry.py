"""At a roadside control the LIC must show an activity in progress (suggested, as Mobilic)."""

from datetime import UTC, datetime, timedelta

import pytest

from control.record.model import Sector
from tests.rules.builder import AT, GOODS_AND_REMOVALS, OTHER, amended, check, day, live, said


def test_an_activity_in_progress_is_a_live_entry() -> None:
    now = day("2026-11-25 08:00", "driving 2h", open_last=True, validated=False)
    assert check(now, rule="no-live-entry") == []


def test_a_break_in_progress_is_a_live_entry() -> None:
    now = day("2026-11-25 08:00", "driving 2h", "break 10m", open_last=True, validated=False)
    assert check(now, rule="no-live-entry") == []


def test_nothing_in_progress_suggests_23103_for_goods() -> None:
    yesterday = day("2026-11-24 07:00", "driving 3h", "break 45m", "work 4h")
    [finding] = check(yesterday, rule="no-live-entry")
    assert finding["natinf"] == "23103"
    assert finding["flags"] == ["suggested"]
    assert finding["dates"] == ["2026-11-25"]
    assert "à confirmer" in finding["explanation"]


def test_nothing_in_progress_suggests_25666_for_passengers() -> None:
    yesterday = day("2026-11-24 07:00", "driving 3h", "break 45m", "work 4h")
    [finding] = check(yesterday, rule="no-live-entry", sector=Sector.PASSENGERS)
    assert finding["natinf"] == "25666"


def test_an_activity_recorded_as_ending_after_the_control_is_in_progress() -> None:
    today = day("2026-11-25 08:00", "driving 3h", validated=False)  # ends 11:00, control 10:40
    assert check(today, rule="no-live-entry", at=AT) == []
    assert check(today, rule="no-live-entry", at=AT + timedelta(hours=1)) != []


def test_an_empty_record_suggests_the_breach_too() -> None:
    [finding] = check(rule="no-live-entry")
    assert finding["natinf"] == "23103"


@pytest.mark.parametrize("sector", GOODS_AND_REMOVALS)
def test_r_3312_58_nothing_in_progress_suggests_23103_in_every_goods_sector(
    sector: Sector,
) -> None:
    yesterday = day("2026-11-24 07:00", "driving 3h", "break 45m", "work 4h")
    [finding] = check(yesterday, rule="no-live-entry", sector=sector)
    assert finding["natinf"] == "23103"
    assert finding["legal"] == ["C. transports, art. R. 3312-58 2°"]


def test_r_3312_19_the_latest_days_employer_decides_the_passenger_offence() -> None:
    yesterday = day("2026-11-24 07:00", "driving 3h", employer=OTHER)
    [finding] = check(yesterday, rule="no-live-entry", other=Sector.PASSENGERS)
    assert finding["natinf"] == "25666"
    assert finding["legal"] == ["C. transports, art. R. 3312-19 2°"]


def test_r_3312_58_an_activity_starting_at_the_control_is_in_progress() -> None:
    now = day("2026-11-25 10:40", "driving 1h", open_last=True, validated=False)  # AT, Paris
    assert check(now, rule="no-live-entry") == []


def test_r_3312_58_an_activity_ending_at_the_control_is_not_in_progress() -> None:
    ended = day("2026-11-25 08:40", "driving 2h", validated=False)  # ends 10:40 = AT
    [finding] = check(ended, rule="no-live-entry")
    assert finding["figures"] == {"since_last_entry_minutes": 0}


def test_r_3312_58_an_activity_ending_a_minute_after_the_control_is_in_progress() -> None:
    ends_later = day("2026-11-25 08:40", "driving 2h01", validated=False)
    assert check(ends_later, rule="no-live-entry") == []


def test_r_3312_58_a_night_shift_in_progress_at_a_control_after_midnight() -> None:
    at = datetime(2026, 11, 25, 1, tzinfo=UTC)  # 02:00 in Paris
    night = day("2026-11-24 22:00", "driving 3h", open_last=True, validated=False)
    assert check(night, rule="no-live-entry", at=at) == []
    ended = day("2026-11-24 22:00", "driving 3h30", validated=False)  # ends 01:30
    [finding] = check(ended, rule="no-live-entry", at=at)
    assert finding["dates"] == ["2026-11-25"]
    assert finding["figures"] == {"since_last_entry_minutes": 30}


def test_r_3312_58_time_since_the_last_entry_when_summer_time_begins() -> None:
    """Control at 04:30 CEST on 29 March, last entry ended 01:30 CET: 2 real hours."""
    at = datetime(2026, 3, 29, 2, 30, tzinfo=UTC)
    assert (
        check(day("2026-03-28 23:00", "driving 1h", open_last=True), rule="no-live-entry", at=at)
        == []
    )
    [finding] = check(day("2026-03-28 21:30", "driving 4h"), rule="no-live-entry", at=at)
    assert finding["dates"] == ["2026-03-29"]
    assert finding["figures"] == {"since_last_entry_minutes": 120}


def test_r_3312_58_time_since_the_last_entry_when_summer_time_ends() -> None:
    """Control at 03:30 CET on 25 October, last entry ended 01:30 CEST: 3 real hours."""
    at = datetime(2026, 10, 25, 2, 30, tzinfo=UTC)
    [finding] = check(day("2026-10-24 21:30", "driving 4h"), rule="no-live-entry", at=at)
    assert finding["dates"] == ["2026-10-25"]
    assert finding["figures"] == {"since_last_entry_minutes": 180}


def test_r_3312_58_no_live_entry_after_an_amended_day_rests_on_the_driver() -> None:
    driver = day("2026-11-24 07:00", "driving 3h", "break 45m", "work 4h")
    employer = amended(driver, "2026-11-24 07:00", "driving 3h", "break 45m", "work 3h")
    [finding] = check(employer, rule="no-live-entry")
    assert finding["version"] == "driver"
    assert finding["flags"] == ["changed-by-employer", "suggested"]


@pytest.mark.parametrize("sector", list(Sector))
def test_r_3312_58_a_live_entry_alone_gives_nothing(sector: Sector) -> None:
    assert said(live(), sector=sector) == ([], [])
