"""A service schedule (annex I): the control's moment against it, and the plan against the rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from control.paper.schedule import (
    ON_SCHEDULE,
    PARIS,
    ScheduledDay,
    ScheduleError,
    ServiceSchedule,
    Span,
    analyze_schedule,
    by_rule,
    from_json,
    planned_day,
    to_json,
)
from control.paper.schedule_check import Situation, StatedActivity, compare
from control.record.model import ActivityType, Driver, Employer, Sector

DRIVER = Driver("", "Roux", "Inès", date.min)  # synthetic
EMPLOYER = Employer("298412974", "Cars du Vercors", Sector.PASSENGERS)
WEEKDAY_SERVICE = Span(time(6, 0), time(14, 0))
MORNING_BREAK = Span(time(10, 0), time(10, 30))


def weekdays(service: Span = WEEKDAY_SERVICE, *breaks: Span) -> ServiceSchedule:
    """Monday to Friday, the given service and breaks; no service at the weekend."""
    lines = tuple(ScheduledDay(n, service, breaks or (MORNING_BREAK,)) for n in range(5))
    return ServiceSchedule("H-12", "Cars du Vercors", "Inès Roux", "Ligne 12", lines)


def paris(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026 (the 23rd is a Monday), Paris time."""
    return datetime(2026, 11, day, hour, minute, tzinfo=PARIS)


def test_driving_within_the_service_suggests_nothing() -> None:
    result = compare(weekdays(), paris(24, 8, 15), StatedActivity.DRIVING)
    assert result.situation is Situation.IN_SERVICE
    assert result.service_day == date(2026, 11, 24)
    assert result.suggestions == ()


def test_driving_after_the_end_of_service_is_suggested() -> None:
    result = compare(weekdays(), paris(24, 15, 30), StatedActivity.DRIVING)
    assert result.situation is Situation.OUTSIDE_HOURS
    [suggestion] = result.suggestions
    assert suggestion.rule == "schedule-outside-hours"
    assert "de 06:00 à 14:00" in suggestion.explanation
    assert "24/11/2026 à 15:30 en conduite" in suggestion.explanation


def test_work_on_a_day_without_service_is_suggested() -> None:
    result = compare(weekdays(), paris(29, 9, 0), StatedActivity.WORK)  # a Sunday
    assert result.situation is Situation.DAY_OFF
    [suggestion] = result.suggestions
    assert suggestion.rule == "schedule-day-off"
    assert "aucun service le dimanche" in suggestion.explanation


def test_driving_during_a_planned_break_is_suggested() -> None:
    result = compare(weekdays(), paris(25, 10, 10), StatedActivity.DRIVING)
    assert result.situation is Situation.IN_BREAK
    [suggestion] = result.suggestions
    assert suggestion.rule == "schedule-during-break"
    assert "la pause prévue de 10:00 à 10:30" in suggestion.explanation


def test_a_driver_resting_outside_the_service_suggests_nothing() -> None:
    result = compare(weekdays(), paris(24, 18, 0), StatedActivity.REST)
    assert result.situation is Situation.OUTSIDE_HOURS
    assert result.suggestions == ()


def test_a_driver_resting_during_a_planned_break_suggests_nothing() -> None:
    result = compare(weekdays(), paris(25, 10, 10), StatedActivity.REST)
    assert result.situation is Situation.IN_BREAK
    assert result.suggestions == ()


def test_a_night_service_covers_the_early_hours_of_the_next_day() -> None:
    night = weekdays(Span(time(21, 0), time(5, 0)), Span(time(1, 0), time(1, 30)))
    saturday_early = compare(night, paris(28, 3, 0), StatedActivity.DRIVING)  # Friday's night
    assert saturday_early.situation is Situation.IN_SERVICE
    assert saturday_early.service_day == date(2026, 11, 27)
    in_break = compare(night, paris(25, 1, 15), StatedActivity.DRIVING)
    assert in_break.situation is Situation.IN_BREAK
    assert in_break.service_day == date(2026, 11, 24)


def test_the_moment_is_read_in_paris_time() -> None:
    late = compare(weekdays(), datetime(2026, 11, 24, 13, 30, tzinfo=UTC), StatedActivity.DRIVING)
    assert late.situation is Situation.OUTSIDE_HOURS  # 14:30 in Paris


def test_a_planned_day_alternates_work_and_breaks() -> None:
    day = planned_day(weekdays(), date(2026, 11, 24), EMPLOYER.siren)
    assert day is not None
    assert [(a.type, f"{a.start:%H:%M}", f"{a.end:%H:%M}") for a in day.activities] == [
        (ActivityType.WORK, "06:00", "10:00"),
        (ActivityType.BREAK, "10:00", "10:30"),
        (ActivityType.WORK, "10:30", "14:00"),
    ]


def test_no_planned_day_on_a_day_without_service() -> None:
    assert planned_day(weekdays(), date(2026, 11, 29), EMPLOYER.siren) is None


def test_a_lawful_schedule_gives_no_finding() -> None:
    analysis = analyze_schedule(weekdays(), DRIVER, EMPLOYER, paris(24, 9)).analysis
    assert analysis.findings == ()


def test_a_schedule_planning_too_long_days_is_found_and_marked() -> None:
    long_days = weekdays(
        Span(time(5, 0), time(19, 0)), Span(time(9, 0), time(9, 30)), Span(time(13, 0), time(14, 0))
    )  # 12 h 30 of work a day
    analysis = analyze_schedule(long_days, DRIVER, EMPLOYER, paris(24, 9)).analysis
    daily = [f for f in analysis.findings if f.rule.id == "daily-work"]
    assert daily, [f.rule.id for f in analysis.findings]
    assert all(f.explanation.endswith(f"({ON_SCHEDULE})") for f in analysis.findings)
    assert max(d for f in daily for d in f.dates) == date(2026, 11, 24)


def test_a_schedule_without_enough_break_is_found() -> None:
    no_break = ServiceSchedule(
        "H-13",
        "Cars du Vercors",
        "Inès Roux",
        "Ligne 13",
        (ScheduledDay(1, Span(time(6, 0), time(14, 0))),),
    )
    analysis = analyze_schedule(no_break, DRIVER, EMPLOYER, paris(24, 9)).analysis
    # passenger staff: L. 3312-2 spares regular lines of 50 km at most, which the
    # schedule does not say, so the missing break is a question for the employer
    assert "breaks-scope" in {w.rule.id for w in analysis.warnings}
    goods = Employer(EMPLOYER.siren, EMPLOYER.name, Sector.GOODS_REGIONAL)
    analysis = analyze_schedule(no_break, DRIVER, goods, paris(24, 9)).analysis
    assert "breaks" in {f.rule.id for f in analysis.findings}


def test_a_break_outside_the_service_is_refused() -> None:
    with pytest.raises(ScheduleError, match="pas dans le service"):
        ScheduledDay(0, WEEKDAY_SERVICE, (Span(time(15, 0), time(15, 20)),))


def test_overlapping_breaks_are_refused() -> None:
    with pytest.raises(ScheduleError, match="chevauchent"):
        ScheduledDay(0, WEEKDAY_SERVICE, (MORNING_BREAK, Span(time(10, 15), time(10, 45))))


def test_a_weekday_given_twice_is_refused() -> None:
    line = ScheduledDay(0, WEEKDAY_SERVICE)
    with pytest.raises(ScheduleError, match="deux fois"):
        ServiceSchedule("H", "E", "S", "L", (line, line))


def test_a_schedule_without_any_day_is_refused() -> None:
    with pytest.raises(ScheduleError, match="aucun jour"):
        ServiceSchedule("H", "E", "S", "L", ())


def test_the_json_form_keeps_every_field() -> None:
    schedule = weekdays()
    assert from_json(to_json(schedule)) == schedule


def test_unreadable_json_is_a_schedule_error() -> None:
    with pytest.raises(ScheduleError, match="illisible"):
        from_json({"number": "H", "days": [{"weekday": 0}]})


def test_a_breach_the_plan_repeats_is_listed_once_with_its_count() -> None:
    long_days = weekdays(Span(time(5, 0), time(19, 0)), Span(time(9, 0), time(9, 30)))
    analysis = analyze_schedule(long_days, DRIVER, EMPLOYER, paris(24, 9)).analysis
    [daily] = [r for r in by_rule(analysis) if r.latest.rule.id == "daily-work"]
    assert daily.occurrences == len([f for f in analysis.findings if f.rule.id == "daily-work"])
    assert daily.occurrences == 20  # every planned weekday of the 28 days
    assert daily.latest.dates == (date(2026, 11, 24),)
