"""The record as the rules see it: spans of work on one real-time axis, grouped into days.

Times become unix seconds, so durations are real elapsed time across DST changes; calendar
notions (night, week, the date of a day) are taken in Europe/Paris, where the control happens.

- *work* is driving, other work, support and transfer; a break is rest; availability is
  neither (it is not work time, and not rest or break either);
- time with nothing recorded is rest (the LIC records every period of service);
- a *service day* is Mobilic's day: the service between two rests of at least 10 hours,
  labelled by the Paris date on which it starts. A night shift is one day, and a rest of
  less than 10 hours does not end a day;
- an activity in progress ends at the moment of the analysis; nothing after it is known.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache, cached_property, lru_cache
from operator import attrgetter
from typing import NamedTuple
from zoneinfo import ZoneInfo

from control.record.model import ActivityType, Record, Sector

PARIS = ZoneInfo("Europe/Paris")
HOUR = 3600
MINUTE = 60
DAILY_REST = 10 * HOUR
WORK_TYPES = frozenset(
    {ActivityType.DRIVING, ActivityType.WORK, ActivityType.SUPPORT, ActivityType.TRANSFER}
)


class Span(NamedTuple):
    """One recorded period that is not rest: work, or availability (`work` False). A named
    tuple: a record makes a few hundred at each analysis, three times faster than a frozen
    dataclass."""

    start: int
    end: int
    work: bool
    employer: str
    day: int  # index in record.days, to trace a finding back to validations


@dataclass(frozen=True, slots=True)
class Block:
    """Spans with no rest between them."""

    start: int
    end: int


@dataclass(frozen=True)
class ServiceDay:
    label: date
    spans: tuple[Span, ...]
    blocks: tuple[Block, ...]
    work: int  # seconds of work
    days: frozenset[int]  # record days it draws on
    work_by_employer: dict[str, int] = field(hash=False, compare=False)

    @property
    def start(self) -> int:
        return self.blocks[0].start

    @property
    def end(self) -> int:
        return self.blocks[-1].end

    @property
    def amplitude(self) -> int:
        return self.end - self.start

    def pauses(self) -> list[tuple[int, int]]:
        """The rest periods inside the day, each shorter than a daily rest."""
        return [(a.end, b.start) for a, b in zip(self.blocks, self.blocks[1:], strict=False)]


@dataclass(frozen=True)
class Week:
    monday: date
    start: int
    end: int
    observed: bool  # the whole week lies inside the record's window and before the analysis


@dataclass(frozen=True)
class Timeline:
    record: Record
    at: int
    window_start: int  # Paris midnight of the window's first day
    spans: tuple[Span, ...]
    blocks: tuple[Block, ...]
    days: tuple[ServiceDay, ...]
    sectors: dict[str, Sector] = field(hash=False, compare=False)

    def sector(self, work_by_employer: dict[str, int]) -> Sector:
        """The sector whose rules apply: the one worked for longest, the strictest on a tie."""
        totals: dict[Sector, int] = {}
        for siren, seconds in work_by_employer.items():
            sector = self.sectors.get(siren)
            if sector is not None:
                totals[sector] = totals.get(sector, 0) + seconds
        if not totals:
            return self.record.employers[0].sector
        return max(totals, key=lambda s: (totals[s], -STRICTNESS[s]))

    def weeks(self) -> list[Week]:
        """The calendar weeks (Monday to Sunday, Paris) that the window touches."""
        return list(self._weeks)

    @cached_property
    def _weeks(self) -> tuple[Week, ...]:
        first = self.record.window_start
        last = datetime.fromtimestamp(self.at, PARIS).date()
        monday = first - timedelta(days=first.weekday())
        weeks = []
        while monday <= last:
            start, end = midnight(monday), midnight(monday + timedelta(days=7))
            weeks.append(Week(monday, start, end, start >= self.window_start and end <= self.at))
            monday += timedelta(days=7)
        return tuple(weeks)

    @cached_property
    def work_by_week(self) -> dict[date, dict[str, int]]:
        """Seconds of work inside each week, by employer (a night shift is cut at midnight):
        one pass over the spans for all the weekly rules of this version."""
        weeks = self._weeks
        starts = [week.start for week in weeks]
        totals: dict[date, dict[str, int]] = {week.monday: {} for week in weeks}
        for span in self.spans:
            if not span.work:
                continue
            index = max(bisect_right(starts, span.start) - 1, 0)  # the week it starts in
            while index < len(weeks) and weeks[index].start < span.end:
                week = weeks[index]
                if span.start < week.end and span.end > week.start:
                    seconds = min(span.end, week.end) - max(span.start, week.start)
                    by_employer = totals[week.monday]
                    by_employer[span.employer] = by_employer.get(span.employer, 0) + seconds
                index += 1
        return totals


# Lower is stricter (its weekly maximum, in hours): decides ties between sectors.
STRICTNESS = {
    Sector.GOODS_PARCEL_CASH: 48,
    Sector.PASSENGERS: 48,
    Sector.GOODS_REGIONAL: 52,
    Sector.REMOVALS: 52,
    Sector.GOODS_LONG_DISTANCE: 56,
}


@cache
def midnight(day: date) -> int:
    """Unix time of 00:00 in Paris on `day`."""
    return int(datetime(day.year, day.month, day.day, tzinfo=PARIS).timestamp())


@cache
def five_am(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, 5, tzinfo=PARIS).timestamp())


def paris_date(moment: int) -> date:
    return datetime.fromtimestamp(moment, PARIS).date()


CLOCKS = tuple(f"{hour:02d}:{minute:02d}" for hour in range(24) for minute in range(60))


def paris_clock(moment: int) -> str:
    """The Paris time of unix `moment` as the days' periods show it, "06:05": a few hundred
    per verdict, so without a datetime each (Paris changes its clock on whole UTC hours)."""
    return CLOCKS[(moment + _paris_offset(moment // HOUR)) // MINUTE % len(CLOCKS)]


@lru_cache(maxsize=2048)  # the hours of a few months: the records controlled lately
def _paris_offset(hour: int) -> int:
    """Seconds ahead of UTC in Paris during the `hour`-th hour since the epoch."""
    offset = datetime.fromtimestamp(hour * HOUR, PARIS).utcoffset()
    return int(offset.total_seconds()) if offset else 0


def build(record: Record, at: datetime, *, driver_version: bool = False) -> Timeline:
    """The timeline of `record` as known at `at`; the driver's version of amended days if asked."""
    now = int(at.timestamp())
    spans = []
    for index, day in enumerate(record.days):
        activities = day.activities
        if driver_version and day.driver_activities is not None:
            activities = day.driver_activities
        for activity in activities:
            if activity.type is ActivityType.BREAK:
                continue
            start = int(activity.start.timestamp())
            end = now if activity.end is None else min(int(activity.end.timestamp()), now)
            if end > start:
                spans.append(
                    Span(start, end, activity.type in WORK_TYPES, activity.employer, index)
                )
    spans.sort(key=attrgetter("start"))  # stable: spans starting together keep their order
    blocks = _blocks(spans)
    return Timeline(
        record,
        now,
        midnight(record.window_start),
        tuple(spans),
        blocks,
        _days(spans, blocks),
        {e.siren: e.sector for e in record.employers},
    )


def _blocks(spans: list[Span]) -> tuple[Block, ...]:
    if not spans:
        return ()
    blocks: list[Block] = []
    start, end = spans[0].start, spans[0].end
    for span in spans:
        if span.start > end:
            blocks.append(Block(start, end))
            start, end = span.start, span.end
        elif span.end > end:
            end = span.end
    blocks.append(Block(start, end))
    return tuple(blocks)


def _days(spans: list[Span], blocks: tuple[Block, ...]) -> tuple[ServiceDay, ...]:
    groups: list[list[Block]] = []
    for block in blocks:
        if groups and block.start - groups[-1][-1].end < DAILY_REST:
            groups[-1].append(block)
        else:
            groups.append([block])
    days = []
    position = 0
    for group in groups:
        end = group[-1].end
        members = []
        while position < len(spans) and spans[position].start < end:
            members.append(spans[position])
            position += 1
        work = 0
        by_employer: dict[str, int] = {}
        for span in members:
            if span.work:
                seconds = span.end - span.start
                work += seconds
                by_employer[span.employer] = by_employer.get(span.employer, 0) + seconds
        days.append(
            ServiceDay(
                paris_date(group[0].start),
                tuple(members),
                tuple(group),
                work,
                frozenset(s.day for s in members),
                by_employer,
            )
        )
    return tuple(days)
