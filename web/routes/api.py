"""The JSON API: the same actions as the screens, for other tools (documented at /docs).

It uses the same session as the screens; state-changing calls carry the session's CSRF token
in an `X-CSRF-Token` header.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from control.bulletins.model import BulletinError
from control.services.bulletins import (
    STEPS,
    BulletinFields,
    kept_errors,
    prefill,
    step_errors,
)
from control.services.findings import control_findings
from control.services.recording import key_problem, sent_digest
from control.services.visibility import visible_controls
from control.storage.audit import about_control
from control.storage.audit import record as record_access
from control.storage.bulletins import StoredBulletin, for_control, save_draft
from control.storage.bulletins import by_key as bulletin_by_key
from control.storage.controls import (
    Control,
    IdempotencyConflictError,
    get_control,
    save_control_once,
)
from control.verify.mobilic import read_mobilic
from control.verify.report import verification_to_json
from web.access import visible_control
from web.context import AppContext
from web.declared_agent import SameAgent
from web.forms import ControlForm, FormError
from web.params import ObjectId
from web.routes.bulletins import issue_for
from web.routes.controls import build_control
from web.security import Agent, AnyUser, Csrf
from web.uploads import read_upload
from web.verification import InputError, check_code, code_from_photo

router = APIRouter(prefix="/api", tags=["api"])


class VerifyIn(BaseModel):
    text: str = Field(
        max_length=20_000, description="The LIC1: text of the code, or a Mobilic link"
    )


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
            text = await context.pool.run(code_from_photo, data, context)
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
    document["mobilic"] = mobilic_json(text)
    return JSONResponse(document)


def mobilic_json(text: str) -> dict[str, Any] | None:
    """A Mobilic code's claims, never verified (its HS256 secret is Mobilic's), else None."""
    found = read_mobilic(text)
    if found is None:
        return None
    return {
        "verified": False,
        "url": found.url,
        "generated_at": found.generated_at.isoformat(),
        "expires_at": found.expires_at and found.expires_at.isoformat(),
    }


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
        # synced from a tablet: the verdict as of the control's moment, beside the server's
        "offline_verdict": control.offline_verdict,
        "offline_checked_at": control.offline_checked_at and control.offline_checked_at.isoformat(),
        "issuer": control.issuer,
        "cti": control.cti,
        "driver_name": control.driver_name,
        "employer_siren": control.employer_siren,
        "employer_name": control.employer_name,
        "findings": [f.to_json() for f in control.findings],
        "manual_natinf": list(control.manual_natinf),
        "agent_id": control.agent_id,
    }


@router.get("/controls", summary="Controls the user may see, newest first, a page at a time")
def api_controls(request: Request, user: AnyUser, page: int = 1, per_page: int = 200) -> Response:
    """`X-Total-Count` gives how many there are in all; `Link` the next page, if any."""
    engine = request.app.state.context.engine
    listed = visible_controls(engine, user, min(max(page, 1), 100_000), min(max(per_page, 1), 500))
    record_access(
        engine, user.id, "list-controls", f"page {listed.page} par {listed.per_page} (api)"
    )
    headers = {"X-Total-Count": str(listed.total)}
    if listed.page < listed.pages:
        headers["Link"] = (
            f'</api/controls?page={listed.page + 1}&per_page={listed.per_page}>; rel="next"'
        )
    return JSONResponse([control_json(c) for c in listed.controls], headers=headers)


def refused_key(key: str | None) -> Response | None:
    """A 422 for an `Idempotency-Key` no device would make, else None (no key is fine)."""
    return problem(422, refusal) if (refusal := key_problem(key)) else None


@router.post(
    "/controls", dependencies=[Csrf, SameAgent], status_code=201, summary="Record a control"
)
def api_create_control(
    request: Request,
    user: Agent,
    body: ControlForm,
    idempotency_key: Annotated[
        str | None,
        Header(description="The device's key for this control: a replay records nothing new"),
    ] = None,
) -> Response:
    """With an `Idempotency-Key` (a control recorded offline, synced later), the first
    request records the control (201) and a replay answers with it (200,
    `Idempotent-Replayed: true`); the same key with another body is refused (409)."""
    context: AppContext = request.app.state.context
    if (refused := refused_key(idempotency_key)) is not None:
        return refused
    sent = body.model_dump(mode="json")
    digest = sent_digest(sent)
    try:
        new = build_control(user, sent, context, offline=idempotency_key is not None)
        control_id, created = save_control_once(context.engine, new, idempotency_key, digest)
    except FormError as error:
        return problem(422, "Contrôle invalide.", fields=error.errors)
    except InputError as error:
        return problem(422, str(error))
    except IdempotencyConflictError as error:
        return problem(409, str(error))
    control = get_control(context.engine, control_id)
    assert control is not None
    headers = {} if created else {"Idempotent-Replayed": "true"}
    return JSONResponse(control_json(control), status_code=201 if created else 200, headers=headers)


@router.get("/controls/{control_id}", summary="One control")
def api_control(request: Request, control_id: ObjectId, user: AnyUser) -> dict[str, Any]:
    control = visible_control(request, control_id, user)
    engine = request.app.state.context.engine
    record_access(engine, user.id, "open-control", about_control(control_id, "(api)"))
    return control_json(control)


class BulletinIn(BulletinFields):
    """What a tablet sends to issue a bulletin: the form's fields (those left out are
    prefilled from the control as the form would be), and what to do if one exists."""

    corrects: int | None = Field(
        None, description="The bulletin (its latest version) these fields correct"
    )
    another: bool = Field(
        False, description="Issue a bulletin of its own even if the control has one already"
    )


def replayed_bulletin(context: AppContext, control_id: int, key: str | None) -> Response | None:
    """The answer to a replay: the bulletin already issued under the tablet's key, if any."""
    found = None if key is None else bulletin_by_key(context.engine, control_id, key)
    return None if found is None else replay_answer(found)


def replay_answer(stored: StoredBulletin) -> Response:
    return JSONResponse(bulletin_json(stored), headers={"Idempotent-Replayed": "true"})


def bulletin_json(stored: StoredBulletin) -> dict[str, Any]:
    return {
        "id": stored.id,
        "control_id": stored.control_id,
        "number": stored.bulletin.number,
        "version": stored.bulletin.version,
        "url": f"/bulletins/{stored.id}",
        "pdf": f"/bulletins/{stored.id}/pdf",
    }


@router.post(
    "/controls/{control_id}/bulletin",
    dependencies=[Csrf, SameAgent],
    status_code=201,
    summary="Issue a control's bulletin in one call",
)
def api_issue_bulletin(
    request: Request,
    control_id: ObjectId,
    user: Agent,
    body: BulletinIn,
    idempotency_key: Annotated[
        str | None,
        Header(description="The device's key for this bulletin: a replay issues nothing new"),
    ] = None,
) -> Response:
    """What a tablet sends when it syncs a bulletin filled without network. The first request
    issues it (201); a replay answers with it (200, `Idempotent-Replayed: true`). A control
    that already has a bulletin is a conflict (409, naming it): the tablet keeps its fields
    until the agent decides, to drop them, to send them again as a correction of that
    bulletin (`corrects`: its latest version, else a new 409) or as another bulletin of the
    control (`another`, as the control's page allows). Fields the server refuses
    give a 422 naming them; they are then kept as the control's draft, to finish on the
    bulletin form."""
    context: AppContext = request.app.state.context
    control = visible_control(request, control_id, user)
    if (refused := refused_key(idempotency_key)) is not None:
        return refused
    if (replayed := replayed_bulletin(context, control_id, idempotency_key)) is not None:
        return replayed
    issued = [] if body.another else for_control(context.engine, control_id)
    latest = issued[-1] if issued else None
    if latest is not None and body.corrects != latest.id:
        # issued under this key by a replay running at the same time: the replay's answer
        if (replayed := replayed_bulletin(context, control_id, idempotency_key)) is not None:
            return replayed
        return problem(
            409,
            f"Un bulletin a déjà été émis pour ce contrôle (n° {latest.bulletin.number}).",
            bulletin=bulletin_json(latest),
        )
    if latest is None and body.corrects is not None:
        return problem(409, "Le bulletin à corriger n'existe pas pour ce contrôle.")
    findings = control_findings(context.engine, control)
    draft = prefill(control, findings) | body.model_dump(
        exclude_none=True, exclude={"corrects", "another"}
    )
    errors = {name: text for step in STEPS for name, text in step_errors(step, draft).items()}
    errors |= kept_errors(draft, findings)
    if not errors:
        try:
            stored, created = context.pool.call(
                issue_for, request, control, user, draft, findings, latest, idempotency_key
            )
            if not created:  # a replay sent at the same time as the first: the same answer
                return replay_answer(stored)
            return JSONResponse(bulletin_json(stored), status_code=201)
        except BulletinError as error:
            errors = error.errors
        except ValueError:  # a field the step checks let through and the model refuses
            errors = {"form": "Champs invalides."}
    save_draft(context.engine, control_id, draft)  # nothing typed on the tablet is lost
    return problem(422, "Bulletin incomplet : à compléter sur le formulaire.", fields=errors)
