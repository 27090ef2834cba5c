"""Daily maximum of work: 12 h for goods and removals (R. 3312-51); passenger staff 10 h
(D. 3312-6), which a derogation may carry to 12 h twice a week: beyond what any derogation
covers it is a finding, within it a warning naming the derogation to check."""

from datetime import UTC, datetime

import pytest

from control.record.model import Sector
from tests.rules.builder import GOODS_AND_REMOVALS, OTHER, amended, check, day, live, said, warned


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


def test_passengers_ten_hours_and_one_minute_is_a_derogation_to_check() -> None:
    d = day("2026-11-03 06:00", "driving 5h", "break 45m", "driving 5h01")
    assert check(d, rule="daily-work", sector=Sector.PASSENGERS) == []
    [warning] = warned(d, rule="daily-work-derogation", sector=Sector.PASSENGERS)
    assert warning["possible_natinf"] == "11292"
    assert "D. 3312-6" in warning["explanation"]
    assert "À demander" in warning["explanation"]


def test_passengers_twelve_hours_is_still_a_derogation_to_check() -> None:
    d = day("2026-11-03 06:00", "driving 5h", "break 45m", "driving 7h")
    assert check(d, rule="daily-work", sector=Sector.PASSENGERS) == []


def test_passengers_twelve_hours_and_one_minute_is_a_breach_no_derogation_covers() -> None:
    d = day("2026-11-03 06:00", "driving 5h", "break 45m", "driving 7h01")
    [finding] = check(d, rule="daily-work", sector=Sector.PASSENGERS)
    assert finding["natinf"] == "11292"
    assert finding["legal"] == ["C. transports, art. D. 3312-6"]
    assert finding["figures"]["limit_minutes"] == 10 * 60
    assert "aucune dérogation ne dépasse 12 h" in finding["explanation"]


def _long(date: str, hours: str = "5h30") -> object:
    return day(f"{date} 06:00", "driving 5h", "break 45m", f"driving {hours}")


def test_passengers_a_third_long_day_in_a_week_is_a_breach() -> None:
    short = [day(f"2026-11-{d:02d} 06:00", "driving 4h") for d in (5, 6)]  # 5 days worked
    days = [_long("2026-11-02"), _long("2026-11-03"), _long("2026-11-04"), *short]
    [finding] = check(*days, rule="daily-work", sector=Sector.PASSENGERS)  # type: ignore[arg-type]
    assert finding["dates"] == ["2026-11-04"]
    assert "3e journée de plus de 10 h" in finding["explanation"]
    warnings = warned(*days, rule="daily-work-derogation", sector=Sector.PASSENGERS)  # type: ignore[arg-type]
    assert [w["dates"] for w in warnings] == [["2026-11-02"], ["2026-11-03"]]


def test_passengers_a_second_long_day_in_a_week_of_four_days_is_a_breach() -> None:
    days = [_long("2026-11-02"), _long("2026-11-03")] + [
        day(f"2026-11-{d:02d} 06:00", "driving 4h") for d in (5, 6)
    ]
    [finding] = check(*days, rule="daily-work", sector=Sector.PASSENGERS)  # type: ignore[arg-type]
    assert finding["dates"] == ["2026-11-03"]
    assert "travaillée sur 4 jours" in finding["explanation"]


def test_passengers_a_second_long_day_in_a_week_of_five_days_may_be_covered() -> None:
    days = [_long("2026-11-02"), _long("2026-11-03")] + [
        day(f"2026-11-{d:02d} 06:00", "driving 4h") for d in (4, 5, 6)
    ]
    assert check(*days, rule="daily-work", sector=Sector.PASSENGERS) == []  # type: ignore[arg-type]
    assert len(warned(*days, rule="daily-work-derogation", sector=Sector.PASSENGERS)) == 2  # type: ignore[arg-type]


def test_passengers_long_days_in_two_weeks_are_counted_per_week() -> None:
    short = [day(f"2026-11-{d:02d} 06:00", "driving 4h") for d in (2, 3, 4)]
    days = [*short, _long("2026-11-05"), _long("2026-11-06"), _long("2026-11-09")]
    assert check(*days, rule="daily-work", sector=Sector.PASSENGERS) == []  # type: ignore[arg-type]


def test_passengers_amplitude_of_twelve_hours_raises_nothing() -> None:
    d = day("2026-11-03 06:00", "driving 4h", "break 2h", "driving 5h30")  # 11 h 30 amplitude
    assert check(d, rule="daily-work", sector=Sector.PASSENGERS) == []
    assert warned(d, rule="passengers-amplitude", sector=Sector.PASSENGERS) == []


def test_passengers_amplitude_past_twelve_hours_is_a_question_on_the_type_of_service() -> None:
    d = day("2026-11-03 06:00", "driving 4h", "break 3h01", "driving 5h01")  # 12 h 02
    assert check(d, rule="daily-work", sector=Sector.PASSENGERS) == []
    [warning] = warned(d, rule="passengers-amplitude", sector=Sector.PASSENGERS)
    assert "(plus de 9 h)" in warning["explanation"]
    assert warning["legal"] == ["C. transports, art. R. 3312-9", "C. transports, art. R. 3312-11"]


def test_goods_amplitude_raises_no_passenger_question() -> None:
    d = day("2026-11-03 06:00", "driving 4h", "break 3h01", "driving 5h01")
    assert warned(d, rule="passengers-amplitude", sector=Sector.GOODS_REGIONAL) == []


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
    # 9 h for a passenger company, 3 h 01 for a goods one: the passengers' 10 h applies, and
    # 12 h 01 is beyond any derogation (goods alone would allow 12 h)
    d = day("2026-11-03 06:00", f"driving 9h {OTHER}", "break 45m", "driving 3h01")
    [finding] = check(d, rule="daily-work", other=Sector.PASSENGERS)
    assert finding["figures"]["limit_minutes"] == 10 * 60
    assert finding["legal"] == ["C. transports, art. D. 3312-6"]


SPRING = datetime(2026, 4, 10, 12, tzinfo=UTC)  # the window opens on Sat 14 March
AUTUMN = datetime(2026, 11, 5, 12, tzinfo=UTC)  # the window opens on Fri 9 October
P = Sector.PASSENGERS


@pytest.mark.parametrize("sector", GOODS_AND_REMOVALS)
def test_r_3312_51_eleven_hours_fifty_nine_is_allowed(sector: Sector) -> None:
    d = day("2026-11-03 06:00", "driving 5h", "break 45m", "work 5h", "driving 1h59")
    assert check(d, rule="daily-work", sector=sector) == []


def test_r_3312_51_twelve_hours_real_time_when_summer_time_begins() -> None:
    """20:00 CET → 09:45 CEST: 13 h 45 on the clock, 12 h 45 real, 12 h of work."""
    d = day("2026-03-28 20:00", "driving 6h", "break 45m", "work 6h")
    assert check(d, rule="daily-work", at=SPRING) == []


def test_r_3312_51_twelve_hours_and_one_minute_real_time_when_summer_time_ends() -> None:
    """20:00 CEST → 07:46 CET: 11 h 46 on the clock, 12 h 46 real, 12 h 01 of work."""
    d = day("2026-10-24 20:00", "driving 6h", "break 45m", "work 6h01")
    [finding] = check(d, rule="daily-work", at=AUTUMN)
    assert finding["figures"]["work_minutes"] == 12 * 60 + 1
    assert finding["dates"] == ["2026-10-24", "2026-10-25"]


def test_d_3312_6_passengers_nine_hours_fifty_nine_raises_nothing() -> None:
    d = day("2026-11-03 06:00", "driving 5h", "break 45m", "driving 4h59")
    assert said(d, live(), sector=P) == ([], [])


def test_d_3312_6_passengers_ten_hours_raises_no_derogation_question() -> None:
    d = day("2026-11-03 06:00", "driving 5h", "break 45m", "driving 5h")
    assert warned(d, rule="daily-work-derogation", sector=P) == []


def test_d_3312_6_passengers_twelve_hours_is_a_derogation_to_check() -> None:
    d = day("2026-11-03 06:00", "driving 5h", "break 45m", "driving 7h")
    [warning] = warned(d, rule="daily-work-derogation", sector=P)
    assert warning["figures"] == {"work_minutes": 720, "limit_minutes": 600, "days_over_in_week": 1}


def test_d_3312_6_passengers_a_long_day_across_midnight_is_one_day() -> None:
    d = day("2026-11-03 20:00", "driving 5h", "break 45m", "driving 5h01")
    [warning] = warned(d, rule="daily-work-derogation", sector=P)
    assert warning["dates"] == ["2026-11-03", "2026-11-04"]


def test_d_3312_6_passengers_ten_hours_real_time_when_summer_time_begins() -> None:
    """20:00 CET → 07:45 CEST: 11 h 45 on the clock, 10 h of work."""
    d = day("2026-03-28 20:00", "driving 5h", "break 45m", "driving 5h")
    assert warned(d, rule="daily-work-derogation", sector=P, at=SPRING) == []


def test_d_3312_6_passengers_twelve_hours_and_one_minute_when_summer_time_ends() -> None:
    """20:00 CEST → 07:46 CET: 11 h 46 on the clock, 12 h 01 of work: no derogation covers it."""
    d = day("2026-10-24 20:00", "driving 6h", "break 45m", "driving 6h01")
    [finding] = check(d, rule="daily-work", sector=P, at=AUTUMN)
    assert "aucune dérogation" in finding["explanation"]


def test_d_3312_6_a_second_long_day_in_the_unfinished_week_may_still_be_covered() -> None:
    """Monday and Tuesday over 10 h, control on Wednesday: the week may reach 5 days."""
    days = [_long("2026-11-23"), _long("2026-11-24")]
    assert check(*days, rule="daily-work", sector=P) == []  # type: ignore[arg-type]
    warnings = warned(*days, rule="daily-work-derogation", sector=P)  # type: ignore[arg-type]
    assert [w["figures"]["days_over_in_week"] for w in warnings] == [1, 2]
    assert "5 jours au moins" in warnings[1]["explanation"]


def test_d_3312_6_a_second_long_day_in_a_week_the_window_cuts_may_still_be_covered() -> None:
    """The window opens on Thursday 29 October: Monday to Wednesday are unseen."""
    days = [_long("2026-10-29"), _long("2026-10-30")]
    assert check(*days, rule="daily-work", sector=P) == []  # type: ignore[arg-type]
    assert len(warned(*days, rule="daily-work-derogation", sector=P)) == 2  # type: ignore[arg-type]


def test_d_3312_6_a_third_long_day_is_a_breach_even_in_a_week_the_window_cuts() -> None:
    days = [_long("2026-10-29"), _long("2026-10-30"), _long("2026-10-31")]
    [finding] = check(*days, rule="daily-work", sector=P)  # type: ignore[arg-type]
    assert finding["dates"] == ["2026-10-31"]


def test_d_3312_6_a_day_of_availability_only_is_not_a_day_worked() -> None:
    """Four days of work and one of availability: the second derogation needs five."""
    days = [
        _long("2026-11-02"),
        _long("2026-11-03"),
        day("2026-11-04 06:00", "driving 4h"),
        day("2026-11-05 06:00", "availability 4h"),
        day("2026-11-06 06:00", "driving 4h"),
    ]
    [finding] = check(*days, rule="daily-work", sector=P)  # type: ignore[arg-type]
    assert "travaillée sur 4 jours" in finding["explanation"]


def test_d_3312_6_a_long_night_from_sunday_counts_in_the_week_it_starts() -> None:
    """Sunday 22:00 → Monday 09:15: the third day over 10 h of the week of Monday 2 Nov."""
    short = [day(f"2026-11-{d:02d} 06:00", "driving 4h") for d in (4, 5, 6)]
    night = day("2026-11-08 22:00", "driving 5h", "break 45m", "driving 5h30")
    days = [_long("2026-11-02"), _long("2026-11-03"), *short, night]
    [finding] = check(*days, rule="daily-work", sector=P)  # type: ignore[arg-type]
    assert finding["dates"] == ["2026-11-08", "2026-11-09"]
    assert "3e journée" in finding["explanation"]


def test_d_3312_6_a_tie_between_employers_takes_the_strictest_sector() -> None:
    """5 h 30 for a passenger company, 5 h 30 for a goods one: passengers' 10 h applies."""
    d = day("2026-11-03 06:00", f"driving 5h30 {OTHER}", "break 45m", "driving 5h30")
    [warning] = warned(d, rule="daily-work-derogation", other=P)
    assert warning["figures"]["work_minutes"] == 11 * 60


def test_d_3312_6_a_day_the_employer_brought_within_12_hours_is_the_drivers_version() -> None:
    driver = day("2026-11-03 06:00", "driving 5h", "break 45m", "driving 7h01")
    employer = amended(driver, "2026-11-03 06:00", "driving 5h", "break 45m", "driving 6h")
    [finding] = check(employer, rule="daily-work", sector=P)
    assert finding["version"] == "driver"
    assert finding["figures"]["work_minutes"] == 12 * 60 + 1
    [warning] = warned(employer, rule="daily-work-derogation", sector=P)
    assert warning["figures"]["work_minutes"] == 11 * 60


def test_d_3312_6_a_long_day_the_employer_brought_under_10_hours_is_still_asked() -> None:
    driver = day("2026-11-03 06:00", "driving 5h", "break 45m", "driving 6h")
    employer = amended(driver, "2026-11-03 06:00", "driving 5h", "break 45m", "driving 5h")
    [warning] = warned(employer, rule="daily-work-derogation", sector=P)
    assert warning["version"] == "driver"


def test_r_3312_9_amplitude_of_exactly_twelve_hours_raises_nothing() -> None:
    d = day("2026-11-03 06:00", "driving 4h", "break 3h", "driving 5h")  # 06:00 → 18:00
    assert warned(d, rule="passengers-amplitude", sector=P) == []


def test_r_3312_9_amplitude_of_twelve_hours_and_one_minute_is_a_question() -> None:
    d = day("2026-11-03 06:00", "driving 4h", "break 3h01", "driving 5h")  # 9 h of work
    [warning] = warned(d, rule="passengers-amplitude", sector=P)
    assert warning["figures"] == {"amplitude_minutes": 12 * 60 + 1, "work_minutes": 9 * 60}
    assert "(plus de 9 h)" not in warning["explanation"]  # R. 3312-11 1°: 9 h at most
    assert check(d, rule="daily-work", sector=P) == []


def test_r_3312_11_nine_hours_and_one_minute_over_twelve_hours_of_amplitude_is_named() -> None:
    d = day("2026-11-03 06:00", "driving 4h", "break 3h01", "driving 5h01")
    [warning] = warned(d, rule="passengers-amplitude", sector=P)
    assert "(plus de 9 h)" in warning["explanation"]


def test_r_3312_9_amplitude_across_midnight() -> None:
    d = day("2026-11-03 20:00", "driving 4h", "break 3h01", "driving 5h")  # → 08:01
    [warning] = warned(d, rule="passengers-amplitude", sector=P)
    assert warning["dates"] == ["2026-11-03", "2026-11-04"]


def test_r_3312_9_amplitude_is_real_time_when_summer_time_begins() -> None:
    """20:00 CET → 09:00 CEST: 13 h on the clock, 12 h real."""
    d = day("2026-03-28 20:00", "driving 4h", "break 3h", "driving 5h")
    assert warned(d, rule="passengers-amplitude", sector=P, at=SPRING) == []


def test_r_3312_9_amplitude_is_real_time_when_summer_time_ends() -> None:
    """20:00 CEST → 07:01 CET: 11 h 01 on the clock, 12 h 01 real."""
    d = day("2026-10-24 20:00", "driving 4h", "break 3h01", "driving 5h")
    [warning] = warned(d, rule="passengers-amplitude", sector=P, at=AUTUMN)
    assert warning["figures"]["amplitude_minutes"] == 12 * 60 + 1


@pytest.mark.parametrize("sector", GOODS_AND_REMOVALS)
def test_r_3312_51_a_week_of_four_twelve_hour_days_gives_nothing(sector: Sector) -> None:
    days = [
        day(f"2026-11-{d:02d} 06:00", "driving 6h", "break 45m", "work 6h") for d in (9, 10, 11, 12)
    ]
    assert said(*days, live(), sector=sector) == ([], [])


def test_d_3312_6_a_passenger_week_of_four_ten_hour_days_gives_nothing() -> None:
    days = [
        day(f"2026-11-{d:02d} 06:00", "driving 5h", "break 2h", "driving 5h")
        for d in (9, 10, 11, 12)
    ]
    assert said(*days, live(), sector=P) == ([], [])


@pytest.mark.parametrize("sector", GOODS_AND_REMOVALS)
def test_r_3312_51_availability_that_may_be_service_time_is_asked_not_found(
    sector: Sector,
) -> None:
    """R. 3312-51 limits the "temps de service": 11 h of work and 1 h 01 of availability is
    12 h 01 if that availability was time at the employer's disposal."""
    d = day("2026-11-03 06:00", "driving 5h", "break 45m", "work 6h", "availability 1h01")
    assert check(d, rule="daily-work", sector=sector) == []
    [warning] = warned(d, rule="availability-service-time", sector=sector)
    assert warning["possible_natinf"] == "11292"
    assert warning["figures"]["availability_minutes"] == 61
    assert "12 h 01" in warning["explanation"]


def test_r_3312_51_availability_within_twelve_hours_of_service_raises_nothing() -> None:
    d = day("2026-11-03 06:00", "driving 5h", "break 45m", "work 6h", "availability 1h")
    assert warned(d, rule="availability-service-time") == []


def test_availability_is_no_question_for_passenger_staff_whose_limit_is_effective_work() -> None:
    d = day("2026-11-03 06:00", "driving 5h", "break 45m", "work 4h", "availability 4h")
    assert warned(d, rule="availability-service-time", sector=Sector.PASSENGERS) == []
