"""Transcription of a paper LIC's daily sheets, beside the photos of its pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from control.paper.json_form import SheetError
from control.paper.sheet import QUARTERS
from control.rules.catalogue import SECTOR_LABELS
from control.rules.timeline import PARIS
from control.storage.audit import about_control
from control.storage.audit import record as record_access
from control.storage.controls import Control, ControlKind
from control.storage.photos import list_photos
from control.storage.sheets import delete_sheet, get_sheet, list_sheets, save_sheet
from control.typed_time import day_text
from web.access import editable_control
from web.context import AppContext
from web.forms import FormError
from web.params import ObjectId
from web.rendering import render
from web.security import Agent, Csrf
from web.sheet_form import MARK_LABELS, parse_sheet_form, sheet_values

router = APIRouter()
# the sheet's own fields, and three per typed period (a day has at most 96 quarters)
MAX_FORM_FIELDS = 40 + 3 * QUARTERS
ROWS = ("periode_debut", "periode_fin", "periode_activite")


def paper_control(request: Request, control_id: int, user: Any) -> Control:
    """A paper control whose sheets this user may transcribe: its agent's, or an admin."""
    return editable_control(
        request,
        control_id,
        user,
        ControlKind.PAPER,
        "Ce contrôle n'a pas de livret papier à transcrire.",
    )


def sheet_page(
    request: Request,
    control: Control,
    values: dict[str, Any],
    errors: dict[str, str],
    sheet_id: int | None = None,
    status_code: int = 200,
) -> Response:
    engine = request.app.state.context.engine
    photos = list_photos(engine, control.id)
    photo = next((p for p in photos if str(p.id) == str(values.get("photo_id"))), None)
    return render(
        request,
        "sheet_form.html",
        "feuille",
        status_code=status_code,
        control=control,
        photo=photo,
        values=values,
        errors=errors,
        sheet_id=sheet_id,
        sectors=SECTOR_LABELS,
        marks=MARK_LABELS,
    )


async def _form(request: Request) -> dict[str, Any]:
    form = await request.form(max_fields=MAX_FORM_FIELDS, max_files=0)
    data: dict[str, Any] = {key: form.get(key) for key in form if key not in ("csrf", *ROWS)}
    data.update({key: [str(value) for value in form.getlist(key)] for key in ROWS})
    data["signed"] = form.get("signed") == "on"
    return data


@router.get("/controles/{control_id}/feuilles/nouvelle")
def new_sheet(
    request: Request, control_id: ObjectId, user: Agent, photo: ObjectId | None = None
) -> Response:
    control = paper_control(request, control_id, user)
    engine = request.app.state.context.engine
    earlier = list_sheets(engine, control_id)
    the_day_before = control.occurred_at.astimezone(PARIS).date() - timedelta(days=1)
    values: dict[str, Any] = {
        "day": day_text(the_day_before),
        "sector": earlier[-1].sector.value if earlier else "",
        "photo_id": photo or "",
        "plate": control.plate,
    }
    return sheet_page(request, control, values, {})


@router.post("/controles/{control_id}/feuilles", dependencies=[Csrf])
async def create_sheet(request: Request, control_id: ObjectId, user: Agent) -> Response:
    return await _save(request, paper_control(request, control_id, user), user.id, None)


@router.get("/controles/{control_id}/feuilles/{sheet_id}")
def edit_sheet(request: Request, control_id: ObjectId, sheet_id: ObjectId, user: Agent) -> Response:
    control = paper_control(request, control_id, user)
    stored = get_sheet(request.app.state.context.engine, control_id, sheet_id)
    if stored is None:
        raise HTTPException(404, "Feuille introuvable.")
    values = sheet_values(stored.sheet, stored.sector, stored.photo_id)
    return sheet_page(request, control, values, {}, sheet_id)


@router.post("/controles/{control_id}/feuilles/{sheet_id}", dependencies=[Csrf])
async def update_sheet(
    request: Request, control_id: ObjectId, sheet_id: ObjectId, user: Agent
) -> Response:
    control = paper_control(request, control_id, user)
    if get_sheet(request.app.state.context.engine, control_id, sheet_id) is None:
        raise HTTPException(404, "Feuille introuvable.")
    return await _save(request, control, user.id, sheet_id)


@router.post("/controles/{control_id}/feuilles/{sheet_id}/supprimer", dependencies=[Csrf])
def remove_sheet(
    request: Request, control_id: ObjectId, sheet_id: ObjectId, user: Agent
) -> Response:
    """Soft: hidden everywhere and audited; the day may be transcribed again."""
    paper_control(request, control_id, user)
    engine = request.app.state.context.engine
    if delete_sheet(engine, control_id, sheet_id, user.id):
        record_access(
            engine, user.id, "delete-sheet", about_control(control_id, f"feuille {sheet_id}")
        )
    return RedirectResponse(f"/controles/{control_id}#feuilles", status_code=303)


async def _save(
    request: Request, control: Control, agent_id: int, sheet_id: int | None
) -> Response:
    """Keep the sheet and go back to the control; a refused form comes back with its values
    and the reasons, nothing lost."""
    context: AppContext = request.app.state.context
    data = await _form(request)
    try:
        sheet, form = parse_sheet_form(data)
        photo_ids = {p.id for p in list_photos(context.engine, control.id)}
        photo_id = form.photo_id if form.photo_id in photo_ids else None
        save_sheet(context.engine, control.id, sheet, agent_id, photo_id, sheet_id, form.sector)
    except FormError as error:
        return sheet_page(request, control, data, error.errors, sheet_id, 422)
    except SheetError as error:
        return sheet_page(request, control, data, {"day": str(error)}, sheet_id, 422)
    return RedirectResponse(f"/controles/{control.id}#feuilles", status_code=303)
