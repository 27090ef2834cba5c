"""Administrators: agents' accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from control.passwords import MIN_LENGTH
from control.regions import REGIONS
from control.services.proconnect_accounts import approve
from control.storage.access_requests import (
    REQUEST_DAYS,
    drop_request,
    get_request,
    list_requests,
)
from control.storage.audit import record as audit
from control.storage.users import (
    ROLE_LABELS,
    AccountError,
    Identity,
    Role,
    User,
    add_user,
    get_user,
    list_users,
    password_fingerprints,
    reset_password,
    set_active,
    set_identity,
    set_region,
    unbind_proconnect,
)
from web.params import ObjectId
from web.rendering import render
from web.security import Admin, Csrf, Forbidden

router = APIRouter()


@router.get("/admin/utilisateurs")
def users_page(request: Request, user: Admin) -> Response:
    return _users_page(request)


def _users_page(
    request: Request,
    status_code: int = 200,
    error: str = "",
    reset: tuple[User, str] | None = None,
    request_error: tuple[int, str] | None = None,
) -> Response:
    """`reset`: an account and the temporary password just given to it, shown this once."""
    context = request.app.state.context
    return render(
        request,
        "admin_users.html",
        status_code=status_code,
        users=list_users(context.engine),
        roles=ROLE_LABELS,
        roles_options=[(role.value, label) for role, label in ROLE_LABELS.items()],
        regions=REGIONS,
        region_options=[(code, region.name) for code, region in REGIONS.items()],
        by_region=context.settings.inspectors_by_region,
        now=context.now(),
        error=error,
        reset=reset,
        min_length=MIN_LENGTH,
        fingerprints=password_fingerprints(context.engine),
        requests=list_requests(context.engine),
        request_days=REQUEST_DAYS,
        request_error=request_error,
    )


def _account(request: Request, user_id: int) -> User:
    """The account an admin acts on, or a 404."""
    target = get_user(request.app.state.context.engine, user_id)
    if target is None:
        raise HTTPException(404, "Compte introuvable.")
    return target


def _role(value: str) -> Role:
    """The profile an admin's form chose."""
    if value not in Role._value2member_map_:
        raise AccountError("Choisissez un profil.")
    return Role(value)


@router.post("/admin/utilisateurs", dependencies=[Csrf])
def add_user_form(
    request: Request,
    user: Admin,
    login: Annotated[str, Form(max_length=100)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    region: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    engine = request.app.state.context.engine
    try:
        added = add_user(engine, login, name, _role(role), password, region=region)
    except AccountError as error:
        return _users_page(request, 422, str(error))
    audit(engine, user.id, "account-created", f"{added.login} {added.role.value}")
    return RedirectResponse("/admin/utilisateurs", status_code=303)


@router.post("/admin/utilisateurs/{user_id}/actif", dependencies=[Csrf])
def set_active_form(
    request: Request,
    user: Admin,
    user_id: ObjectId,
    actif: Annotated[bool, Form()] = False,
) -> Response:
    """Deactivate an account, or (re)activate it, which also lifts a sign-in lock."""
    engine = request.app.state.context.engine
    target = _account(request, user_id)
    if target.id == user.id and not actif:
        raise Forbidden("Vous ne pouvez pas désactiver votre propre compte.")
    set_active(engine, user_id, actif)
    audit(engine, user.id, "account-enabled" if actif else "account-disabled", target.login)
    return RedirectResponse("/admin/utilisateurs", status_code=303)


ALREADY_RESET = (
    "Le mot de passe de {login} a déjà été réinitialisé : le mot de passe temporaire affiché "
    "alors reste valable. Pour en créer un autre, cliquez à nouveau sur « Réinitialiser »."
)


@router.post("/admin/utilisateurs/{user_id}/mot-de-passe", dependencies=[Csrf])
def reset_password_form(
    request: Request,
    user: Admin,
    user_id: ObjectId,
    sent: Annotated[str | None, Form(alias="empreinte", max_length=64)] = None,
) -> Response:
    """A temporary password, generated and shown once here (the page is not kept: no-store),
    to hand to the agent, who must change it at sign-in. Her sessions end at once. The form
    carries the password's fingerprint it was rendered with: sent again (a reload), it is
    refused rather than replace the temporary password already handed over."""
    engine = request.app.state.context.engine
    target = _account(request, user_id)
    if target.id == user.id:
        raise Forbidden("Changez votre propre mot de passe depuis « Mon compte ».")
    if isinstance(sent, str) and sent != password_fingerprints(engine).get(user_id):
        return _users_page(request, 409, ALREADY_RESET.format(login=target.login))
    temporary = reset_password(engine, user_id)
    audit(engine, user.id, "password-reset", target.login)
    return _users_page(request, reset=(target, temporary))


@router.post("/admin/utilisateurs/{user_id}/region", dependencies=[Csrf])
def set_region_form(
    request: Request,
    user: Admin,
    user_id: ObjectId,
    region: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """The région of an inspector: the controls he sees where inspectors are limited to it."""
    engine = request.app.state.context.engine
    target = _account(request, user_id)
    try:
        set_region(engine, user_id, region)
    except AccountError as error:
        raise HTTPException(422, str(error)) from None
    audit(engine, user.id, "account-region", f"{target.login} {region or '-'}")
    return RedirectResponse("/admin/utilisateurs", status_code=303)


@router.get("/admin/utilisateurs/{user_id}")
def account_page(request: Request, user: Admin, user_id: ObjectId) -> Response:
    return _account_page(request, _account(request, user_id))


def _account_page(
    request: Request,
    target: User,
    status_code: int = 200,
    identity: Identity | None = None,
    errors: dict[str, str] | None = None,
    saved: str = "",
) -> Response:
    """One account: who the agent is (ProConnect, GRECO), as saved or as just sent."""
    return render(
        request,
        "admin_user.html",
        status_code=status_code,
        target=target,
        identity=identity or target.identity,
        errors=errors or {},
        saved=saved,
        roles=ROLE_LABELS,
        proconnect=request.app.state.context.settings.proconnect_enabled(),
    )


@router.post("/admin/utilisateurs/{user_id}/identite", dependencies=[Csrf])
def set_identity_form(
    request: Request,
    user: Admin,
    user_id: ObjectId,
    # bounds far above the rules' (check_identity): a field too long gets its own message
    # under it, with what was typed, not the generic page of a refused form
    email: Annotated[str, Form(max_length=1000)] = "",
    siret: Annotated[str, Form(max_length=1000)] = "",
    given_name: Annotated[str, Form(max_length=1000)] = "",
    family_name: Annotated[str, Form(max_length=1000)] = "",
    matricule: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """The agent's email (ProConnect's first sign-in finds the account by it), SIRET, names
    and RIO / matricule (GRECO's export)."""
    engine = request.app.state.context.engine
    target = _account(request, user_id)
    sent = Identity(
        email=email.strip(),
        siret=siret.replace(" ", ""),
        given_name=given_name,
        family_name=family_name,
        matricule=matricule,
    )
    try:
        set_identity(engine, user_id, sent)
    except AccountError as error:
        errors = {error.field or "email": str(error)}
        return _account_page(request, target, 422, identity=sent, errors=errors)
    audit(engine, user.id, "account-identity", target.login)
    return _account_page(request, _account(request, user_id), saved="Identité enregistrée.")


@router.post("/admin/utilisateurs/{user_id}/proconnect", dependencies=[Csrf])
def unbind_proconnect_form(request: Request, user: Admin, user_id: ObjectId) -> Response:
    """Unbind ProConnect (an agent who changed administration, a binding made by mistake):
    her next ProConnect sign-in matches by email again. Her sessions end."""
    engine = request.app.state.context.engine
    target = _account(request, user_id)
    if target.identity.proconnect_sub is not None:
        unbind_proconnect(engine, user_id)
        audit(engine, user.id, "proconnect-unbound", target.login)
    return RedirectResponse(f"/admin/utilisateurs/{user_id}", status_code=303)


@router.post("/admin/demandes/{request_id}/approuver", dependencies=[Csrf])
def approve_request_form(
    request: Request,
    user: Admin,
    request_id: ObjectId,
    login: Annotated[str, Form(max_length=100)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
    unit: Annotated[str, Form(max_length=100)] = "",
    empreinte: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """An access request approved: the account made, bound to the agent's ProConnect. The
    form carries the request's fingerprint: a number SQLite gave again to a newer request
    never approves that one with what the administrator meant for another person."""
    engine = request.app.state.context.engine
    try:
        added = approve(engine, request_id, empreinte, login, name, _role(role), unit)
    except AccountError as error:
        return _users_page(request, 422, request_error=(request_id, str(error)))
    audit(engine, user.id, "access-approved", f"{added.login} {added.role.value}")
    return RedirectResponse("/admin/utilisateurs", status_code=303)


@router.post("/admin/demandes/{request_id}/refuser", dependencies=[Csrf])
def refuse_request_form(request: Request, user: Admin, request_id: ObjectId) -> Response:
    """An access request refused: nothing of it is kept."""
    engine = request.app.state.context.engine
    if get_request(engine, request_id) is not None:
        drop_request(engine, request_id)
        audit(engine, user.id, "access-refused", f"demande n°{request_id}")
    return RedirectResponse("/admin/utilisateurs", status_code=303)
