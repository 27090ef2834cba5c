"""Signing in and out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from control.storage.audit import record as audit
from control.storage.users import authenticate
from web.rendering import french_time, render
from web.security import Csrf, csrf_token, sign_in, sign_out

router = APIRouter()


def _safe_next(target: str) -> str:
    """Only a path of this site: never an open redirect."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/connexion")
def login_page(request: Request, suivant: str = "/") -> Response:
    csrf_token(request)
    return render(request, "login.html", suivant=_safe_next(suivant))


@router.post("/connexion", dependencies=[Csrf])
def login(
    request: Request,
    login: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    suivant: Annotated[str, Form(max_length=300)] = "/",
) -> Response:
    context = request.app.state.context
    address = request.client.host if request.client else "?"
    wait = context.sign_in_limit.retry_after(address)
    if wait:
        return _refused(
            request,
            429,
            f"Trop de tentatives de connexion depuis ce poste : réessayez dans "
            f"{-(-wait // 60)} min.",
            login,
            suivant,
        )
    attempt = authenticate(context.engine, login, password, context.now())
    if attempt.user is not None:
        audit(context.engine, attempt.user.id, "login", "connexion")
        sign_in(request, attempt.user)
        return RedirectResponse(_safe_next(suivant), status_code=303)
    context.sign_in_limit.record(address)
    if attempt.newly_locked:
        audit(context.engine, attempt.account_id, "account-locked", "5 échecs consécutifs")
    elif attempt.locked_until is not None:
        audit(context.engine, attempt.account_id, "login-locked", "compte verrouillé")
    else:
        audit(context.engine, attempt.account_id, "login-failed", "mot de passe refusé")
    if attempt.locked_until is not None:
        until = french_time(attempt.locked_until)
        message = (
            f"Compte verrouillé après plusieurs échecs : réessayez après {until} "
            "ou demandez à un administrateur de le réactiver."
        )
        return _refused(request, 423, message, login, suivant)
    return _refused(request, 401, "Identifiant ou mot de passe incorrect.", login, suivant)


def _refused(request: Request, status: int, message: str, login: str, suivant: str) -> Response:
    return render(
        request,
        "login.html",
        status_code=status,
        error=message,
        login=login,
        suivant=_safe_next(suivant),
    )


@router.post("/deconnexion", dependencies=[Csrf])
def logout(request: Request) -> Response:
    sign_out(request)
    return RedirectResponse("/connexion", status_code=303)
