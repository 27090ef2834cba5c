"""Weekly rules over calendar weeks (Monday–Sunday, Paris): at most six days worked and a
34-hour rest; the sector's weekly maximum; the average, a warning only."""

from datetime import UTC, datetime

import pytest

from control.record.model import Sector
from control.rules import analyze
from tests.rules.builder import (
    AT,
    OTHER,
    amended,
    check,
    day,
    live,
    paris,
    record,
    said,
    warned,
    week,
)


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


SPRING = datetime(2026, 4, 10, 12, tzinfo=UTC)  # the window opens on Sat 14 March
AUTUMN = datetime(2026, 11, 5, 12, tzinfo=UTC)  # the window opens on Fri 9 October
LIMITS = {
    Sector.GOODS_LONG_DISTANCE: 56,
    Sector.GOODS_REGIONAL: 52,
    Sector.GOODS_PARCEL_CASH: 48,
    Sector.REMOVALS: 52,
    Sector.PASSENGERS: 48,
}


@pytest.mark.parametrize("sector", list(Sector))
def test_l_3132_1_seven_days_worked_is_a_breach_in_every_sector(sector: Sector) -> None:
    [finding] = check(*week("2026-11-09", 7), rule="weekly-rest", sector=sector)
    assert finding["legal"] == ["C. travail, art. L. 3132-1", "C. travail, art. L. 3132-2"]


def test_l_3132_1_a_night_shift_from_sunday_is_a_day_of_the_week_it_starts() -> None:
    sunday_night = day("2026-11-15 22:00", "driving 4h", "break 45m", "work 3h")
    [finding] = check(*week("2026-11-09", 6), sunday_night, rule="weekly-rest")
    assert finding["figures"]["days_worked"] == 7


def test_l_3132_2_a_rest_running_into_the_next_week_counts_in_full() -> None:
    """Monday to Friday, a Saturday night shift to Sunday 06:00, then 34 h to Monday 16:00."""
    saturday_night = day("2026-11-14 22:00", "driving 4h", "break 30m", "work 3h30")
    monday = day("2026-11-16 16:00", "driving 2h")
    assert check(*week("2026-11-09", 5), saturday_night, monday, rule="weekly-rest") == []


def test_l_3132_2_a_rest_of_33_h_59_running_into_the_next_week_is_a_breach() -> None:
    saturday_night = day("2026-11-14 22:00", "driving 4h", "break 30m", "work 3h30")
    monday = day("2026-11-16 15:59", "driving 2h")
    [finding] = check(*week("2026-11-09", 5), saturday_night, monday, rule="weekly-rest")
    assert finding["dates"] == ["2026-11-09", "2026-11-15"]
    assert finding["figures"]["longest_rest_minutes"] == 33 * 60 + 59


def test_l_3132_2_a_week_of_summer_time_beginning_has_one_hour_less() -> None:
    """Week of Mon 23 – Sun 29 March 2026 lasts 167 h: 34 h from Saturday 17:45 CET end on
    Monday at 04:45 CEST (35 h on the clock)."""
    days = [*week("2026-03-23", 5), day("2026-03-28 07:00", "driving 5h", "break 45m", "work 5h")]
    assert check(*days, day("2026-03-30 04:45", "driving 2h"), rule="weekly-rest", at=SPRING) == []
    [finding] = check(*days, day("2026-03-30 04:44", "driving 2h"), rule="weekly-rest", at=SPRING)
    assert finding["figures"]["longest_rest_minutes"] == 33 * 60 + 59


def test_l_3132_2_a_weekly_rest_the_employer_shortened_is_the_employers_version() -> None:
    saturday = day("2026-11-14 07:00", "driving 3h", "break 45m", "work 3h15")  # ends 14:00
    employer = amended(saturday, "2026-11-14 07:00", "driving 3h", "break 45m", "work 3h16")
    monday = day("2026-11-16 00:00", "driving 2h")
    [finding] = check(*week("2026-11-09", 5), employer, monday, rule="weekly-rest")
    assert finding["version"] == "employer"
    assert finding["figures"]["longest_rest_minutes"] == 33 * 60 + 59


def test_l_3132_2_a_short_weekly_rest_the_employer_amended_away_is_the_drivers_version() -> None:
    saturday = day("2026-11-14 07:00", "driving 3h", "break 45m", "work 3h16")  # ends 14:01
    employer = amended(saturday, "2026-11-14 07:00", "driving 3h", "break 45m", "work 3h15")
    monday = day("2026-11-16 00:00", "driving 2h")
    [finding] = check(*week("2026-11-09", 5), employer, monday, rule="weekly-rest")
    assert finding["version"] == "driver"


@pytest.mark.parametrize("sector", list(Sector))
def test_l_3132_1_six_days_and_a_rest_of_exactly_34_hours_give_nothing(sector: Sector) -> None:
    saturday = day("2026-11-14 07:00", "driving 3h", "break 45m", "work 3h15")  # ends 14:00
    monday = day("2026-11-16 00:00", "driving 2h")  # 34 h later
    days = [*week("2026-11-09", 5), saturday, monday, live()]
    assert said(*days, sector=sector) == ([], [])


def test_r_3312_50_forty_eight_real_hours_in_the_week_summer_time_begins() -> None:
    """Sunday 29 March 00:00 CET → 09:30 CEST: 9 h 30 on the clock, 8 h of work."""
    days = [
        *week("2026-03-23", 5, work=8 * 60),
        day("2026-03-29 00:00", "driving 4h", "break 30m", "work 4h"),
    ]
    assert check(*days, rule="weekly-max", sector=Sector.GOODS_PARCEL_CASH, at=SPRING) == []


def test_r_3312_50_forty_eight_real_hours_and_one_minute_in_the_week_summer_time_ends() -> None:
    """Sunday 25 October 00:00 CEST → 07:31 CET: 7 h 31 on the clock, 8 h 01 of work."""
    days = [
        *week("2026-10-19", 5, work=8 * 60),
        day("2026-10-25 00:00", "driving 4h", "break 30m", "work 4h01"),
    ]
    [finding] = check(*days, rule="weekly-max", sector=Sector.GOODS_PARCEL_CASH, at=AUTUMN)
    assert finding["dates"] == ["2026-10-19", "2026-10-25"]
    assert finding["figures"]["excess_minutes"] == 1
    assert finding["flags"] == []


def test_r_3312_50_a_tie_between_employers_takes_the_strictest_maximum() -> None:
    """24 h 30 for a long-distance company (56 h), 24 h 30 for a parcel one (48 h)."""
    days = [
        day(f"2026-11-{d:02d} 06:00", f"driving 4h05 {OTHER}", "break 45m", "work 4h05")
        for d in range(9, 15)
    ]
    [finding] = check(
        *days, rule="weekly-max", sector=Sector.GOODS_LONG_DISTANCE, other=Sector.GOODS_PARCEL_CASH
    )
    assert finding["figures"]["limit_minutes"] == 48 * 60
    assert finding["figures"]["excess_minutes"] == 60


def test_r_3312_50_a_week_the_employer_pushed_over_the_maximum_is_the_employers_version() -> None:
    days = week("2026-11-09", 6, work=8 * 60)  # 48 h
    employer = amended(days[-1], "2026-11-14 07:00", "driving 4h", "break 45m", "work 4h01")
    [finding] = check(*days[:-1], employer, rule="weekly-max", sector=Sector.GOODS_PARCEL_CASH)
    assert finding["version"] == "employer"


def test_r_3312_50_a_week_the_employer_brought_to_the_maximum_is_the_drivers_version() -> None:
    days = week("2026-11-09", 6, work=8 * 60)
    driver = day("2026-11-14 07:00", "driving 4h", "break 45m", "work 4h01")
    employer = amended(driver, "2026-11-14 07:00", "driving 4h", "break 45m", "work 4h")
    [finding] = check(*days[:-1], employer, rule="weekly-max", sector=Sector.GOODS_PARCEL_CASH)
    assert finding["version"] == "driver"
    assert finding["figures"]["work_minutes"] == 48 * 60 + 1


def test_l_3121_20_a_passenger_week_the_employer_brought_to_48_hours_is_still_asked() -> None:
    days = week("2026-11-09", 6, work=8 * 60)
    driver = day("2026-11-14 07:00", "driving 4h", "break 45m", "work 4h01")
    employer = amended(driver, "2026-11-14 07:00", "driving 4h", "break 45m", "work 4h")
    [warning] = warned(*days[:-1], employer, rule="weekly-max-passengers", sector=Sector.PASSENGERS)
    assert warning["version"] == "driver"
    assert warning["figures"]["work_minutes"] == 48 * 60 + 1


def test_l_3121_20_passengers_over_48_hours_in_the_week_summer_time_ends() -> None:
    days = [
        *week("2026-10-19", 5, work=8 * 60),
        day("2026-10-25 00:00", "driving 4h", "break 30m", "work 4h01"),
    ]
    [warning] = warned(*days, rule="weekly-max-passengers", sector=Sector.PASSENGERS, at=AUTUMN)
    assert warning["figures"]["excess_minutes"] == 1


@pytest.mark.parametrize("sector", list(Sector))
def test_r_3312_50_a_week_at_the_sectors_maximum_gives_nothing(sector: Sector) -> None:
    days = week("2026-11-09", 6, work=LIMITS[sector] * 60 // 6)
    assert said(*days, live(), sector=sector) == ([], [])
