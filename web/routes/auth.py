"""Signing in and out.

A wrong password, an unknown login and a locked account get the same answer (status,
French message, and time: the hash is checked in every case), so the sign-in page tells no
one which logins exist or are locked; the audit log keeps the difference for the admin.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from control.storage import sign_in_limits
from control.storage.audit import record as audit
from control.storage.users import Role, authenticate
from web import devices
from web.client_address import client_address
from web.params import safe_next
from web.rendering import render
from web.routes.proconnect import ID_TOKEN, PROVIDER_LOGOUT, logout_target
from web.security import Csrf, Forbidden, csrf_token, sign_in, sign_out

router = APIRouter()

REFUSED = "Identifiant ou mot de passe incorrect, ou compte verrouillé après plusieurs échecs."


LOCAL_OFF = "La connexion par mot de passe est désactivée ici : connectez-vous avec ProConnect."
# Passwords for administrators only: a right password of an agent gets the answer of a
# wrong one (another answer would tell an attacker that the password is right)
ADMINS_ONLY = (
    f"{REFUSED} La connexion par mot de passe est réservée aux administrateurs ; agents : "
    "connectez-vous avec ProConnect."
)


@router.get("/connexion", name="login_page")
def login_page(request: Request, suivant: str = "/") -> Response:
    pending = request.session.pop(PROVIDER_LOGOUT, None) if "session" in request.scope else None
    if isinstance(pending, str):  # just signed out of a ProConnect session: the provider's too
        return RedirectResponse(pending, status_code=303)
    csrf_token(request)
    return render(request, "login.html", suivant=safe_next(suivant), **_ways(request))


def _ways(request: Request) -> dict[str, Any]:
    """The ways to sign in the page offers: ProConnect when configured, passwords unless
    the setting turned them off."""
    settings = request.app.state.context.settings
    return {"proconnect": settings.proconnect_enabled(), "local": settings.local_sign_in}


def passwords_allowed(request: Request) -> None:
    """Before the CSRF check: with passwords off, the page has no form (nor token) to send."""
    engine = request.app.state.context.engine
    if request.app.state.context.settings.local_sign_in == "none":
        audit(engine, None, "login-local-refused", "mot de passe désactivé")
        raise Forbidden(LOCAL_OFF)


@router.post("/connexion", dependencies=[Depends(passwords_allowed), Csrf])
def login(
    request: Request,
    login: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    suivant: Annotated[str, Form(max_length=300)] = "/",
) -> Response:
    context = request.app.state.context
    settings = context.settings
    now = context.now()
    address = client_address(request, settings.trusted_networks())
    wait = sign_in_limits.retry_after(context.engine, address, now)
    if wait and not devices.known(request, settings.session_secret(), login):
        return _refused(
            request,
            429,
            f"Trop de tentatives de connexion depuis ce poste : réessayez dans "
            f"{-(-wait // 60)} min.",
            login,
            suivant,
        )
    attempt = authenticate(context.engine, login, password, now)
    admins_only = settings.local_sign_in == "admins"
    if attempt.user is not None and admins_only and attempt.user.role is not Role.ADMIN:
        audit(context.engine, attempt.user.id, "login-local-refused", "réservé aux admins")
        return _refused(request, 401, ADMINS_ONLY, login, suivant)
    if attempt.user is not None:
        audit(context.engine, attempt.user.id, "login", "connexion")
        sign_in(request, attempt.user)
        target = "/compte" if attempt.user.must_change_password else safe_next(suivant)
        response = RedirectResponse(target, status_code=303)
        devices.remember(
            request, response, settings.session_secret(), login, settings.cookie_secure
        )
        return response
    sign_in_limits.record_failure(context.engine, address, now)
    if attempt.newly_locked:
        audit(context.engine, attempt.account_id, "account-locked", "5 échecs consécutifs")
    elif attempt.locked_until is not None:
        audit(context.engine, attempt.account_id, "login-locked", "compte verrouillé")
    else:
        audit(context.engine, attempt.account_id, "login-failed", "mot de passe refusé")
    return _refused(request, 401, ADMINS_ONLY if admins_only else REFUSED, login, suivant)


def _refused(request: Request, status: int, message: str, login: str, suivant: str) -> Response:
    return render(
        request,
        "login.html",
        status_code=status,
        error=message,
        login=login,
        suivant=safe_next(suivant),
        **_ways(request),
    )


@router.post("/deconnexion", dependencies=[Csrf])
def logout(request: Request) -> Response:
    """Our session ends first; one opened through ProConnect then ends at the provider: the
    sign-in page this answer leads to goes there. (The tablet's script signs out with a fetch
    that follows no redirect, then opens the sign-in page: both ways pass through it.)"""
    id_token = request.session.get(ID_TOKEN)
    sign_out(request)
    if target := logout_target(request, id_token):
        request.session[PROVIDER_LOGOUT] = target
    return RedirectResponse("/connexion", status_code=303)
