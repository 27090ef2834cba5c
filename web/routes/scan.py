"""Scanning a driver's code and showing the verdict, the 28 days and the breaches."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response

from control.bulletins.model import HAND_OVER_LABELS
from control.capture.decode import decode_image
from control.capture.errors import CaptureError
from control.rules.french import ACTIVITY_LABELS, VERSION_LABELS
from control.rules.table import rule_table
from control.storage.controls import controls_with_mobilic_code
from control.verify.mobilic import read_mobilic
from control.verify.wording import MOBILIC, VERDICTS, WARNINGS
from web.access import START_PAGES
from web.context import AppContext
from web.presenters import FLAG_LABELS, mobilic_context, verdict_context
from web.rendering import render
from web.security import Agent, Csrf, current_user
from web.uploads import read_upload
from web.verification import InputError, check_code, code_from_photo

router = APIRouter()


@router.get("/")
def home(request: Request) -> Response:
    """Each role's own start page: the one place sign-in, the app's icon and "Revenir à
    l'accueil" lead to."""
    user = current_user(request)
    return RedirectResponse(START_PAGES[user.role] if user else "/connexion", status_code=303)


@router.get("/scan")
def scan_page(request: Request, user: Agent) -> Response:
    return render(request, "scan.html")


@router.get("/libelles-hors-ligne.json")
def offline_wording() -> dict[str, Any]:
    """The French wording of the verdicts, warnings and findings, for the tablet's own
    verifier and analysis when there is no network (web/static/offline-scan.js); public,
    like the spec it words."""
    return {
        "verdicts": {verdict.value: list(text) for verdict, text in VERDICTS.items()},
        "warnings": {warning.value: text for warning, text in WARNINGS.items()},
        "versions": VERSION_LABELS,
        "flags": FLAG_LABELS,
        "hand_over": {mode.value: label for mode, label in HAND_OVER_LABELS.items()},
        "activities": {kind.value: label for kind, label in ACTIVITY_LABELS.items()},
        "mobilic": MOBILIC,
    }


@router.get("/regles.json")
def rules_table() -> dict[str, Any]:
    """The rules' limits, NATINF and wording, for the tablet's own analysis without network
    (web/static/rules/); public, like the texts they come from."""
    return rule_table()


@router.post("/verifier", dependencies=[Csrf])
async def verify_page(
    request: Request,
    user: Agent,
    code: Annotated[str, Form(max_length=20_000)] = "",
    photo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    context: AppContext = request.app.state.context
    try:
        if photo is not None and photo.filename:
            data = await read_upload(photo, context.settings.max_upload_bytes)
            code = await context.pool.run(code_from_photo, data, context)
        if (mobilic := read_mobilic(code)) is not None:
            seen = controls_with_mobilic_code(context.engine, mobilic.generated_at)
            shown = mobilic_context(mobilic, context.now(), seen)
            return render(request, "mobilic.html", "result", **shown)
        checked = check_code(code, context)
    except InputError as problem:
        return render(request, "scan.html", "result", status_code=422, problem=str(problem))
    return render(request, "verdict.html", "result", **verdict_context(checked))


@router.post("/api/decode", dependencies=[Csrf])
async def decode_frame(
    request: Request, user: Agent, frame: Annotated[UploadFile, File()]
) -> Response:
    """A camera frame → the QR texts in it (the scan page calls this a few times a second)."""
    context: AppContext = request.app.state.context
    try:
        data = await read_upload(frame, context.settings.max_upload_bytes)
        decoded = await context.pool.run(
            decode_image, data, lic_only=True, limits=context.frame_limits
        )
    except InputError as problem:
        return JSONResponse({"error": str(problem)}, status_code=413)
    except CaptureError as error:
        return JSONResponse({"error": type(error).message_fr}, status_code=422)
    mobilic = read_mobilic(decoded.mobilic.text) if decoded.mobilic else None
    return JSONResponse(
        {
            "codes": decoded.texts,
            "lic": decoded.lic.text if decoded.lic else None,
            "mobilic": mobilic.url if mobilic else None,  # rebuilt, never the text as read
        }
    )
