"""Daily rest (C. transports R. 3312-53 2°): at least 10 consecutive hours of rest in the 24
hours before any moment where the worker performs effective work or is at the employer's
disposal, availability included."""

from control.record.model import Sector
from tests.rules.builder import check, day


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
