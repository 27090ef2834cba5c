"""Properties of the analysis over arbitrary records (hypothesis)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from control.record.invariants import check_record
from control.record.model import (
    WINDOW_DAYS,
    Activity,
    ActivityType,
    EmployerValidation,
    Record,
    Sector,
    WorkDay,
)
from control.rules import analyze
from tests.rules.builder import MAIN, OTHER, record

# Winter: no DST change in the window or in the shifted copies (until 28 March 2027).
CET = timezone(timedelta(hours=1))
AT = datetime(2027, 1, 27, 9, 40, tzinfo=UTC)
KINDS = list(ActivityType)

periods = st.lists(
    st.tuples(st.sampled_from(KINDS), st.integers(1, 420), st.sampled_from([MAIN, OTHER])),
    min_size=1,
    max_size=8,
)
day_plans = st.lists(
    st.tuples(st.integers(0, 60 * 60), periods, st.booleans()), min_size=0, max_size=30
)


def build_record(
    plans: list[tuple[int, list[tuple[ActivityType, int, str]], bool]],
    sector: Sector = Sector.GOODS_REGIONAL,
    other: Sector = Sector.PASSENGERS,
) -> Record:
    """Days one after the other from the window's start, each after a gap of up to 60 h; the
    main employer's days in `sector`, the other's in `other`."""
    window_start = AT.date() - timedelta(days=WINDOW_DAYS - 1)
    cursor = datetime(window_start.year, window_start.month, window_start.day, tzinfo=CET)
    days = []
    for gap, day_periods, amend in plans:
        start = cursor + timedelta(minutes=gap + 1)
        activities = []
        for kind, length, employer in day_periods:
            end = start + timedelta(minutes=length)
            if end > AT:
                break
            activities.append(Activity(kind, start, end, employer))
            start = end
        if not activities:
            break
        cursor = start
        day = WorkDay(activities[0].start.date(), MAIN, tuple(activities))
        last = activities[-1]
        assert last.end is not None
        if amend and last.end - last.start > timedelta(minutes=10):
            shorter = replace(last, end=last.end - timedelta(minutes=10))
            day = replace(
                day,
                activities=(*activities[:-1], shorter),
                driver_activities=tuple(activities),
                employer_validation=EmployerValidation(AT, changed=True),
            )
        days.append(day)
    return record(*days, sector=sector, other=other, at=AT)


def comparable(findings: Any, shift: timedelta = timedelta(0)) -> list[tuple[Any, ...]]:
    return sorted(
        (
            f.rule.id,
            tuple(d - shift for d in f.dates),
            f.version.value,
            tuple(sorted(f.figures.items())),
            tuple(f.flags),
        )
        for f in findings
    )


@settings(max_examples=60, deadline=None)
@given(day_plans, st.randoms(use_true_random=False))
def test_findings_do_not_depend_on_the_order_of_activities(
    plans: list[Any], rng: random.Random
) -> None:
    original = build_record(plans)
    shuffled_days = []
    for day in original.days:
        activities = list(day.activities)
        rng.shuffle(activities)
        shuffled_days.append(replace(day, activities=tuple(activities)))
    rng.shuffle(shuffled_days)
    shuffled = replace(original, days=tuple(shuffled_days))
    assert comparable(analyze(shuffled, AT).findings) == comparable(analyze(original, AT).findings)


@settings(max_examples=60, deadline=None)
@given(day_plans, st.integers(1, 6))
def test_shifting_a_record_by_whole_weeks_changes_no_finding(plans: list[Any], weeks: int) -> None:
    original = build_record(plans)
    by = timedelta(weeks=weeks)

    def move(activities: tuple[Activity, ...]) -> tuple[Activity, ...]:
        return tuple(
            replace(a, start=a.start + by, end=None if a.end is None else a.end + by)
            for a in activities
        )

    moved_days = tuple(
        replace(
            day,
            date=day.date + by,
            activities=move(day.activities),
            driver_activities=None
            if day.driver_activities is None
            else move(day.driver_activities),
            employer_validation=None
            if day.employer_validation is None
            else replace(day.employer_validation, at=day.employer_validation.at + by),
        )
        for day in original.days
    )
    moved = replace(original, window_start=original.window_start + by, days=moved_days)
    check_record(moved)
    before = analyze(original, AT)
    after = analyze(moved, AT + by)
    assert comparable(after.findings, by) == comparable(before.findings)
    assert [w.figures for w in after.warnings] == [w.figures for w in before.warnings]


@settings(max_examples=80, deadline=None)
@given(day_plans, st.data())
def test_adding_a_break_never_creates_a_break_breach(plans: list[Any], data: Any) -> None:
    original = build_record(plans)
    candidates = [
        (d, a)
        for d, day in enumerate(original.days)
        for a, activity in enumerate(day.activities)
        if activity.type is not ActivityType.BREAK
        and activity.end is not None
        and activity.end - activity.start >= timedelta(minutes=2)
    ]
    if not candidates:
        return
    d, a = data.draw(st.sampled_from(candidates))
    day = original.days[d]
    activity = day.activities[a]
    assert activity.end is not None
    length = (activity.end - activity.start) // timedelta(minutes=1)
    begin = data.draw(st.integers(0, length - 1))
    size = data.draw(st.integers(1, length - begin))
    pause_start = activity.start + timedelta(minutes=begin)
    pause_end = pause_start + timedelta(minutes=size)
    pieces = [
        replace(activity, end=pause_start),
        Activity(ActivityType.BREAK, pause_start, pause_end, activity.employer),
        replace(activity, start=pause_end),
    ]
    pieces = [p for p in pieces if p.end is None or p.end > p.start]
    activities = (*day.activities[:a], *pieces, *day.activities[a + 1 :])
    changed = replace(day, activities=activities)
    with_break = replace(original, days=(*original.days[:d], changed, *original.days[d + 1 :]))

    def break_dates(rec: Record) -> set[date]:
        return {x for f in analyze(rec, AT).findings if f.rule.id == "breaks" for x in f.dates}

    assert break_dates(with_break) <= break_dates(original)
