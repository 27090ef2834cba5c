"""Live entry: at a roadside control the driver is at work, so the LIC must show an activity
in progress. Like Mobilic, this is only a suggestion the controller confirms."""

from __future__ import annotations

from collections.abc import Iterator

from control.rules import french
from control.rules.catalogue import no_live_entry_rule
from control.rules.findings import Breach, Flag
from control.rules.timeline import Timeline, paris_date


def no_live_entry(timeline: Timeline) -> Iterator[Breach]:
    record, at = timeline.record, timeline.at
    for day in reversed(record.days):
        for activity in day.activities:
            started = activity.start.timestamp() <= at
            running = activity.end is None or activity.end.timestamp() > at
            if started and running:
                return
    # the latest day, whatever order the record lists days and activities in
    latest = max(
        range(len(record.days)),
        key=lambda i: max(a.start for a in record.days[i].activities),
        default=None,
    )
    last = None if latest is None else record.days[latest]
    sector = record.employer(last.employer).sector if last else record.employers[0].sector
    ended = max((s.end for s in timeline.spans), default=None)
    since = f" ; dernière activité terminée {french.moment(ended)}" if ended is not None else ""
    yield Breach(
        no_live_entry_rule(sector),
        (paris_date(at),),
        {} if ended is None else {"since_last_entry_minutes": french.minutes(at - ended)},
        f"Aucune activité en cours dans le livret au moment du contrôle "
        f"({french.moment(at)}){since}. Infraction suggérée, à confirmer par l'agent.",
        frozenset() if latest is None else frozenset({latest}),
        (Flag.SUGGESTED,),
    )
