"""Dates and times as agents type them: "06/12/2026", "14:30" or "14h30", "06/12/2026 14:30".

The pages use text fields with a French hint rather than the browser's date and time pickers,
which speak the tablet's language ("mm/dd/yyyy", AM/PM). ISO forms ("2026-12-06",
"2026-12-06T14:30") are still read: the API, saved drafts and old outbox items use them.
Each parser raises ValueError carrying the French message the field shows.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

DAY_HINT = "Format attendu : JJ/MM/AAAA"
CLOCK_HINT = "Format attendu : HH:MM (de 00:00 à 23:59)"
MOMENT_HINT = "Format attendu : JJ/MM/AAAA HH:MM"

_DAY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_CLOCK = re.compile(r"^\s*(\d{1,2})\s*[:hH]\s*(\d{2})?\s*$")
_MOMENT = re.compile(r"^\s*(\S+)\s+(?:à\s+)?(.+?)\s*$")


def parse_day(text: str) -> date:
    """A calendar day, French order (JJ/MM/AAAA) or ISO."""
    found = _DAY.match(text)
    try:
        if found:
            day, month, year = (int(part) for part in found.groups())
            return date(year, month, day)
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"Date invalide. {DAY_HINT}.") from None


def parse_clock(text: str) -> time:
    """A time of day on the 24-hour clock: 14:30, 14h30, 14h, or ISO."""
    found = _CLOCK.match(text)
    try:
        if found:
            hour, minute = int(found.group(1)), int(found.group(2) or 0)
            return time(hour, minute)
        return time.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"Heure invalide. {CLOCK_HINT}.") from None


def parse_moment(text: str) -> datetime:
    """A day and a time ("06/12/2026 14:30", "06/12/2026 à 14h30") or ISO, naive."""
    found = _MOMENT.match(text)
    try:
        if found and _DAY.match(found.group(1)):
            return datetime.combine(parse_day(found.group(1)), parse_clock(found.group(2)))
        return datetime.fromisoformat(text.strip()).replace(tzinfo=None)
    except ValueError:
        raise ValueError(f"Date et heure invalides. {MOMENT_HINT}.") from None


def day_text(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def clock_text(value: time) -> str:
    return value.strftime("%H:%M")


def moment_text(value: datetime) -> str:
    return value.strftime("%d/%m/%Y %H:%M")
