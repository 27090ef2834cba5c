"""Breaks: past 6 h of work 30 min, past 9 h 45 min, counted in pieces of at least 15 min;
never more than 6 h of work without such a piece."""

from tests.rules.builder import check, day


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
