"""Recording a control and finding it again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from control.paper.schedule import by_rule
from control.paper.schedule_check import STATED_LABELS, compare
from control.record.json_form import record_from_json
from control.rules.french import WEEKDAYS
from control.services.c1b import NOTICE as C1B_NOTICE
from control.services.findings import findings_of, paper_analysis, schedule_plan
from control.services.recording import (
    check_moment,
    judged_at,
    key_problem,
    mobilic_code,
    new_control,
    sent_digest,
)
from control.services.visibility import visible_controls
from control.storage.audit import about_control
from control.storage.audit import record as record_access
from control.storage.bulletins import for_control
from control.storage.controls import (
    KIND_LABELS,
    ControlKind,
    IdempotencyConflictError,
    NewControl,
    controls_with_mobilic_code,
    save_control_once,
)
from control.storage.photos import MAX_PHOTOS, list_photos
from control.storage.schedules import get_schedule
from control.storage.sheets import list_sheets
from control.storage.users import User
from control.verify.mobilic import read_mobilic
from web.access import visible_control
from web.context import AppContext
from web.forms import parse_control_form
from web.params import ObjectId
from web.presenters import Origin, day_rows, mobilic_context, verdict_context
from web.rendering import render
from web.security import Agent, AnyUser, Csrf
from web.verification import InputError, check_code

router = APIRouter()
FORM_KEY_REFUSED = "Formulaire altéré : rechargez la page du contrôle et enregistrez-le à nouveau."
ALREADY_RECORDED = (
    "Ce formulaire a déjà été enregistré comme contrôle n° {number}, avec d'autres choix : "
    "rien de plus n'est enregistré. Ouvrez le contrôle pour voir ce qui est conservé."
)
LIST_FIELDS = ("manual_natinf", "retained", "decided")


async def form_data(request: Request) -> dict[str, Any]:
    """The control form as the schema takes it. The page sends a box per finding, ticked
    (`retained`) or not, and the position of every finding it showed (`decided`): those
    shown and not ticked are discarded; a finding the page did not show has no decision."""
    form = await request.form()
    data: dict[str, Any] = {key: form.get(key) for key in form if key not in LIST_FIELDS}
    for key in LIST_FIELDS:
        data[key] = [v for v in form.getlist(key) if isinstance(v, str)]
    retained = set(data["retained"])
    data["discarded"] = [v for v in data.pop("decided") if v not in retained]
    data["passengers"] = form.get("passengers") == "on"
    data.pop("csrf", None)
    return data


def build_control(
    user: User, data: dict[str, Any], context: AppContext, *, offline: bool = False
) -> NewControl:
    """`offline`: a control recorded on the tablet without network and synced now. Its
    verdict is the server's, now; its code is also verified as of the control's moment when
    that lies in the last 72 hours, and that verdict kept beside, flagged."""
    form = parse_control_form(data)
    check_moment(form.occurred_at, context.now(), context.settings.retention_years)
    checked = tablet = mobilic = None
    if form.kind is ControlKind.ELECTRONIC:  # the server checks again what it keeps
        checked = check_code(form.code, context)
        moment = judged_at(form, context.now(), offline=offline)
        tablet = None if moment is None else check_code(form.code, context, moment)
    if form.kind is ControlKind.MOBILIC:
        mobilic = mobilic_code(form)
    return new_control(user.id, form, checked, tablet, mobilic)


@router.get("/controles/nouveau")
def new_control_page(request: Request, user: Agent, type: str = "paper") -> Response:
    kinds = {"none": ControlKind.NONE, "schedule": ControlKind.SCHEDULE}
    kind = kinds.get(type, ControlKind.PAPER)
    return render(request, "control_form.html", kind=kind, kind_labels=KIND_LABELS, values={})


@router.post("/controles", dependencies=[Csrf])
async def create_control(request: Request, user: Agent) -> Response:
    context: AppContext = request.app.state.context
    data = await form_data(request)
    key = data.pop("cle", None) or None  # the form's own key: sent twice, recorded once
    if key is not None and (not isinstance(key, str) or key_problem(key)):
        return render(request, "error.html", status_code=422, message=FORM_KEY_REFUSED)
    try:
        new = build_control(user, data, context)
    except InputError as problem:
        errors = problem.fields or {"code": problem.message}
        data["cle"] = key  # nothing recorded: the corrected form sends the same key
        if data.get("kind") == ControlKind.ELECTRONIC.value:
            return _verdict_again(request, context, data, errors)
        if data.get("kind") == ControlKind.MOBILIC.value:
            return _mobilic_again(request, context, data, errors)
        kind = str(data.get("kind"))
        return render(
            request,
            "control_form.html",
            status_code=422,
            kind=ControlKind(kind) if kind in ControlKind._value2member_map_ else ControlKind.PAPER,
            kind_labels=KIND_LABELS,
            errors=errors,
            first_error=next(iter(errors), ""),
            values=data,
        )
    try:
        control_id, _ = save_control_once(context.engine, new, key, sent_digest(data))
    except IdempotencyConflictError as conflict:
        known = conflict.control_id
        back = (f"/controles/{known}", f"Ouvrir le contrôle n° {known}")
        message = ALREADY_RECORDED.format(number=known)
        return render(request, "error.html", status_code=409, message=message, back=back)
    return RedirectResponse(f"/controles/{control_id}", status_code=303)


def _verdict_again(
    request: Request, context: AppContext, data: dict[str, Any], errors: dict[str, str]
) -> Response:
    """A refused electronic control comes back as the agent left it: the verdict, the record,
    the findings with the boxes as they were, and every field typed."""
    try:
        checked = check_code(str(data.get("code") or ""), context)
    except InputError as problem:
        return render(request, "scan.html", status_code=422, problem=problem.message)
    return _refused(request, "verdict.html", data, errors, verdict_context(checked))


def _mobilic_again(
    request: Request, context: AppContext, data: dict[str, Any], errors: dict[str, str]
) -> Response:
    """A refused Mobilic control comes back with its banner and every field typed."""
    mobilic = read_mobilic(str(data.get("code") or ""))
    if mobilic is None:
        return render(request, "scan.html", status_code=422, problem=errors.get("code", ""))
    seen = controls_with_mobilic_code(context.engine, mobilic.generated_at)
    return _refused(
        request, "mobilic.html", data, errors, mobilic_context(mobilic, context.now(), seen)
    )


def _refused(
    request: Request,
    template: str,
    data: dict[str, Any],
    errors: dict[str, str],
    shown: dict[str, Any],
) -> Response:
    """The code's page again, with the fields as typed and the first one in error focused."""
    first_error = next(iter(errors), "")
    return render(
        request,
        template,
        status_code=422,
        errors=errors,
        first_error=first_error,
        values=data,
        **shown,
    )


@router.get("/controles")
def controls_page(request: Request, user: AnyUser, page: int = 1) -> Response:
    """Paged: the list says how many controls there are and where the agent is in them."""
    engine = request.app.state.context.engine
    listed = visible_controls(engine, user, min(max(page, 1), 100_000))
    record_access(engine, user.id, "list-controls", f"page {listed.page}")
    return render(request, "controls.html", "list", listed=listed, kind_labels=KIND_LABELS)


@router.get("/controles/{control_id}")
def control_page(request: Request, control_id: ObjectId, user: AnyUser) -> Response:
    context: AppContext = request.app.state.context
    control = visible_control(request, control_id, user)
    record_access(context.engine, user.id, "open-control", about_control(control_id))
    days = []
    if control.record is not None:
        record = record_from_json(control.record)
        days = day_rows(record, None, control.code_iat or datetime.now(control.occurred_at.tzinfo))
    sheets = list_sheets(context.engine, control_id) if control.kind is ControlKind.PAPER else []
    paper = paper_analysis(control, sheets)
    if paper is not None:
        days = day_rows(paper.record, paper.analysis, control.occurred_at, Origin.PAPER)
    schedule = comparison = None
    if control.kind is ControlKind.SCHEDULE:
        schedule = get_schedule(context.engine, control_id)
    plan = schedule_plan(control, schedule)
    if schedule is not None:
        comparison = compare(schedule.schedule, control.occurred_at, schedule.stated)
    if plan is not None:
        days = day_rows(plan.record, plan.analysis, control.occurred_at, Origin.PLAN)
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
        plan_warnings=plan.analysis.warnings if plan is not None else (),
        proposed=[]
        if control.kind is ControlKind.ELECTRONIC
        else findings_of(control, paper, plan),
        stated_labels=STATED_LABELS,
        weekdays=WEEKDAYS,
        problems=[],
        max_photos=MAX_PHOTOS,
        c1b=control.record_authentic(),
        c1b_notice=C1B_NOTICE,
    )
