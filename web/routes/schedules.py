"""The service schedule of a control of that type: recorded, corrected, compared."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from control.paper.schedule_check import STATED_LABELS
from control.rules.catalogue import SECTOR_LABELS
from control.rules.french import WEEKDAYS
from control.storage.controls import Control, ControlKind
from control.storage.photos import list_photos
from control.storage.schedules import get_schedule, save_schedule
from web.access import visible_control
from web.context import AppContext
from web.forms import FormError
from web.params import ObjectId
from web.rendering import render
from web.schedule_form import parse_schedule_form, schedule_values
from web.security import Agent, Csrf

router = APIRouter()
MAX_FORM_FIELDS = 40


def schedule_control(request: Request, control_id: int, user: Any) -> Control:
    return visible_control(
        request,
        control_id,
        user,
        ControlKind.SCHEDULE,
        "Ce contrôle ne porte pas sur un horaire de service.",
    )


def schedule_page(
    request: Request,
    control: Control,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "schedule_form.html",
        "horaire",
        status_code=status_code,
        control=control,
        photos=list_photos(request.app.state.context.engine, control.id),
        values=values,
        errors=errors,
        sectors=SECTOR_LABELS,
        activities=STATED_LABELS,
        weekdays=WEEKDAYS,
    )


@router.get("/controles/{control_id}/horaire")
def schedule_form(request: Request, control_id: ObjectId, user: Agent) -> Response:
    control = schedule_control(request, control_id, user)
    stored = get_schedule(request.app.state.context.engine, control_id)
    if stored is not None:
        values = schedule_values(stored.schedule, stored.stated, stored.sector)
    else:
        values = {
            "employer_name": control.employer_name,
            "employer_siren": control.employer_siren,
            "employee_name": control.driver_name,
        }
    return schedule_page(request, control, values, {})


@router.post("/controles/{control_id}/horaire", dependencies=[Csrf])
async def record_schedule(request: Request, control_id: ObjectId, user: Agent) -> Response:
    """Keep the schedule and go back to the control; a refused form comes back with its
    values and the reasons, nothing lost."""
    control = schedule_control(request, control_id, user)
    context: AppContext = request.app.state.context
    form = await request.form(max_fields=MAX_FORM_FIELDS, max_files=0)
    data: dict[str, Any] = {key: form.get(key) for key in form if key != "csrf"}
    try:
        schedule, stated, sector = parse_schedule_form(data)
    except FormError as error:
        return schedule_page(request, control, data, error.errors, 422)
    save_schedule(context.engine, control.id, schedule, stated, user.id, sector)
    return RedirectResponse(f"/controles/{control.id}#horaire", status_code=303)
