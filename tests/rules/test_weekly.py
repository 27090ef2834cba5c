"""Weekly rules over calendar weeks (Monday–Sunday, Paris): at most six days worked and a
34-hour rest; the sector's weekly maximum; the average, a warning only."""

from datetime import UTC, datetime

import pytest

from control.record.model import Sector
from control.rules import analyze
from tests.rules.builder import AT, check, day, paris, record, warned, week


def test_six_days_worked_in_a_week_are_allowed() -> None:
    assert check(*week("2026-11-09", 6), rule="weekly-rest") == []


def test_seven_days_worked_in_a_week_is_a_breach() -> None:
    [finding] = check(*week("2026-11-09", 7), rule="weekly-rest")
    assert finding["natinf"] == "13152"
    assert finding["class"] == 5
    assert finding["dates"] == ["2026-11-09", "2026-11-15"]
    assert finding["figures"]["days_worked"] == 7


def test_a_rest_still_running_is_given_as_far_as_it_is_seen() -> None:
    """Seven days worked, then the rest that goes on at the control: never held against the
    driver, and its length is the part seen (it was once a figure of 76 billion years)."""
    [finding] = check(*week("2026-11-16", 7), rule="weekly-rest")
    seen = AT - paris("2026-11-22 14:45")  # the last day ends on Sunday at 14:45
    assert finding["figures"]["longest_rest_minutes"] == seen.total_seconds() // 60
    assert "repos" not in str(finding["explanation"])


def test_a_rest_of_thirty_four_hours_is_enough() -> None:
    days = week("2026-11-09", 5)
    saturday = day("2026-11-14 07:00", "driving 3h", "break 45m", "work 3h15")  # ends 14:00
    sunday_night = day("2026-11-16 00:00", "driving 2h")  # Monday 00:00, 34 h later
    assert check(*days, saturday, sunday_night, rule="weekly-rest") == []


def test_a_rest_of_thirty_three_hours_fifty_nine_is_a_breach() -> None:
    days = week("2026-11-09", 5)
    saturday = day("2026-11-14 07:00", "driving 3h", "break 45m", "work 3h15")
    sunday_night = day("2026-11-15 23:59", "driving 2h")
    [finding] = check(*days, saturday, sunday_night, rule="weekly-rest")
    assert finding["figures"]["longest_rest_minutes"] == 33 * 60 + 59
    assert finding["figures"]["days_worked"] == 7


def test_a_week_crossing_the_window_edge_is_judged_on_what_is_seen() -> None:
    # The window opens on Thursday 29 Oct: four days seen, the rest of the week unknown.
    days = week("2026-10-29", 4, work=12 * 60)
    assert check(*days, rule="weekly-rest") == []
    assert check(*days, rule="weekly-max") == []


def test_a_breach_seen_in_a_partial_week_is_flagged_as_partial() -> None:
    days = week("2026-10-29", 4, work=12 * 60 + 30, start="06:00")  # 50 h in four days
    [finding] = check(*days, rule="weekly-max", sector=Sector.GOODS_PARCEL_CASH)
    assert "partial-week" in finding["flags"]


def test_the_unfinished_current_week_has_no_weekly_rest_breach_yet() -> None:
    days = week("2026-11-23", 2)  # Monday and Tuesday before the control on Wednesday
    assert check(*days, rule="weekly-rest") == []


@pytest.mark.parametrize(
    ("sector", "limit"),
    [
        (Sector.GOODS_LONG_DISTANCE, 56),
        (Sector.GOODS_REGIONAL, 52),
        (Sector.GOODS_PARCEL_CASH, 48),
        (Sector.REMOVALS, 52),
    ],
)
def test_the_weekly_maximum_of_each_sector(sector: Sector, limit: int) -> None:
    at_limit = week("2026-11-09", 6, work=limit * 60 // 6)  # six equal days at the limit
    assert check(*at_limit, rule="weekly-max", sector=sector) == []
    over = [*at_limit[:5], *week("2026-11-14", 1, work=limit * 60 // 6 + 1)]
    [finding] = check(*over, rule="weekly-max", sector=sector)
    assert finding["natinf"] == "11289"
    assert finding["figures"]["limit_minutes"] == limit * 60
    assert finding["figures"]["excess_minutes"] == 1


def test_passengers_over_forty_eight_hours_is_a_warning_to_qualify_not_11289() -> None:
    # 11289 is worded for goods transport; passenger staff's 48 h is C. travail L. 3121-20
    at_limit = week("2026-11-09", 6, work=48 * 60 // 6)
    assert warned(*at_limit, rule="weekly-max-passengers", sector=Sector.PASSENGERS) == []
    over = [*at_limit[:5], *week("2026-11-14", 1, work=48 * 60 // 6 + 1)]
    assert check(*over, rule="weekly-max", sector=Sector.PASSENGERS) == []
    [warning] = warned(*over, rule="weekly-max-passengers", sector=Sector.PASSENGERS)
    assert warning["legal"] == ["C. travail, art. L. 3121-20"]
    assert warning["possible_natinf"] is None
    assert "à qualifier" in warning["explanation"]


def test_a_night_shift_counts_in_the_week_it_is_worked() -> None:
    # Sunday 20:00 → Monday 07:45: four hours in one week, the rest in the next
    d = day("2026-11-15 20:00", "driving 4h", "break 45m", "work 7h")
    at_limit = week("2026-11-16", 5, work=9 * 60 + 5, start="09:00")  # 45 h 25
    found = check(d, *at_limit, rule="weekly-max", sector=Sector.GOODS_PARCEL_CASH)
    assert [f["dates"][0] for f in found] == ["2026-11-16"]
    assert found[0]["figures"]["work_minutes"] == 45 * 60 + 25 + 7 * 60


def test_a_week_of_summer_time_ending_has_one_more_hour() -> None:
    # Week of Mon 19 – Sun 25 Oct 2026 lasts 169 h: the weekly rest is real elapsed time.
    at = datetime(2026, 11, 10, 12, tzinfo=UTC)
    days = week("2026-10-19", 5)
    days.append(day("2026-10-24 07:00", "driving 5h", "break 45m", "work 5h"))  # to 17:45 CEST
    monday = day("2026-10-26 02:45", "driving 2h")  # 33 h on the clock, 34 h real
    assert check(*days, monday, rule="weekly-rest", at=at) == []
    too_early = day("2026-10-26 02:44", "driving 2h")
    [finding] = check(*days, too_early, rule="weekly-rest", at=at)
    assert finding["figures"]["longest_rest_minutes"] == 33 * 60 + 59


def test_a_high_average_is_a_warning_never_a_finding() -> None:
    days = [
        d
        for monday in ("2026-11-02", "2026-11-09", "2026-11-16")
        for d in week(monday, 5, work=10 * 60)  # 50 h a week, under the 52 h maximum
    ]
    analysis = analyze(record(*days, sector=Sector.GOODS_REGIONAL), AT)
    assert [f.rule.id for f in analysis.findings if f.rule.id != "no-live-entry"] == []
    [warning] = analysis.warnings
    assert warning.figures["weeks"] == 3
    assert warning.figures["average_minutes"] == 50 * 60
    assert "pas une infraction" in warning.explanation


def test_the_average_limit_is_forty_four_hours_for_passengers() -> None:
    mondays = ("2026-11-02", "2026-11-09", "2026-11-16")
    days = [d for monday in mondays for d in week(monday, 5, work=9 * 60)]  # 45 h weeks
    analysis = analyze(record(*days, sector=Sector.PASSENGERS), AT)
    [warning] = analysis.warnings
    assert warning.figures["limit_minutes"] == 44 * 60
    assert "12 semaines" in warning.explanation
