"""LIC activities as a tachograph records them: per UTC day, a list of activity changes.

A tachograph keeps, for each calendar day (UTC: the recording equipment keeps UTC time,
Annex 1B chapter III) the card was used, a CardActivityDailyRecord whose
ActivityChangeInfo words each say "from this minute on, this slot, this crew status, card
inserted or not, this activity" (Annex 1B, Appendix 1, data dictionary).

Mapping (docs/exports.md): driving -> DRIVING; other work -> WORK; travel time to take
charge of a vehicle (LIC "transfer") -> WORK, as Regulation (EC) 561/2006 art. 9(2) counts
it; availability -> AVAILABILITY; support (accompanying a crew) -> AVAILABILITY in the
co-driver slot, crew mode, which is what a tachograph records for the second crew member
while the vehicle moves; break -> BREAK/REST. A minute no LIC activity covers is recorded
as "card not inserted, activity unknown", as a card left out of the tachograph would be.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import IntEnum

from control.record.model import Activity, ActivityType

MINUTES_PER_DAY = 1440


class Slot(IntEnum):
    DRIVER = 0
    CO_DRIVER = 1


class CardActivity(IntEnum):
    """ActivityChangeInfo 'aa' (Appendix 1)."""

    BREAK_REST = 0
    AVAILABILITY = 1
    WORK = 2
    DRIVING = 3


@dataclass(frozen=True)
class State:
    slot: Slot
    activity: CardActivity


MAPPING: dict[ActivityType, State] = {
    ActivityType.DRIVING: State(Slot.DRIVER, CardActivity.DRIVING),
    ActivityType.WORK: State(Slot.DRIVER, CardActivity.WORK),
    ActivityType.TRANSFER: State(Slot.DRIVER, CardActivity.WORK),
    ActivityType.AVAILABILITY: State(Slot.DRIVER, CardActivity.AVAILABILITY),
    ActivityType.SUPPORT: State(Slot.CO_DRIVER, CardActivity.AVAILABILITY),
    ActivityType.BREAK: State(Slot.DRIVER, CardActivity.BREAK_REST),
}


def _minute(when: datetime) -> datetime:
    return when.astimezone(UTC).replace(second=0, microsecond=0)


def minutes_by_day(
    activities: Iterable[Activity], as_of: datetime
) -> dict[date, list[State | None]]:
    """Each UTC day touched by an activity, minute by minute, up to `as_of` (the moment the
    code was made), as a card downloaded then would show it: an activity still in progress
    runs until then, and nothing is written after it (a record claiming later times would
    otherwise make a file of any length)."""
    days: dict[date, list[State | None]] = {}
    for activity in activities:
        start = _minute(activity.start)
        end = _minute(min(activity.end or as_of, as_of))
        state = MAPPING[activity.type]
        moment = start
        while moment < end:
            minutes = days.setdefault(moment.date(), [None] * MINUTES_PER_DAY)
            minutes[moment.hour * 60 + moment.minute] = state
            moment += timedelta(minutes=1)
    return dict(sorted(days.items()))


def change_words(minutes: list[State | None]) -> list[int]:
    """The day's ActivityChangeInfo words (Appendix 1, bits 'scpaattttttttttt'): one at
    00:00 and one at each minute the state changes."""
    words: list[int] = []
    previous: State | str | None = "start"
    for minute, state in enumerate(minutes):
        if state == previous:
            continue
        previous = state
        if state is None:  # p = 1 card not inserted, c = 0 activity unknown
            words.append(1 << 13 | minute)
        else:  # p = 0 inserted, c = 1 crew for the co-driver slot, 0 single for the driver
            crew = 1 if state.slot is Slot.CO_DRIVER else 0
            words.append(state.slot << 15 | crew << 14 | state.activity << 11 | minute)
    return words
