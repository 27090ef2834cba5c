"""At a roadside control the LIC must show an activity in progress (suggested, as Mobilic)."""

from datetime import timedelta

from control.record.model import Sector
from tests.rules.builder import AT, check, day


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
