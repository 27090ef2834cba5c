"""French wording of durations, dates and times for the explanations."""

from __future__ import annotations

from datetime import date, datetime

from control.record.model import ActivityType
from control.rules.timeline import MINUTE, PARIS

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
ACTIVITY_LABELS = {
    ActivityType.DRIVING: "Conduite",
    ActivityType.WORK: "Autre tâche",
    ActivityType.SUPPORT: "Accompagnement",
    ActivityType.AVAILABILITY: "Disponibilité",
    ActivityType.TRANSFER: "Transfert",
    ActivityType.BREAK: "Pause",
}

VERSION_LABELS = {  # which version of the record a finding rests on (Version values)
    "both": "versions conducteur et employeur",
    "driver": "version du conducteur",
    "employer": "version de l'employeur",
}


def duration(seconds: int) -> str:
    """`13 h 20`, `10 h`, `45 min` (whole minutes, rounded down)."""
    minutes = seconds // MINUTE
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def day(value: date) -> str:
    return f"{WEEKDAYS[value.weekday()]} {value.strftime('%d/%m/%Y')}"


def moment(unix: int) -> str:
    local = datetime.fromtimestamp(unix, PARIS)
    return f"{WEEKDAYS[local.weekday()]} {local.strftime('%d/%m')} à {local.strftime('%H h %M')}"


def minutes(seconds: int) -> int:
    return seconds // MINUTE
