"""Breaks: past 6 h of work 30 min, past 9 h 45 min, counted in pieces of at least 15 min;
never more than 6 h of work without such a piece."""

from datetime import UTC, datetime

import pytest

from control.record.model import Sector
from tests.rules.builder import OTHER, amended, check, day, live, said, warned


def test_six_hours_of_work_need_no_break() -> None:
    assert check(day("2026-11-03 06:00", "driving 6h"), rule="breaks") == []


def test_six_hours_and_one_minute_without_a_break_is_a_breach() -> None:
    [finding] = check(day("2026-11-03 06:00", "driving 6h01"), rule="breaks")
    assert finding["natinf"] == "35187"
    assert finding["figures"]["required_break_minutes"] == 30
    assert finding["figures"]["longest_stretch_minutes"] == 6 * 60 + 1


def test_thirty_minutes_are_enough_past_six_hours() -> None:
    d = day("2026-11-03 06:00", "driving 4h", "break 30m", "work 4h")
    assert check(d, rule="breaks") == []


def test_twenty_nine_minutes_are_not_enough_past_six_hours() -> None:
    d = day("2026-11-03 06:00", "driving 4h", "break 29m", "work 4h")
    [finding] = check(d, rule="breaks")
    assert finding["figures"]["break_minutes"] == 29


def test_past_nine_hours_thirty_minutes_are_not_enough() -> None:
    d = day("2026-11-03 06:00", "driving 5h", "break 30m", "work 4h01")
    [finding] = check(d, rule="breaks")
    assert finding["figures"]["required_break_minutes"] == 45


def test_nine_hours_need_only_thirty_minutes() -> None:
    d = day("2026-11-03 06:00", "driving 5h", "break 30m", "work 4h")
    assert check(d, rule="breaks") == []


def test_three_pieces_of_fifteen_minutes_make_forty_five() -> None:
    d = day(
        "2026-11-03 06:00",
        "driving 3h",
        "break 15m",
        "work 3h",
        "break 15m",
        "driving 3h",
        "break 15m",
        "work 1h",
    )
    assert check(d, rule="breaks") == []


def test_pieces_of_ten_minutes_do_not_count() -> None:
    d = day(
        "2026-11-03 06:00",
        "driving 2h30",
        "break 10m",
        "work 2h30",
        "break 10m",
        "driving 2h",
        "break 10m",
        "work 30m",
    )
    [finding] = check(d, rule="breaks")
    assert finding["figures"]["break_minutes"] == 0
    assert finding["figures"]["longest_stretch_minutes"] == 7 * 60 + 30
    assert "moins de 15 min ne comptent pas" in finding["explanation"]


def test_enough_break_in_total_but_six_hours_and_one_minute_in_a_row_is_a_breach() -> None:
    d = day("2026-11-03 06:00", "driving 1h", "break 45m", "driving 6h01")
    [finding] = check(d, rule="breaks")
    assert finding["figures"]["break_minutes"] == 45
    assert "d'affilée" in finding["explanation"]


def test_time_with_nothing_recorded_inside_a_day_is_a_break() -> None:
    morning = day("2026-11-03 06:00", "driving 4h")
    afternoon = day("2026-11-03 10:30", "work 4h")  # 30 min gap between two entries
    assert check(morning, afternoon, rule="breaks") == []


def test_availability_is_not_a_break() -> None:
    d = day("2026-11-03 06:00", "driving 3h30", "availability 30m", "work 3h")
    [finding] = check(d, rule="breaks")
    assert finding["figures"]["break_minutes"] == 0


SPRING = datetime(2026, 4, 10, 12, tzinfo=UTC)  # the window opens on Sat 14 March
AUTUMN = datetime(2026, 11, 5, 12, tzinfo=UTC)  # the window opens on Fri 9 October
IN_SCOPE = [Sector.GOODS_LONG_DISTANCE, Sector.GOODS_REGIONAL, Sector.REMOVALS]
SCOPE_UNCERTAIN = [Sector.GOODS_PARCEL_CASH, Sector.PASSENGERS]


def test_l_3312_2_past_nine_hours_forty_five_minutes_are_enough() -> None:
    d = day("2026-11-03 06:00", "driving 5h", "break 45m", "work 4h01")
    assert check(d, rule="breaks") == []


def test_l_3312_2_past_nine_hours_forty_four_minutes_are_not_enough() -> None:
    d = day("2026-11-03 06:00", "driving 5h", "break 44m", "work 4h01")
    [finding] = check(d, rule="breaks")
    assert finding["figures"]["break_minutes"] == 44
    assert finding["figures"]["required_break_minutes"] == 45


def test_l_3312_2_two_pieces_of_fifteen_minutes_make_thirty() -> None:
    d = day("2026-11-03 06:00", "driving 3h", "break 15m", "work 3h", "break 15m", "driving 1m")
    assert check(d, rule="breaks") == []


def test_l_3312_2_a_piece_of_fourteen_minutes_does_not_count() -> None:
    d = day("2026-11-03 06:00", "driving 3h", "break 14m", "work 3h", "break 15m", "driving 1m")
    [finding] = check(d, rule="breaks")
    assert finding["figures"]["break_minutes"] == 15
    assert finding["figures"]["longest_stretch_minutes"] == 6 * 60  # 14 min reset nothing


def test_l_3312_2_six_hours_in_a_row_after_a_break_is_allowed() -> None:
    d = day("2026-11-03 06:00", "driving 1h", "break 45m", "driving 6h")
    assert check(d, rule="breaks") == []


def test_l_3312_2_six_hours_and_one_minute_across_midnight_is_one_day() -> None:
    [finding] = check(day("2026-11-03 21:00", "driving 6h01"), rule="breaks")
    assert finding["dates"] == ["2026-11-03", "2026-11-04"]


def test_l_3312_2_six_real_hours_when_summer_time_begins_need_no_break() -> None:
    """00:00 CET → 07:00 CEST: 7 h on the clock, 6 h of driving."""
    assert check(day("2026-03-29 00:00", "driving 6h"), rule="breaks", at=SPRING) == []


def test_l_3312_2_six_real_hours_and_one_minute_when_summer_time_ends() -> None:
    """00:00 CEST → 05:01 CET: 5 h 01 on the clock, 6 h 01 of driving."""
    [finding] = check(day("2026-10-25 00:00", "driving 6h01"), rule="breaks", at=AUTUMN)
    assert finding["figures"]["longest_stretch_minutes"] == 6 * 60 + 1


@pytest.mark.parametrize("sector", IN_SCOPE)
def test_l_3312_2_a_shortfall_is_a_finding_where_the_rule_surely_applies(sector: Sector) -> None:
    d = day("2026-11-03 06:00", "driving 6h01")
    assert len(check(d, rule="breaks", sector=sector)) == 1
    assert warned(d, rule="breaks-scope", sector=sector) == []


@pytest.mark.parametrize("sector", SCOPE_UNCERTAIN)
def test_l_3312_2_a_shortfall_is_a_question_where_the_rule_may_not_apply(sector: Sector) -> None:
    """L. 3312-2 spares cash-in-transit companies and regular passenger lines of 50 km at
    most: the record cannot tell, so the shortfall is a warning naming what to ask."""
    d = day("2026-11-03 06:00", "driving 6h01")
    assert check(d, rule="breaks", sector=sector) == []
    [warning] = warned(d, rule="breaks-scope", sector=sector)
    assert warning["possible_natinf"] == "35187"
    assert warning["figures"]["longest_stretch_minutes"] == 6 * 60 + 1
    assert "à demander" in warning["explanation"]
    spared = "50 km" if sector is Sector.PASSENGERS else "fonds et valeurs"
    assert spared in warning["explanation"]


@pytest.mark.parametrize("sector", SCOPE_UNCERTAIN)
def test_l_3312_2_six_hours_raise_no_question_either(sector: Sector) -> None:
    d = day("2026-11-03 06:00", "driving 6h")
    assert warned(d, rule="breaks-scope", sector=sector) == []


def test_l_3312_2_a_break_the_employer_shortened_is_the_employers_version() -> None:
    driver = day("2026-11-03 06:00", "driving 4h", "break 30m", "work 4h")
    employer = amended(driver, "2026-11-03 06:00", "driving 4h", "break 29m", "work 4h")
    [finding] = check(employer, rule="breaks")
    assert finding["version"] == "employer"


def test_l_3312_2_a_short_break_the_employer_lengthened_is_the_drivers_version() -> None:
    driver = day("2026-11-03 06:00", "driving 4h", "break 29m", "work 4h")
    employer = amended(driver, "2026-11-03 06:00", "driving 4h", "break 30m", "work 4h")
    [finding] = check(employer, rule="breaks")
    assert finding["version"] == "driver"
    assert finding["figures"]["break_minutes"] == 29


def test_l_3312_2_a_passenger_shortfall_the_employer_amended_away_is_still_asked() -> None:
    driver = day("2026-11-03 06:00", "driving 4h", "break 29m", "work 4h")
    employer = amended(driver, "2026-11-03 06:00", "driving 4h", "break 30m", "work 4h")
    [warning] = warned(employer, rule="breaks-scope", sector=Sector.PASSENGERS)
    assert warning["version"] == "driver"


def test_l_3312_2_a_tie_between_sectors_keeps_the_finding_the_strictest_rule_gives() -> None:
    """3 h 30 for a long-distance goods company, 3 h 30 for a cash-in-transit one, no
    break: L. 3312-2 surely applies to the long-distance part."""
    d = day("2026-11-03 06:00", "driving 3h30", f"work 3h30 {OTHER}")
    assert (
        len(
            check(
                d, rule="breaks", sector=Sector.GOODS_LONG_DISTANCE, other=Sector.GOODS_PARCEL_CASH
            )
        )
        == 1
    )


@pytest.mark.parametrize("sector", list(Sector))
def test_l_3312_2_a_week_of_nine_hours_one_in_fifteen_minute_pieces_gives_nothing(
    sector: Sector,
) -> None:
    periods = (
        "driving 3h",
        "break 15m",
        "work 3h",
        "break 15m",
        "driving 3h",
        "break 15m",
        "work 1m",
    )
    days = [day(f"2026-11-{d:02d} 06:00", *periods) for d in (9, 10, 11, 12)]
    assert said(*days, live(), sector=sector) == ([], [])
