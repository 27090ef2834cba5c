"""Recording a control and finding it again."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from control.paper.schedule import analyze_schedule, by_rule
from control.paper.schedule_check import STATED_LABELS, compare
from control.paper.transcription import analyze_sheets, parties
from control.record.json_form import record_from_json, record_to_json
from control.rules.french import WEEKDAYS
from control.storage.audit import record as record_access
from control.storage.bulletins import for_control
from control.storage.controls import (
    KIND_LABELS,
    ControlKind,
    KeptFinding,
    NewControl,
    list_controls,
    save_control,
)
from control.storage.photos import MAX_PHOTOS, list_photos
from control.storage.schedules import get_schedule
from control.storage.sheets import list_sheets
from control.storage.users import Role, User
from web.access import visible_control
from web.context import AppContext
from web.forms import FormError, parse_control_form
from web.params import ObjectId
from web.presenters import day_rows
from web.rendering import render
from web.security import Agent, AnyUser, Csrf
from web.verification import InputError, check_code

router = APIRouter()
LIST_FIELDS = ("manual_natinf", "retained")


async def form_data(request: Request) -> dict[str, Any]:
    form = await request.form()
    data: dict[str, Any] = {key: form.get(key) for key in form if key not in LIST_FIELDS}
    for key in LIST_FIELDS:
        data[key] = [v for v in form.getlist(key) if isinstance(v, str)]
    data["passengers"] = form.get("passengers") == "on"
    data.pop("csrf", None)
    return data


MAX_OFFLINE = timedelta(hours=72)  # how long a tablet may keep a control before syncing it


def build_control(
    user: User, data: dict[str, Any], context: AppContext, *, offline: bool = False
) -> NewControl:
    """`offline`: a control recorded on the tablet without network and synced now; its code
    is verified as of the control's moment when that lies in the last 72 hours."""
    form = parse_control_form(data)
    values: dict[str, Any] = {
        "agent_id": user.id,
        "kind": form.kind,
        "occurred_at": form.occurred_at,
        "departement": form.departement,
        "commune": form.commune,
        "place": form.place,
        "plate": form.plate,
        "notes": form.notes,
        "driver_name": form.driver_name,
        "employer_siren": form.employer_siren,
        "employer_name": form.employer_name,
        "manual_natinf": tuple(form.manual_natinf),
    }
    if form.kind is ControlKind.ELECTRONIC:
        now = context.now()
        at = form.occurred_at if offline and now - MAX_OFFLINE <= form.occurred_at <= now else None
        checked = check_code(form.code, context, at)  # the server checks again what it keeps
        result = checked.result
        values.update(
            verdict=result.verdict.value,
            issuer=result.issuer,
            kid=result.kid,
            cti=result.cti.hex() if result.cti else None,
            code_iat=result.iat,
        )
        if result.record is not None:
            record = result.record
            employer = record.employers[0]
            values.update(
                driver_name=f"{record.driver.given_name} {record.driver.family_name}",
                driver_id=record.driver.id,
                employer_siren=employer.siren,
                employer_name=employer.name,
                record=record_to_json(record),
            )
        if checked.analysis is not None:
            kept = set(form.retained)
            values["findings"] = tuple(
                KeptFinding(
                    f.natinf or "",
                    f.rule.id,
                    tuple(d.isoformat() for d in f.dates),
                    f.explanation,
                    i in kept,
                )
                for i, f in enumerate(checked.analysis.findings)
            )
    return NewControl(**values)


@router.get("/controles/nouveau")
def new_control_page(request: Request, user: Agent, type: str = "paper") -> Response:
    kinds = {"none": ControlKind.NONE, "schedule": ControlKind.SCHEDULE}
    kind = kinds.get(type, ControlKind.PAPER)
    return render(request, "control_form.html", kind=kind, kind_labels=KIND_LABELS, values={})


@router.post("/controles", dependencies=[Csrf])
async def create_control(request: Request, user: Agent) -> Response:
    context: AppContext = request.app.state.context
    data = await form_data(request)
    try:
        new = build_control(user, data, context)
    except FormError as problem:
        kind = str(data.get("kind"))
        return render(
            request,
            "control_form.html",
            status_code=422,
            kind=ControlKind(kind) if kind in ControlKind._value2member_map_ else ControlKind.PAPER,
            kind_labels=KIND_LABELS,
            errors=problem.errors,
            values=data,
        )
    except InputError as problem:
        return render(
            request,
            "control_form.html",
            status_code=422,
            kind=ControlKind.ELECTRONIC,
            kind_labels=KIND_LABELS,
            errors={"code": str(problem)},
            values=data,
        )
    control_id = save_control(context.engine, new)
    return RedirectResponse(f"/controles/{control_id}", status_code=303)


@router.get("/controles")
def controls_page(request: Request, user: AnyUser) -> Response:
    engine = request.app.state.context.engine
    mine = None if user.role in (Role.ADMIN, Role.INSPECTOR) else user.id
    return render(
        request,
        "controls.html",
        "list",
        controls=list_controls(engine, mine),
        kind_labels=KIND_LABELS,
    )


@router.get("/controles/{control_id}")
def control_page(request: Request, control_id: ObjectId, user: AnyUser) -> Response:
    context: AppContext = request.app.state.context
    control = visible_control(request, control_id, user)
    record_access(context.engine, user.id, "open-control", f"controle {control_id}")
    days = []
    if control.record is not None:
        record = record_from_json(control.record)
        days = day_rows(record, None, control.code_iat or datetime.now(control.occurred_at.tzinfo))
    sheets = list_sheets(context.engine, control_id) if control.kind is ControlKind.PAPER else []
    paper = None
    if sheets:
        driver, employer = parties(
            control.driver_name, control.employer_siren, control.employer_name, sheets[-1].sector
        )
        paper = analyze_sheets([s.sheet for s in sheets], driver, employer, control.occurred_at)
        days = day_rows(paper.record, paper.analysis, control.occurred_at)
    schedule = plan = comparison = None
    if control.kind is ControlKind.SCHEDULE:
        schedule = get_schedule(context.engine, control_id)
    if schedule is not None:
        driver, employer = parties(
            schedule.schedule.employee_name,
            schedule.schedule.employer_siren,
            schedule.schedule.employer_name,
            schedule.sector,
        )
        comparison = compare(schedule.schedule, control.occurred_at, schedule.stated)
        plan = analyze_schedule(schedule.schedule, driver, employer, control.occurred_at)
        days = day_rows(plan.record, plan.analysis, control.occurred_at, planned=True)
    return render(
        request,
        "control.html",
        control=control,
        kind_labels=KIND_LABELS,
        days=days,
        bulletins=for_control(context.engine, control_id),
        photos=list_photos(context.engine, control_id),
        sheets=sheets,
        paper=paper,
        schedule=schedule,
        comparison=comparison,
        plan=by_rule(plan.analysis) if plan is not None else [],
        stated_labels=STATED_LABELS,
        weekdays=WEEKDAYS,
        problems=[],
        max_photos=MAX_PHOTOS,
    )
