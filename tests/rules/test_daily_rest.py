"""Daily rest (C. transports R. 3312-53 2°): at least 10 consecutive hours of rest in the 24
hours before any moment where the worker performs effective work or is at the employer's
disposal, availability included."""

from datetime import UTC, datetime

import pytest

from control.record.model import Sector
from tests.rules.builder import amended, check, day, live, said


def test_ten_hours_of_rest_between_two_days_is_enough() -> None:
    evening = day("2026-11-03 08:00", "driving 4h", "break 45m", "work 5h15")  # ends 18:00
    morning = day("2026-11-04 04:00", "driving 4h")
    assert check(evening, morning, rule="daily-rest") == []


def test_nine_hours_fifty_nine_of_rest_is_a_breach() -> None:
    evening = day("2026-11-03 08:00", "driving 4h", "break 45m", "work 5h15")
    morning = day("2026-11-04 03:59", "driving 3h")
    [finding] = check(evening, morning, rule="daily-rest")
    assert finding["natinf"] == "20525"
    assert finding["class"] == 4
    assert finding["figures"]["longest_rest_minutes"] == 9 * 60 + 59
    assert finding["dates"] == ["2026-11-03", "2026-11-04"]
    assert "9 h 59" in finding["explanation"]


def test_a_short_rest_spanning_midnight_is_found() -> None:
    late = day("2026-11-05 14:00", "driving 4h", "break 30m", "work 4h30")  # ends 23:00
    early = day("2026-11-06 08:00", "driving 2h")
    [finding] = check(late, early, rule="daily-rest")
    assert finding["figures"]["longest_rest_minutes"] == 9 * 60


def test_an_amplitude_of_fourteen_hours_leaves_ten_hours_of_rest() -> None:
    long = day("2026-11-05 06:00", "driving 5h", "break 4h", "work 5h")  # 06:00 → 20:00
    assert check(long, rule="daily-rest") == []


def test_an_amplitude_over_fourteen_hours_leaves_less_than_ten_hours() -> None:
    long = day("2026-11-05 06:00", "driving 5h", "break 4h", "work 5h01")
    [finding] = check(long, rule="daily-rest")
    assert finding["figures"]["longest_rest_minutes"] == 9 * 60 + 59


def test_a_long_pause_inside_the_day_counts_as_the_rest() -> None:
    # 06:00–20:30 amplitude, but the 10 h of rest inside it satisfy the rule
    split = day("2026-11-05 06:00", "driving 2h", "break 10h", "work 2h30")
    assert check(split, rule="daily-rest") == []


def test_the_unknown_time_before_the_window_is_not_held_against_the_driver() -> None:
    first = day("2026-10-29 00:00", "driving 4h")  # first day of the window, at midnight
    assert check(first, rule="daily-rest") == []


def test_a_day_ending_with_availability_is_looked_back_from_its_last_moment() -> None:
    # 06:00 → 20:01 of work and availability: 14 h 01 of amplitude, the last 3 h 01 at the
    # employer's disposal; counted from the last moment of work (17:00) it would pass
    long = day("2026-11-05 06:00", "driving 5h", "break 1h", "work 5h", "availability 3h01")
    [finding] = check(long, rule="daily-rest")
    assert finding["figures"]["longest_rest_minutes"] == 9 * 60 + 59
    assert "fin du service" in finding["explanation"]


def test_availability_ending_at_fourteen_hours_of_amplitude_is_allowed() -> None:
    long = day("2026-11-05 06:00", "driving 5h", "break 1h", "work 5h", "availability 3h")
    assert check(long, rule="daily-rest") == []


def test_availability_alone_after_a_short_rest_is_a_breach() -> None:
    evening = day("2026-11-03 08:00", "driving 4h", "break 45m", "work 5h15")  # ends 18:00
    on_call = day("2026-11-04 03:59", "availability 2h")
    [finding] = check(evening, on_call, rule="daily-rest")
    assert finding["figures"]["longest_rest_minutes"] == 9 * 60 + 59


def test_goods_staff_are_held_to_r_3312_53_and_passenger_staff_to_their_own_article() -> None:
    evening = day("2026-11-03 08:00", "driving 4h", "break 45m", "work 5h15")
    morning = day("2026-11-04 03:59", "driving 3h")
    [goods] = check(evening, morning, rule="daily-rest", sector=Sector.GOODS_REGIONAL)
    assert goods["legal"] == ["C. transports, art. R. 3312-53 2°"]
    [passengers] = check(evening, morning, rule="daily-rest", sector=Sector.PASSENGERS)
    assert passengers["legal"] == ["C. transports, art. R. 3312-13"]
    assert passengers["natinf"] == goods["natinf"] == "20525"
    assert goods["qualification"].startswith("Emploi de personnel roulant sans repos quotidien")
    assert goods["punished_by"] == ["C. transports, art. R. 3315-5 al. 1"]
    assert goods["max_fine_eur"] == 750
    assert goods["per_employee"] is True


# R. 3312-53 2° for every goods sector and removals, R. 3312-13 for passenger staff: the same
# 10 h, whatever the sector.
ALL_SECTORS = list(Sector)


@pytest.mark.parametrize("sector", ALL_SECTORS)
def test_r_3312_53_ten_hours_and_one_minute_of_rest_is_enough_in_every_sector(
    sector: Sector,
) -> None:
    evening = day("2026-11-03 08:00", "driving 4h", "break 45m", "work 5h15")  # ends 18:00
    morning = day("2026-11-04 04:01", "driving 3h")
    assert check(evening, morning, rule="daily-rest", sector=sector) == []


@pytest.mark.parametrize("sector", ALL_SECTORS)
def test_r_3312_53_nine_hours_fifty_nine_of_rest_is_a_breach_in_every_sector(
    sector: Sector,
) -> None:
    evening = day("2026-11-03 08:00", "driving 4h", "break 45m", "work 5h15")
    morning = day("2026-11-04 03:59", "driving 3h")
    [finding] = check(evening, morning, rule="daily-rest", sector=sector)
    assert finding["natinf"] == "20525"
    article = "R. 3312-13" if sector is Sector.PASSENGERS else "R. 3312-53 2°"
    assert finding["legal"] == [f"C. transports, art. {article}"]


def test_r_3312_53_ten_hours_of_rest_across_midnight_is_enough() -> None:
    late = day("2026-11-05 14:00", "driving 4h", "break 30m", "work 4h30")  # ends 23:00
    early = day("2026-11-06 09:00", "driving 2h")
    assert check(late, early, rule="daily-rest") == []


SPRING = datetime(2026, 4, 10, 12, tzinfo=UTC)  # the window opens on Sat 14 March
AUTUMN = datetime(2026, 11, 5, 12, tzinfo=UTC)  # the window opens on Fri 9 October


def test_r_3312_53_rest_is_real_time_when_summer_time_begins() -> None:
    """29 March 2026, 02:00 CET → 03:00 CEST: 18:00 → 05:00 is 11 h on the clock, 10 h real."""
    evening = day("2026-03-28 08:00", "driving 4h", "break 45m", "work 5h15")  # 18:00 CET
    assert check(evening, day("2026-03-29 05:00", "driving 3h"), rule="daily-rest", at=SPRING) == []
    [finding] = check(evening, day("2026-03-29 04:59", "driving 3h"), rule="daily-rest", at=SPRING)
    assert finding["figures"]["longest_rest_minutes"] == 9 * 60 + 59
    assert finding["dates"] == ["2026-03-28", "2026-03-29"]


def test_r_3312_53_rest_is_real_time_when_summer_time_ends() -> None:
    """25 October 2026, 03:00 CEST → 02:00 CET: 18:00 → 03:00 is 9 h on the clock, 10 h real."""
    evening = day("2026-10-24 08:00", "driving 4h", "break 45m", "work 5h15")  # 18:00 CEST
    assert check(evening, day("2026-10-25 03:00", "driving 3h"), rule="daily-rest", at=AUTUMN) == []
    later = day("2026-10-24 08:01", "driving 4h", "break 45m", "work 5h15")  # 18:01 CEST
    [finding] = check(later, day("2026-10-25 03:00", "driving 3h"), rule="daily-rest", at=AUTUMN)
    assert finding["figures"]["longest_rest_minutes"] == 9 * 60 + 59


def test_r_3312_53_a_rest_the_employer_shortened_is_the_employers_version() -> None:
    evening = day("2026-11-03 08:00", "driving 4h", "break 45m", "work 5h15")  # ends 18:00
    driver = day("2026-11-04 04:00", "driving 3h")
    employer = amended(driver, "2026-11-04 03:59", "driving 3h01")
    [finding] = check(evening, employer, rule="daily-rest")
    assert finding["version"] == "employer"
    assert "changed-by-employer" in finding["flags"]


def test_r_3312_53_a_short_rest_the_employer_amended_away_is_the_drivers_version() -> None:
    evening = day("2026-11-03 08:00", "driving 4h", "break 45m", "work 5h15")
    driver = day("2026-11-04 03:59", "driving 3h")
    employer = amended(driver, "2026-11-04 04:00", "driving 2h59")
    [finding] = check(evening, employer, rule="daily-rest")
    assert finding["version"] == "driver"
    assert finding["figures"]["longest_rest_minutes"] == 9 * 60 + 59


def test_r_3312_53_a_short_rest_in_both_versions_gives_the_amended_figures() -> None:
    evening = day("2026-11-03 08:00", "driving 4h", "break 45m", "work 5h15")
    driver = day("2026-11-04 03:58", "driving 3h")
    employer = amended(driver, "2026-11-04 03:59", "driving 2h59")
    [finding] = check(evening, employer, rule="daily-rest")
    assert finding["version"] == "both"
    assert finding["figures"]["longest_rest_minutes"] == 9 * 60 + 59


@pytest.mark.parametrize("sector", ALL_SECTORS)
def test_r_3312_53_a_week_of_exactly_ten_hour_rests_gives_nothing(sector: Sector) -> None:
    """Five days of 11 h 30 amplitude (8 h of work), each followed by exactly 10 h of rest
    (each shift starts 2 h 30 earlier than the last), and a live entry at the control."""
    starts = ["09 14:00", "10 11:30", "11 09:00", "12 06:30", "13 04:00"]
    days = [day(f"2026-11-{s}", "driving 4h", "break 3h30", "work 4h") for s in starts]
    assert said(*days, live(), sector=sector) == ([], [])
