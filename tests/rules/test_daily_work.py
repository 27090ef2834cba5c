"""Daily maximum of work: 12 h for goods and removals (R. 3312-51); passenger staff 10 h
(D. 3312-6), which a derogation may carry to 12 h twice a week: beyond what any derogation
covers it is a finding, within it a warning naming the derogation to check."""

import pytest

from control.record.model import Sector
from tests.rules.builder import OTHER, check, day, warned

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
