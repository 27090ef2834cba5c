"""The moment of a control against the driver's service schedule.

The agent notes what the driver was doing when stopped; working outside the service the
schedule plans, on a day it plans none, or during a planned break is what the controller
looks for. The result suggests findings: the agent confirms them, since a schedule may have
been changed for the day (a replacement, a delay) and the driver may show why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from control.paper.schedule import PARIS, ServiceSchedule
from control.rules.french import WEEKDAYS

LEGAL = ("Arrêté du 6 mars 2025, annexe I (horaire de service)",)


class StatedActivity(StrEnum):
    """What the driver was doing at the control, as the agent saw or was told."""

    DRIVING = "driving"
    WORK = "work"
    AVAILABILITY = "availability"
    REST = "rest"


STATED_LABELS = {
    StatedActivity.DRIVING: "conduite",
    StatedActivity.WORK: "autre travail",
    StatedActivity.AVAILABILITY: "disponibilité",
    StatedActivity.REST: "pause ou repos",
}


class Situation(StrEnum):
    IN_SERVICE = "in-service"
    IN_BREAK = "in-break"
    OUTSIDE_HOURS = "outside-hours"  # the day has a service, the moment is not in it
    DAY_OFF = "day-off"  # no service planned that day


@dataclass(frozen=True)
class Suggestion:
    """A finding the comparison suggests; its NATINF is the agent's choice."""

    rule: str
    title: str
    explanation: str
    legal: tuple[str, ...] = LEGAL


@dataclass(frozen=True)
class ScheduleComparison:
    at: datetime  # the moment of the control, Paris time
    stated: StatedActivity
    situation: Situation
    service_day: date | None  # the day whose service covers the moment, if one does
    summary: str  # one French sentence for the control page
    suggestions: tuple[Suggestion, ...]


def compare(schedule: ServiceSchedule, at: datetime, stated: StatedActivity) -> ScheduleComparison:
    """Where `at` falls in the schedule, and what that suggests given `stated`."""
    local = at.astimezone(PARIS)
    when = f"le {local:%d/%m/%Y} à {local:%H:%M}"
    doing = STATED_LABELS[stated]
    working = stated is not StatedActivity.REST
    number = f"n° {schedule.number}" if schedule.number else "présenté"
    # A night service that began the day before may still be running.
    for day in (local.date(), local.date() - timedelta(days=1)):
        bounds = schedule.service_bounds(day)
        if bounds is None or not bounds[0] <= local < bounds[1]:
            continue
        service = f"le service du {WEEKDAYS[day.weekday()]} {bounds[0]:%H:%M}–{bounds[1]:%H:%M}"
        for pause_start, pause_end in schedule.breaks_on(day):
            if pause_start <= local < pause_end:
                pause = f"la pause prévue de {pause_start:%H:%M} à {pause_end:%H:%M}"
                summary = f"Contrôle {when} pendant {pause} ({service}) ; activité : {doing}."
                suggestions: tuple[Suggestion, ...] = ()
                if working:
                    suggestions = (
                        Suggestion(
                            "schedule-during-break",
                            "Activité pendant une pause prévue à l'horaire de service",
                            f"Contrôlé {when} en {doing} pendant {pause} par l'horaire {number}.",
                        ),
                    )
                return ScheduleComparison(
                    local, stated, Situation.IN_BREAK, day, summary, suggestions
                )
        summary = f"Contrôle {when} pendant {service} ; activité : {doing}."
        return ScheduleComparison(local, stated, Situation.IN_SERVICE, day, summary, ())
    weekday = WEEKDAYS[local.weekday()]
    today = schedule.service_bounds(local.date())
    if today is None:
        summary = f"Contrôle {when} : l'horaire ne prévoit aucun service le {weekday}."
        situation = Situation.DAY_OFF
        suggestion = Suggestion(
            "schedule-day-off",
            "Activité un jour sans service prévu à l'horaire de service",
            f"Contrôlé {when} en {doing}, alors que l'horaire {number} ne prévoit aucun "
            f"service le {weekday}.",
        )
    else:
        hours = f"{today[0]:%H:%M}–{today[1]:%H:%M}"
        summary = f"Contrôle {when}, hors du service prévu le {weekday} ({hours})."
        situation = Situation.OUTSIDE_HOURS
        suggestion = Suggestion(
            "schedule-outside-hours",
            "Activité hors des heures de service prévues à l'horaire de service",
            f"Contrôlé {when} en {doing}, alors que l'horaire {number} prévoit le service "
            f"du {weekday} de {today[0]:%H:%M} à {today[1]:%H:%M}.",
        )
    summary += f" Activité : {doing}."
    return ScheduleComparison(
        local, stated, situation, None, summary, (suggestion,) if working else ()
    )
