"""The service schedule form (annex I), validated at the edge with French messages.

One row per weekday: start and end of service (a blank row is a day without service) and the
breaks typed as "10:00-10:20, 12:30-13:15", which works the same with or without JavaScript.
Times are read as agents type them (control/typed_time.py: 06:00, 6h, 6h30, or ISO).
"""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from pydantic import BaseModel, Field, ValidationError, field_validator

from control.paper.schedule import (
    ScheduledDay,
    ScheduleError,
    ServiceSchedule,
    Span,
    to_json,
)
from control.paper.schedule_check import StatedActivity
from control.record.model import Sector
from control.rules.french import WEEKDAYS
from control.typed_time import parse_clock
from web.forms import TEXT_MAX, FormError, french_errors, optional_siren

BREAK = re.compile(r"^(\d{1,2}\s*[:hH]\s*(?:\d{2})?)\s*(?:-|–|à)\s*(\d{1,2}\s*[:hH]\s*(?:\d{2})?)$")
BREAK_EXAMPLE = "écrivez par exemple « 10:00-10:20, 12:30-13:15 »"
GENERIC = {
    "stated_activity": "Indiquez l'activité du conducteur au moment du contrôle.",
    "sector": "Choisissez l'activité de l'entreprise.",
}


class ScheduleForm(BaseModel):
    number: str = Field(default="", max_length=200)
    employer_name: str = Field(default="", max_length=200)
    employer_siren: str = Field(default="", max_length=20)
    employee_name: str = Field(default="", max_length=200)
    service: str = Field(default="", max_length=200)
    observations: str = Field(default="", max_length=TEXT_MAX)
    stated_activity: StatedActivity
    sector: Sector = Sector.PASSENGERS

    @field_validator("number", "employer_name", "employee_name", "service")
    @classmethod
    def _short_text(cls, value: str) -> str:
        return value.strip()

    @field_validator("observations")
    @classmethod
    def _long_text(cls, value: str) -> str:
        return value.strip()

    @field_validator("employer_siren")
    @classmethod
    def _siren(cls, value: str) -> str:
        return optional_siren(value)


def parse_schedule_form(
    data: dict[str, Any],
) -> tuple[ServiceSchedule, StatedActivity, Sector]:
    """The schedule, the driver's activity at the control and the sector; FormError lists
    every field in error at once, so the agent corrects them in one pass."""
    errors: dict[str, str] = {}
    form: ScheduleForm | None = None
    try:
        form = ScheduleForm.model_validate(data)
    except ValidationError as error:
        errors.update(french_errors(error.errors(), GENERIC))
    lines = []
    for weekday in range(7):
        try:
            line = _line(weekday, data)
        except ScheduleError as error:
            errors[f"jour_{weekday}"] = str(error)
            continue
        if line is not None:
            lines.append(line)
    if not lines and not any(key.startswith("jour_") for key in errors):
        errors["jours"] = "Indiquez au moins un jour de service (heures de début et de fin)."
    if errors or form is None:
        raise FormError(errors)
    schedule = ServiceSchedule(
        number=form.number,
        employer_name=form.employer_name,
        employer_siren=form.employer_siren,
        employee_name=form.employee_name,
        service=form.service,
        observations=form.observations,
        days=tuple(lines),
    )
    return schedule, form.stated_activity, form.sector


def _line(weekday: int, data: dict[str, Any]) -> ScheduledDay | None:
    name = WEEKDAYS[weekday].capitalize()
    start = _clock(data.get(f"start_{weekday}"), name)
    end = _clock(data.get(f"end_{weekday}"), name)
    breaks_text = str(data.get(f"breaks_{weekday}") or "").strip()
    if start is None and end is None:
        if breaks_text:
            raise ScheduleError(f"{name} : des pauses sans heures de service.")
        return None
    if start is None or end is None:
        raise ScheduleError(f"{name} : indiquez le début et la fin du service.")
    if start == end:
        raise ScheduleError(f"{name} : le service commence et finit à la même heure.")
    return ScheduledDay(weekday, Span(start, end), _breaks(breaks_text, name))


def _clock(value: object, name: str) -> time | None:
    text = str(value or "").strip()
    if not text:
        return None
    return _time(text, name)


def _time(text: str, name: str) -> time:
    try:
        return parse_clock(text)
    except ValueError:
        raise ScheduleError(f"{name} : heure invalide « {text[:10]} » (HH:MM).") from None


def _breaks(text: str, name: str) -> tuple[Span, ...]:
    if len(text) > 300:
        raise ScheduleError(f"{name} : trop de pauses.")
    spans = []
    for part in re.split(r"[,;\n]+", text):
        part = part.strip()
        if not part:
            continue
        match = BREAK.match(part)
        if match is None:
            raise ScheduleError(f"{name} : pause « {part[:20]} » illisible ; {BREAK_EXAMPLE}.")
        spans.append(Span(_time(match[1], name), _time(match[2], name)))
    return tuple(spans)


def schedule_values(
    schedule: ServiceSchedule, stated: StatedActivity, sector: Sector
) -> dict[str, str]:
    """A recorded schedule as the form's fields, to correct it."""
    fields = {name: value for name, value in to_json(schedule).items() if name != "days"}
    values = {**fields, "stated_activity": stated.value, "sector": sector.value}
    for line in schedule.days:
        values[f"start_{line.weekday}"] = f"{line.service.start:%H:%M}"
        values[f"end_{line.weekday}"] = f"{line.service.end:%H:%M}"
        values[f"breaks_{line.weekday}"] = ", ".join(pause.label() for pause in line.breaks)
    return values
