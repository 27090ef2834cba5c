"""Daily maximum of work: 12 h (goods, removals); passengers 10 h, 9 h past 12 h of amplitude."""

import pytest

from control.record.model import Sector
from tests.rules.builder import OTHER, check, day

GOODS_AND_REMOVALS = [
    Sector.GOODS_LONG_DISTANCE,
    Sector.GOODS_REGIONAL,
    Sector.GOODS_PARCEL_CASH,
    Sector.REMOVALS,
]


@pytest.mark.parametrize("sector", GOODS_AND_REMOVALS)
def test_twelve_hours_of_work_is_allowed(sector: Sector) -> None:
    d = day("2026-11-03 06:00", "driving 5h", "break 45m", "work 5h", "driving 2h")
    assert check(d, rule="daily-work", sector=sector) == []


@pytest.mark.parametrize("sector", GOODS_AND_REMOVALS)
def test_twelve_hours_and_one_minute_is_a_breach(sector: Sector) -> None:
    d = day("2026-11-03 06:00", "driving 5h", "break 45m", "work 5h", "driving 2h01")
    [finding] = check(d, rule="daily-work", sector=sector)
    assert finding["natinf"] == "11292"
    assert finding["figures"]["excess_minutes"] == 1
    assert finding["figures"]["limit_minutes"] == 12 * 60


def test_passengers_ten_hours_is_allowed() -> None:
    d = day("2026-11-03 06:00", "driving 5h", "break 45m", "driving 5h")
    assert check(d, rule="daily-work", sector=Sector.PASSENGERS) == []


def test_passengers_ten_hours_and_one_minute_is_a_breach() -> None:
    d = day("2026-11-03 06:00", "driving 5h", "break 45m", "driving 5h01")
    [finding] = check(d, rule="daily-work", sector=Sector.PASSENGERS)
    assert finding["figures"]["limit_minutes"] == 10 * 60


def test_passengers_amplitude_of_twelve_hours_keeps_the_ten_hour_limit() -> None:
    d = day("2026-11-03 06:00", "driving 4h", "break 2h", "driving 5h30")  # 11 h 30 amplitude
    assert check(d, rule="daily-work", sector=Sector.PASSENGERS) == []


def test_passengers_nine_hours_are_allowed_past_twelve_hours_of_amplitude() -> None:
    d = day("2026-11-03 06:00", "driving 4h", "break 3h01", "driving 5h")  # 12 h 01
    assert check(d, rule="daily-work", sector=Sector.PASSENGERS) == []


def test_passengers_past_twelve_hours_of_amplitude_nine_hours_one_is_a_breach() -> None:
    d = day("2026-11-03 06:00", "driving 4h", "break 3h01", "driving 5h01")
    [finding] = check(d, rule="daily-work", sector=Sector.PASSENGERS)
    assert finding["figures"]["limit_minutes"] == 9 * 60
    assert "amplitude de plus de 12 h" in finding["explanation"]


def test_availability_is_not_work() -> None:
    d = day(
        "2026-11-03 06:00", "driving 5h", "break 45m", "availability 2h", "work 5h", "driving 2h"
    )
    assert check(d, rule="daily-work") == []


def test_a_day_crossing_midnight_is_one_day() -> None:
    d = day("2026-11-03 18:00", "driving 5h", "break 45m", "work 5h", "driving 2h01")
    [finding] = check(d, rule="daily-work", sector=Sector.REMOVALS)
    assert finding["dates"] == ["2026-11-03", "2026-11-04"]


def test_a_rest_under_ten_hours_does_not_end_the_day() -> None:
    morning = day("2026-11-03 04:00", "driving 5h", "break 30m", "work 2h")  # ends 11:30
    evening = day("2026-11-03 21:00", "driving 5h01")  # after 9 h 30
    [finding] = check(morning, evening, rule="daily-work")
    assert finding["figures"]["work_minutes"] == 12 * 60 + 1


def test_work_for_two_employers_on_one_day_adds_up() -> None:
    d = day(
        "2026-11-03 06:00",
        f"driving 6h {OTHER}",
        "break 45m",
        "driving 6h01",
    )
    [finding] = check(d, rule="daily-work", other=Sector.GOODS_REGIONAL)
    assert finding["figures"]["work_minutes"] == 12 * 60 + 1


def test_two_employers_use_the_sector_worked_longest() -> None:
    # 7 h for a passenger company, 3 h 01 for a goods one: the passengers' 10 h limit applies
    d = day("2026-11-03 06:00", f"driving 7h {OTHER}", "break 45m", "driving 3h01")
    [finding] = check(d, rule="daily-work", other=Sector.PASSENGERS)
    assert finding["figures"]["limit_minutes"] == 10 * 60
