"""Weekly rules over calendar weeks (Monday 0 h to Monday 0 h, Paris time).

A week only partly inside the record can still show a breach (its figures are then a lower
bound, flagged `partial-week`); an unseen part never creates one.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from control.record.model import Sector
from control.rules import french
from control.rules.catalogue import (
    SECTOR_LABELS,
    WEEKLY_AVERAGE,
    WEEKLY_MAX,
    WEEKLY_MAX_PASSENGERS,
    WEEKLY_REST,
)
from control.rules.findings import Breach, Flag, RuleWarning
from control.rules.timeline import HOUR, Timeline, Week

MAX_DAYS_WORKED = 6
WEEKLY_REST_MINIMUM = 34 * HOUR
# Goods (R. 3312-50, one isolated week, "temps de service"); passengers: C. travail
# L. 3121-20, the absolute 48 h of any worker.
WEEKLY_MAXIMUM = {
    Sector.GOODS_LONG_DISTANCE: 56 * HOUR,
    Sector.GOODS_REGIONAL: 52 * HOUR,
    Sector.GOODS_PARCEL_CASH: 48 * HOUR,
    Sector.REMOVALS: 52 * HOUR,
    Sector.PASSENGERS: 48 * HOUR,
}
AVERAGE_MAXIMUM = {
    Sector.GOODS_LONG_DISTANCE: 48 * HOUR,
    Sector.GOODS_REGIONAL: 48 * HOUR,
    Sector.GOODS_PARCEL_CASH: 44 * HOUR,
    Sector.REMOVALS: 48 * HOUR,
    Sector.PASSENGERS: 44 * HOUR,
}
AVERAGE_PERIOD = {Sector.PASSENGERS: "12 semaines"}


def week_work(timeline: Timeline, week: Week) -> dict[str, int]:
    """Seconds of work inside the week, by employer (a night shift is cut at midnight)."""
    return timeline.work_by_week[week.monday]


def longest_rest_from(timeline: Timeline, week: Week) -> tuple[int, bool]:
    """The longest rest that starts in the week (counted from its Monday at the earliest), and
    whether a rest starting in the week is still running when the record ends.

    A rest running into the next week counts in full. Unseen time (before the record, after
    the analysis) is rest: a rest still running is long enough whatever its length so far,
    so an unfinished or unseen week is never held against the driver. The length given is
    the part seen.
    """
    edges = [week.start]
    for block in timeline.blocks:
        edges += [block.start, block.end]
    last = edges[-1]
    longest = 0
    for start, end in zip(edges[::2], edges[1::2], strict=False):
        if start < week.end and end > week.start:
            longest = max(longest, end - max(start, week.start))
    running = last < week.end
    if running:
        longest = max(longest, max(timeline.at, last) - max(last, week.start))
    return longest, running


def _flags(timeline: Timeline, week: Week) -> tuple[Flag, ...]:
    return () if week.start >= timeline.window_start else (Flag.PARTIAL_WEEK,)


def _period(week: Week) -> str:
    sunday = week.monday + timedelta(days=6)
    return f"Semaine du {french.day(week.monday)} au {french.day(sunday)}"


def weekly_rest(timeline: Timeline) -> Iterator[Breach]:
    """At most six days worked in a calendar week, and a rest of at least 34 h."""
    for week in timeline.weeks():
        sunday = week.monday + timedelta(days=6)
        days = [d for d in timeline.days if week.monday <= d.label <= sunday and d.work]
        rest, running = longest_rest_from(timeline, week)
        rested = running or rest >= WEEKLY_REST_MINIMUM
        if len(days) <= MAX_DAYS_WORKED and rested:
            continue
        problems = []
        if len(days) > MAX_DAYS_WORKED:
            problems.append(f"{len(days)} jours travaillés (maximum {MAX_DAYS_WORKED})")
        if not rested:
            problems.append(
                f"plus long repos de {french.duration(rest)} (au moins 34 h consécutives)"
            )
        yield Breach(
            WEEKLY_REST,
            (week.monday, sunday),
            {"days_worked": len(days), "longest_rest_minutes": french.minutes(rest)},
            f"{_period(week)} : " + " ; ".join(problems) + ".",
            frozenset().union(*(d.days for d in days)),
            _flags(timeline, week),
        )


def weekly_max(timeline: Timeline) -> Iterator[Breach | RuleWarning]:
    """The sector's maximum of work in one calendar week. NATINF 11289 is worded for goods
    transport: for passenger staff the same figure is a warning to qualify."""
    for week in timeline.weeks():
        by_employer = week_work(timeline, week)
        work = sum(by_employer.values())
        sector = timeline.sector(by_employer)
        limit = WEEKLY_MAXIMUM[sector]
        if work <= limit:
            continue
        sunday = week.monday + timedelta(days=6)
        involved = [
            d for d in timeline.days if d.end > week.start and d.start < week.end and d.work
        ]
        figures = {
            "work_minutes": french.minutes(work),
            "limit_minutes": french.minutes(limit),
            "excess_minutes": french.minutes(work - limit),
        }
        explanation = (
            f"{_period(week)} : {french.duration(work)} de travail pour un maximum de "
            f"{french.duration(limit)} ({SECTOR_LABELS[sector]}), soit "
            f"{french.duration(work - limit)} de trop"
        )
        if sector is Sector.PASSENGERS:
            yield RuleWarning(
                WEEKLY_MAX_PASSENGERS,
                (week.monday, sunday),
                figures,
                f"{explanation}. Maximum de l'article L. 3121-20 du code du travail ; la "
                f"NATINF 11289 ne vise que le transport de marchandises : infraction à "
                f"qualifier par l'agent.",
                frozenset().union(*(d.days for d in involved)),
            )
            continue
        yield Breach(
            WEEKLY_MAX,
            (week.monday, sunday),
            figures,
            explanation + ".",
            frozenset().union(*(d.days for d in involved)),
            _flags(timeline, week),
        )


def weekly_average(timeline: Timeline) -> Iterator[RuleWarning]:
    """The average over the complete weeks of the window: a hint for a longer inquiry."""
    weeks = [w for w in timeline.weeks() if w.observed]
    if not weeks:
        return
    by_employer: dict[str, int] = {}
    for week in weeks:
        for siren, seconds in week_work(timeline, week).items():
            by_employer[siren] = by_employer.get(siren, 0) + seconds
    sector = timeline.sector(by_employer)
    average = sum(by_employer.values()) // len(weeks)
    limit = AVERAGE_MAXIMUM[sector]
    if average <= limit:
        return
    period = AVERAGE_PERIOD.get(sector, "la période de référence")
    yield RuleWarning(
        WEEKLY_AVERAGE,
        (weeks[0].monday, weeks[-1].monday + timedelta(days=6)),
        {
            "average_minutes": french.minutes(average),
            "limit_minutes": french.minutes(limit),
            "weeks": len(weeks),
        },
        f"Moyenne de {french.duration(average)} de travail par semaine sur les {len(weeks)} "
        f"semaines complètes du relevé, pour une moyenne maximale de {french.duration(limit)} "
        f"sur {period} ({SECTOR_LABELS[sector]}) : à vérifier sur la période complète, ce "
        f"n'est pas une infraction constatée.",
    )
