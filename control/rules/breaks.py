"""Breaks: 30 min past 6 h of work, 45 min past 9 h, in pieces of at least 15 min, and
never more than 6 h of work without such a piece."""

from __future__ import annotations

from collections.abc import Iterator

from control.record.model import Sector
from control.rules import french
from control.rules.catalogue import BREAKS, BREAKS_SCOPE
from control.rules.daily import day_dates
from control.rules.findings import Breach, RuleWarning
from control.rules.timeline import HOUR, MINUTE, ServiceDay, Timeline

SHORTEST_PIECE = 15 * MINUTE
LONGEST_STRETCH = 6 * HOUR
THRESHOLDS = ((9 * HOUR, 45 * MINUTE), (6 * HOUR, 30 * MINUTE))


def required_break(work: int) -> int:
    for threshold, pause in THRESHOLDS:
        if work > threshold:
            return pause
    return 0


def longest_stretch(day: ServiceDay) -> int:
    """The most work done between two pauses that count (availability does not reset it)."""
    longest = stretch = 0
    spans = iter(day.spans)
    span = next(spans, None)
    for index, block in enumerate(day.blocks):
        if index and block.start - day.blocks[index - 1].end >= SHORTEST_PIECE:
            stretch = 0
        while span is not None and span.start < block.end:
            if span.work:
                stretch += span.end - span.start
                longest = max(longest, stretch)
            span = next(spans, None)
    return longest


# L. 3312-2 spares cash-in-transit companies and passenger regular lines of 50 km at most:
# the record cannot tell either, so for these sectors a shortfall is a question, not a finding.
UNCERTAIN_SCOPE = {
    Sector.PASSENGERS: "services réguliers dont la ligne ne dépasse pas 50 km",
    Sector.GOODS_PARCEL_CASH: "entreprises de transport de fonds et valeurs",
}


def _spared(timeline: Timeline, day: ServiceDay) -> str | None:
    """The exemption the employer may invoke, or None when L. 3312-2 surely applies: some
    work of the day was done for a sector it does not spare."""
    worked = {timeline.sectors.get(siren) for siren in day.work_by_employer}
    if not worked or None in worked or not worked <= UNCERTAIN_SCOPE.keys():
        return None
    return UNCERTAIN_SCOPE[timeline.sector(day.work_by_employer)]


def breaks(timeline: Timeline) -> Iterator[Breach | RuleWarning]:
    for day in timeline.days:
        if day.work <= LONGEST_STRETCH:
            continue
        pieces = [end - start for start, end in day.pauses()]
        counted = sum(p for p in pieces if p >= SHORTEST_PIECE)
        required = required_break(day.work)
        stretch = longest_stretch(day)
        if counted >= required and stretch <= LONGEST_STRETCH:
            continue
        problems = []
        if counted < required:
            short = sum(p for p in pieces if p < SHORTEST_PIECE)
            uncounted = (
                f" ; {french.duration(short)} de pauses de moins de 15 min ne comptent pas"
                if short
                else ""
            )
            problems.append(
                f"{french.duration(day.work)} de travail et {french.duration(counted)} de pause "
                f"pour {french.duration(required)} exigées{uncounted}"
            )
        if stretch > LONGEST_STRETCH:
            problems.append(
                f"{french.duration(stretch)} de travail d'affilée sans pause d'au moins 15 min "
                f"(maximum 6 h)"
            )
        figures = {
            "work_minutes": french.minutes(day.work),
            "break_minutes": french.minutes(counted),
            "required_break_minutes": french.minutes(required),
            "longest_stretch_minutes": french.minutes(stretch),
        }
        explanation = f"Journée commencée {french.moment(day.start)} : " + " ; ".join(problems)
        spared = _spared(timeline, day)
        if spared is None:
            yield Breach(BREAKS, day_dates(day), figures, explanation + ".", day.days)
            continue
        yield RuleWarning(
            BREAKS_SCOPE,
            day_dates(day),
            figures,
            f"{explanation}. L'article L. 3312-2 ne s'applique pas aux {spared} : à demander "
            f"à l'employeur. Sinon : NATINF 35187.",
            day.days,
        )
