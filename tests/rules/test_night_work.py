"""Night work: a day with any work between 0 h and 5 h is limited to 10 h of work."""

from datetime import UTC, datetime

import pytest

from control.record.model import Sector
from tests.rules.builder import amended, check, day, live, said


def test_work_from_four_fifty_nine_is_night_work() -> None:
    d = day("2026-11-03 04:59", "driving 5h", "break 45m", "work 5h01")
    [finding] = check(d, rule="night-work")
    assert finding["natinf"] == "32083"
    assert finding["class"] == 5
    assert finding["figures"]["night_work_minutes"] == 1
    assert finding["figures"]["excess_minutes"] == 1


def test_work_from_five_o_clock_is_not_night_work() -> None:
    d = day("2026-11-03 05:00", "driving 5h", "break 45m", "work 5h01")
    assert check(d, rule="night-work") == []


def test_ten_hours_with_night_work_is_allowed() -> None:
    d = day("2026-11-03 03:00", "driving 5h", "break 45m", "work 5h")
    assert check(d, rule="night-work") == []


def test_a_shift_through_midnight_is_night_work() -> None:
    d = day("2026-11-03 20:00", "driving 5h", "break 45m", "work 5h30")
    [finding] = check(d, rule="night-work")
    assert finding["figures"]["night_work_minutes"] == 60 + 3 * 60 + 15  # 0–1 h, 1 h 45–5 h
    assert finding["dates"] == ["2026-11-03", "2026-11-04"]


def test_a_break_during_the_night_is_not_night_work() -> None:
    d = day("2026-11-03 19:00", "driving 5h", "break 5h", "work 5h01")  # pause 0 h → 5 h
    assert check(d, rule="night-work") == []


def test_night_is_paris_time_on_the_night_summer_time_ends() -> None:
    # 25 Oct 2026: 03:00 CEST becomes 02:00 CET; 00:00 → 05:00 lasts six real hours
    d = day("2026-10-25 00:00", "driving 5h", "break 45m", "work 5h01")
    at = datetime(2026, 11, 5, 12, tzinfo=UTC)
    [finding] = check(d, rule="night-work", at=at)
    # five real hours of driving end at 04:00 CET, then 15 min of work before 05:00
    assert finding["figures"]["night_work_minutes"] == 5 * 60 + 15
    assert finding["figures"]["work_minutes"] == 10 * 60 + 1


SPRING = datetime(2026, 4, 10, 12, tzinfo=UTC)  # the window opens on Sat 14 March


@pytest.mark.parametrize("sector", list(Sector))
def test_l_3312_1_ten_hours_and_one_minute_with_night_work_in_every_sector(sector: Sector) -> None:
    d = day("2026-11-03 04:00", "driving 5h", "break 45m", "work 5h01")
    [finding] = check(d, rule="night-work", sector=sector)
    assert finding["legal"] == ["C. transports, art. L. 3312-1"]


def test_l_3312_1_work_ending_at_midnight_is_not_night_work() -> None:
    d = day("2026-11-03 13:14", "driving 5h", "break 45m", "work 5h01")  # → 00:00
    assert check(d, rule="night-work") == []


def test_l_3312_1_work_ending_at_midnight_and_one_minute_is_night_work() -> None:
    d = day("2026-11-03 13:15", "driving 5h", "break 45m", "work 5h01")  # → 00:01
    [finding] = check(d, rule="night-work")
    assert finding["figures"]["night_work_minutes"] == 1
    assert finding["dates"] == ["2026-11-03", "2026-11-04"]


def test_l_3312_1_availability_at_night_is_not_night_work() -> None:
    d = day("2026-11-03 04:00", "availability 1h", "driving 5h", "break 45m", "work 5h01")
    assert check(d, rule="night-work") == []


def test_l_3312_1_night_is_paris_time_on_the_night_summer_time_begins() -> None:
    """29 March 2026: 02:00 CET becomes 03:00 CEST; 00:00 → 05:00 lasts four real hours."""
    d = day("2026-03-29 00:00", "driving 5h", "break 45m", "work 5h01")
    [finding] = check(d, rule="night-work", at=SPRING)
    assert finding["figures"]["night_work_minutes"] == 4 * 60
    assert finding["figures"]["work_minutes"] == 10 * 60 + 1


def test_l_3312_1_ten_hours_of_work_through_the_spring_night_is_allowed() -> None:
    """22:00 CET → 09:45 CEST: 11 h 45 on the clock, 10 h of work."""
    d = day("2026-03-28 22:00", "driving 5h", "break 45m", "work 5h")
    assert check(d, rule="night-work", at=SPRING) == []


def test_l_3312_1_night_work_the_employer_amended_away_is_the_drivers_version() -> None:
    driver = day("2026-11-03 04:59", "driving 5h", "break 45m", "work 5h01")
    employer = amended(driver, "2026-11-03 05:00", "driving 5h", "break 45m", "work 5h")
    [finding] = check(employer, rule="night-work")
    assert finding["version"] == "driver"
    assert finding["figures"]["night_work_minutes"] == 1


def test_l_3312_1_night_work_the_employer_added_is_the_employers_version() -> None:
    driver = day("2026-11-03 05:00", "driving 5h", "break 45m", "work 5h01")
    employer = amended(driver, "2026-11-03 04:59", "driving 5h01", "break 45m", "work 5h01")
    [finding] = check(employer, rule="night-work")
    assert finding["version"] == "employer"


@pytest.mark.parametrize("sector", list(Sector))
def test_l_3312_1_a_week_of_ten_hour_nights_gives_nothing(sector: Sector) -> None:
    nights = [
        day(f"2026-11-{d:02d} 20:00", "driving 5h", "break 45m", "work 5h") for d in (9, 10, 11, 12)
    ]
    assert said(*nights, live(), sector=sector) == ([], [])
