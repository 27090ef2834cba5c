"""Daily rules: the daily rest, the daily maximum of work, and the maximum with night work."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from control.record.model import Sector
from control.rules import french
from control.rules.catalogue import DAILY_REST, DAILY_WORK, NIGHT_WORK, SECTOR_LABELS
from control.rules.findings import Breach
from control.rules.timeline import HOUR, ServiceDay, Timeline, five_am, midnight, paris_date

REST_WINDOW = 24 * HOUR
MINIMUM_REST = 10 * HOUR
# Past this amplitude a day has necessarily worked inside a 24 h period with no 10 h rest:
# the rest before the day covers the 24 h before any moment up to 14 h after its start, and
# every pause inside a day is shorter than 10 h (that is what makes it one day).
LONGEST_COVERED = REST_WINDOW - MINIMUM_REST
GOODS_DAILY_MAX = 12 * HOUR
PASSENGERS_DAILY_MAX = 10 * HOUR
PASSENGERS_LONG_AMPLITUDE = 12 * HOUR
PASSENGERS_DAILY_MAX_LONG = 9 * HOUR
NIGHT_DAILY_MAX = 10 * HOUR


def day_dates(day: ServiceDay) -> tuple[date, ...]:
    """Every Paris date the day's service touches (a night shift has two)."""
    first, last = day.label, paris_date(day.end - 1)
    return tuple(first + timedelta(days=i) for i in range((last - first).days + 1))


def daily_rest(timeline: Timeline) -> Iterator[Breach]:
    """At least 10 consecutive hours of rest in the 24 hours before any moment of work."""
    for day in timeline.days:
        last_work = max((s.end for s in day.spans if s.work), default=None)
        if last_work is None or last_work - day.start <= LONGEST_COVERED:
            continue
        window_start = last_work - REST_WINDOW
        # the rest before the day and the pauses inside it, cut to the 24 h window
        before = max(0, day.start - window_start)
        pauses = [
            end - max(start, window_start)
            for start, end in day.pauses()
            if start < last_work and end > window_start
        ]
        longest = max([before, *pauses])
        yield Breach(
            DAILY_REST,
            day_dates(day),
            {
                "longest_rest_minutes": french.minutes(longest),
                "required_rest_minutes": french.minutes(MINIMUM_REST),
                "amplitude_minutes": french.minutes(last_work - day.start),
            },
            f"Dans les 24 h précédant la fin du travail ({french.moment(last_work)}), le plus "
            f"long repos n'a duré que {french.duration(longest)} : il faut au moins 10 h "
            f"consécutives. Service commencé {french.moment(day.start)}.",
            day.days,
        )


def daily_limit(sector: Sector, amplitude: int) -> tuple[int, str]:
    """The daily maximum of work for the sector, and the French reason for it."""
    if sector is not Sector.PASSENGERS:
        return GOODS_DAILY_MAX, SECTOR_LABELS[sector]
    if amplitude > PASSENGERS_LONG_AMPLITUDE:
        return PASSENGERS_DAILY_MAX_LONG, "transport de voyageurs, amplitude de plus de 12 h"
    return PASSENGERS_DAILY_MAX, SECTOR_LABELS[sector]


def daily_work(timeline: Timeline) -> Iterator[Breach]:
    """At most 12 h of work a day (goods, removals); passengers 10 h, 9 h past 12 h amplitude."""
    for day in timeline.days:
        sector = timeline.sector(day.work_by_employer)
        limit, reason = daily_limit(sector, day.amplitude)
        if day.work <= limit:
            continue
        excess = day.work - limit
        yield Breach(
            DAILY_WORK,
            day_dates(day),
            {
                "work_minutes": french.minutes(day.work),
                "limit_minutes": french.minutes(limit),
                "excess_minutes": french.minutes(excess),
                "amplitude_minutes": french.minutes(day.amplitude),
            },
            f"Journée commencée {french.moment(day.start)} : {french.duration(day.work)} de "
            f"travail pour un maximum de {french.duration(limit)} ({reason}), soit "
            f"{french.duration(excess)} de trop.",
            day.days,
        )


def night_minutes(day: ServiceDay) -> int:
    """Seconds of work between 0 h and 5 h (Paris time) in the day."""
    total = 0
    for span in day.spans:
        if not span.work:
            continue
        current = paris_date(span.start)
        while midnight(current) < span.end:
            low, high = midnight(current), five_am(current)
            total += max(0, min(span.end, high) - max(span.start, low))
            current += timedelta(days=1)
    return total


def night_work(timeline: Timeline) -> Iterator[Breach]:
    """A day with any work between 0 h and 5 h: at most 10 h of work."""
    for day in timeline.days:
        if day.work <= NIGHT_DAILY_MAX:
            continue
        night = night_minutes(day)
        if not night:
            continue
        excess = day.work - NIGHT_DAILY_MAX
        yield Breach(
            NIGHT_WORK,
            day_dates(day),
            {
                "work_minutes": french.minutes(day.work),
                "night_work_minutes": french.minutes(night),
                "limit_minutes": french.minutes(NIGHT_DAILY_MAX),
                "excess_minutes": french.minutes(excess),
            },
            f"Journée commencée {french.moment(day.start)} avec du travail de nuit "
            f"({french.duration(night)} entre 0 h et 5 h) : {french.duration(day.work)} de "
            f"travail pour un maximum de 10 h, soit {french.duration(excess)} de trop.",
            day.days,
        )
