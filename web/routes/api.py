"""The JSON API: the same actions as the screens, for other tools (documented at /docs).

It uses the same session as the screens; state-changing calls carry the session's CSRF token
in an `X-CSRF-Token` header.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from control.storage.audit import record as record_access
from control.storage.controls import Control, get_control, list_controls, save_control
from control.storage.users import Role
from control.verify.report import verification_to_json
from web.access import visible_control
from web.context import AppContext
from web.forms import FormError
from web.params import ObjectId
from web.routes.controls import build_control
from web.security import Agent, AnyUser, Csrf
from web.uploads import read_upload
from web.verification import InputError, check_code, code_from_photo

router = APIRouter(prefix="/api", tags=["api"])


class VerifyIn(BaseModel):
    text: str = Field(max_length=20_000, description="The LIC1: text of the code")


class ControlIn(BaseModel):
    kind: str
    occurred_at: str
    departement: str
    commune: str
    place: str = ""
    plate: str = ""
    notes: str = ""
    code: str = ""
    driver_name: str = ""
    employer_siren: str = ""
    employer_name: str = ""
    passengers: bool = False
    manual_natinf: list[str] = []
    retained: list[int] = []


def problem(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


@router.post("/verify", dependencies=[Csrf], summary="Verify a code (JSON text or an image)")
async def api_verify(request: Request, user: Agent) -> Response:
    context: AppContext = request.app.state.context
    try:
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            form = await request.form()
            image = form.get("image")
            if image is None or isinstance(image, str):
                return problem(422, "Champ « image » attendu.")
            data = await read_upload(image, context.settings.max_upload_bytes)  # type: ignore[arg-type]
            text = code_from_photo(data, context)
        else:
            try:
                body = VerifyIn.model_validate(await request.json())
            except ValueError:
                return problem(422, 'Corps JSON attendu : {"text": "LIC1:…"}.')
            text = body.text
        checked = check_code(text, context)
    except InputError as error:
        return problem(422, str(error))
    document = verification_to_json(checked.result)
    document["analysis"] = checked.analysis.to_json() if checked.analysis else None
    document["seen_in_controls"] = checked.seen_in
    return JSONResponse(document)


def control_json(control: Control) -> dict[str, Any]:
    return {
        "id": control.id,
        "kind": control.kind.value,
        "occurred_at": control.occurred_at.isoformat(),
        "departement": control.departement,
        "commune": control.commune,
        "place": control.place,
        "plate": control.plate,
        "notes": control.notes,
        "verdict": control.verdict,
        "issuer": control.issuer,
        "cti": control.cti,
        "driver_name": control.driver_name,
        "employer_siren": control.employer_siren,
        "employer_name": control.employer_name,
        "findings": [f.to_json() for f in control.findings],
        "manual_natinf": list(control.manual_natinf),
        "agent_id": control.agent_id,
    }


@router.get("/controls", summary="Controls the user may see, newest first")
def api_controls(request: Request, user: AnyUser) -> list[dict[str, Any]]:
    engine = request.app.state.context.engine
    mine = None if user.role in (Role.ADMIN, Role.INSPECTOR) else user.id
    return [control_json(c) for c in list_controls(engine, mine)]


@router.post("/controls", dependencies=[Csrf], status_code=201, summary="Record a control")
def api_create_control(request: Request, user: Agent, body: ControlIn) -> Response:
    context: AppContext = request.app.state.context
    try:
        new = build_control(user, body.model_dump(), context)
    except FormError as error:
        return problem(422, "Contrôle invalide.", fields=error.errors)
    except InputError as error:
        return problem(422, str(error))
    control = get_control(context.engine, save_control(context.engine, new))
    assert control is not None
    return JSONResponse(control_json(control), status_code=201)


@router.get("/controls/{control_id}", summary="One control")
def api_control(request: Request, control_id: ObjectId, user: AnyUser) -> dict[str, Any]:
    control = visible_control(request, control_id, user)
    engine = request.app.state.context.engine
    record_access(engine, user.id, "open-control", f"controle {control_id} (api)")
    return control_json(control)
