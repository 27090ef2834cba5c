"""Issuing a bulletin in three steps, correcting it, handing it over and checking one."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from typing import Annotated, Any

import segno
from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from control.bulletins.model import (
    HAND_OVER_LABELS,
    TRANSPORT_LABELS,
    Bulletin,
    BulletinError,
)
from control.bulletins.signing import SignedFields, check_code
from control.bulletins.verify import check_pdf_in_process
from control.bulletins.wording import bulletin_rows, code_rows
from control.services.bulletins import (
    STEPS,
    bounded,
    correction_draft,
    issue_draft,
    prefill,
    step_errors,
)
from control.services.findings import ControlFinding, control_findings, kept_keys
from control.storage.audit import record as record_access
from control.storage.bulletins import (
    StoredBulletin,
    by_token,
    for_control,
    get_bulletin,
    latest_version,
    load_draft,
    save_draft,
)
from control.storage.controls import Control
from control.storage.photos import list_photos
from control.storage.users import User
from web.access import visible_control
from web.context import AppContext
from web.params import ObjectId
from web.rendering import render
from web.security import Agent, AnyUser, Csrf
from web.uploads import read_upload
from web.verification import InputError

router = APIRouter()


def _step_page(
    request: Request,
    control: Control,
    step: int,
    draft: dict[str, Any],
    findings: list[ControlFinding],
    errors: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "bulletin_step.html",
        "step",
        status_code=422 if errors else 200,
        control=control,
        step=step,
        steps=STEPS,
        draft=draft,
        errors=errors or {},
        transport_labels=TRANSPORT_LABELS,
        hand_over_labels=HAND_OVER_LABELS,
        photo_count=len(list_photos(request.app.state.context.engine, control.id)),
        findings=findings,
        kept=kept_keys([str(k) for k in draft.get("kept", [])]),
        issue_key=secrets.token_urlsafe(16) if step == 3 else "",
    )


def _superseded(context: AppContext, signed: Bulletin | SignedFields | None) -> int | None:
    """The later version issued since, if any: a genuine bulletin may have been corrected."""
    if signed is None:
        return None
    latest = latest_version(context.engine, signed.number)
    return latest if latest is not None and latest > signed.version else None


ISSUE_KEY = re.compile(r"[A-Za-z0-9_-]{16,40}")


def _issue_key(form: FormData) -> str | None:
    """The key the last step's page was rendered with: a second click on "Émettre le
    bulletin" (or a reload that sends the form again) finds the bulletin the first issued,
    instead of issuing another."""
    key = form.get("cle_emission")
    return f"formulaire-{key}" if isinstance(key, str) and ISSUE_KEY.fullmatch(key) else None


@router.get("/controles/{control_id}/bulletin")
def bulletin_step(request: Request, control_id: ObjectId, user: Agent, etape: int = 1) -> Response:
    control = visible_control(request, control_id, user)
    engine = request.app.state.context.engine
    findings = control_findings(engine, control)
    draft = load_draft(engine, control_id) or prefill(control, findings)
    return _step_page(request, control, etape if etape in STEPS else 1, draft, findings)


@router.post("/controles/{control_id}/bulletin", dependencies=[Csrf])
async def save_step(
    request: Request, control_id: ObjectId, user: Agent, etape: int = 1
) -> Response:
    context: AppContext = request.app.state.context
    control = visible_control(request, control_id, user)
    step = etape if etape in STEPS else 1
    form = await request.form()
    findings = control_findings(context.engine, control)
    draft = load_draft(context.engine, control_id) or prefill(control, findings)
    known = {f.key for f in findings}
    for name in STEPS[step][1]:
        if name == "kept":  # only this control's findings: a forged key is dropped, not kept
            sent = kept_keys([v for v in form.getlist(name) if isinstance(v, str)])
            draft[name] = sorted(sent & known)
        else:
            value = form.get(name, "")
            draft[name] = value if isinstance(value, str) else ""
    if too_long := bounded(step, {k: v for k, v in draft.items() if k != "kept"}):
        return _step_page(request, control, step, draft, findings, too_long)  # not stored
    errors = step_errors(step, draft)
    save_draft(context.engine, control_id, draft)  # kept even with errors: nothing typed is lost
    if form.get("aller") == "precedente" and step > 1:  # back: what was typed stays in the draft
        return RedirectResponse(f"/controles/{control_id}/bulletin?etape={step - 1}", 303)
    if errors:
        return _step_page(request, control, step, draft, findings, errors)
    if step < 3:
        return RedirectResponse(f"/controles/{control_id}/bulletin?etape={step + 1}", 303)
    for earlier in range(1, step):  # a step left with errors (by "Étape précédente") is shown
        if earlier_errors := step_errors(earlier, draft):
            return _step_page(request, control, earlier, draft, findings, earlier_errors)
    previous = None
    if draft.get("corrects"):
        previous = get_bulletin(context.engine, int(draft["corrects"]))
    try:
        stored, _ = await context.pool.run(
            issue_for, request, control, user, draft, findings, previous, _issue_key(form)
        )
    except BulletinError as error:
        return _step_page(request, control, step, draft, findings, error.errors)
    except ValueError:
        problem = {"form": "Champs invalides : reprenez."}
        return _step_page(request, control, 1, draft, findings, problem)
    target = f"/bulletins/{stored.id}"
    if request.headers.get("HX-Request"):  # leave the form: a whole new page
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def issue_for(
    request: Request,
    control: Control,
    user: User,
    draft: dict[str, Any],
    findings: list[ControlFinding],
    previous: StoredBulletin | None = None,
    idempotency_key: str | None = None,
) -> tuple[StoredBulletin, bool]:
    """The service's issue with this app's storage and key, the check address as this request
    reaches the app (unless a public one is set): the form and the tablet's sync call it.
    With whether this call issued it (False: a replay under `idempotency_key`)."""
    context: AppContext = request.app.state.context
    return issue_draft(
        context.engine,
        context.files,
        context.bulletin_key,
        control,
        user,
        draft,
        findings,
        identity=context.pdf_identity,
        verify_url=context.verify_url(str(request.base_url)),
        previous=previous,
        idempotency_key=idempotency_key,
    )


def _visible(request: Request, bulletin_id: int, user: User) -> StoredBulletin:
    stored = get_bulletin(request.app.state.context.engine, bulletin_id)
    if stored is None:
        raise HTTPException(404, "Bulletin introuvable.")
    visible_control(request, stored.control_id, user)
    return stored


@router.get("/bulletins/{bulletin_id}")
def bulletin_page(request: Request, bulletin_id: ObjectId, user: AnyUser) -> Response:
    stored = _visible(request, bulletin_id, user)
    engine = request.app.state.context.engine
    record_access(engine, user.id, "open-bulletin", stored.bulletin.number)
    history = for_control(engine, stored.control_id)
    link = str(request.url_for("driver_copy", token=stored.driver_token))
    return render(
        request,
        "bulletin.html",
        stored=stored,
        control=visible_control(request, stored.control_id, user),  # for the breadcrumb
        history=[b for b in history if b.bulletin.number == stored.bulletin.number],
        driver_link=link,
        driver_qr=segno.make_qr(link, error="m").svg_data_uri(scale=4, border=2),
    )


@router.get("/bulletins/{bulletin_id}/pdf")
def bulletin_pdf(request: Request, bulletin_id: ObjectId, user: AnyUser) -> Response:
    stored = _visible(request, bulletin_id, user)
    record_access(
        request.app.state.context.engine, user.id, "download-bulletin", stored.bulletin.number
    )
    name = f"bulletin-{stored.bulletin.number}-v{stored.bulletin.version}.pdf"
    return FileResponse(stored.pdf_path, media_type="application/pdf", filename=name)


@router.post("/bulletins/{bulletin_id}/corriger", dependencies=[Csrf])
def correct(request: Request, bulletin_id: ObjectId, user: Agent) -> Response:
    """Start version n+1 from version n: the form is prefilled with what was issued."""
    stored = _visible(request, bulletin_id, user)
    versions = [
        b
        for b in for_control(request.app.state.context.engine, stored.control_id)
        if b.bulletin.number == stored.bulletin.number
    ]
    latest = versions[-1]  # a correction always follows the newest version of this number
    control = visible_control(request, stored.control_id, user)
    findings = control_findings(request.app.state.context.engine, control)
    draft = correction_draft(control, findings, latest)
    save_draft(request.app.state.context.engine, stored.control_id, draft)
    return RedirectResponse(f"/controles/{stored.control_id}/bulletin?etape=1", 303)


@router.get("/b/{token}", name="driver_copy")
def driver_copy(request: Request, token: str) -> Response:
    """The driver's copy: a private link, valid 30 days, no account needed."""
    stored = by_token(request.app.state.context.engine, token, datetime.now(UTC))
    if stored is None:
        raise HTTPException(404, "Lien expiré ou inconnu : demandez le bulletin à l'agent.")
    # no account: the row says which bulletin the link gave, not who (nor any address)
    record_access(request.app.state.context.engine, None, "driver-download", stored.bulletin.number)
    name = f"bulletin-{stored.bulletin.number}-v{stored.bulletin.version}.pdf"
    return FileResponse(stored.pdf_path, media_type="application/pdf", filename=name)


@router.get("/verifier-bulletin")
def verify_bulletin_page(request: Request) -> Response:
    from web.security import csrf_token

    csrf_token(request)
    return render(request, "bulletin_verify.html", "result")


@router.post("/verifier-bulletin", dependencies=[Csrf])
async def verify_bulletin(
    request: Request,
    code: Annotated[str, Form(max_length=5000)] = "",
    pdf: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """A PDF is checked by its signature (every signed field shown); a code from a paper
    sheet shows the fields it carries, for the person to compare with the sheet."""
    context: AppContext = request.app.state.context
    try:
        if pdf is not None and pdf.filename:
            limit = context.settings.max_upload_bytes
            data = await read_upload(pdf, limit)
            if not data.startswith(b"%PDF"):
                raise InputError("Ce fichier n'est pas un PDF.")
            # anyone's PDF, in the public pool's own process: never the agents' threads
            roots = [root.dump() for root in context.pdf_roots]
            checked = await context.public_pool.run(check_pdf_in_process, data, roots, limit)
            return render(
                request,
                "bulletin_verify.html",
                "result",
                kind="pdf",
                valid=checked.valid,
                reason=checked.reason,
                signer=checked.signer,
                signed_at=checked.signed_at,
                rows=bulletin_rows(checked.bulletin) if checked.bulletin else [],
                superseded=_superseded(context, checked.bulletin),
            )
        if code.strip():
            result = check_code(code.strip(), [context.bulletin_key.public])
            return render(
                request,
                "bulletin_verify.html",
                "result",
                kind="code",
                valid=result.valid,
                reason=result.reason,
                rows=code_rows(result.fields) if result.fields else [],
                superseded=_superseded(context, result.fields),
            )
        raise InputError("Envoyez le PDF du bulletin ou collez son code.")
    except InputError as error:
        return render(
            request, "bulletin_verify.html", "result", status_code=422, problem=str(error)
        )
