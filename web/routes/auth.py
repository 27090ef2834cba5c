"""Signing in and out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from control.storage.users import authenticate
from web.rendering import render
from web.security import Csrf, csrf_token, sign_in, sign_out

router = APIRouter()


def _safe_next(target: str) -> str:
    """Only a path of this site: never an open redirect."""
    return target if target.startswith("/") and not target.startswith("//") else "/scan"


@router.get("/connexion")
def login_page(request: Request, suivant: str = "/scan") -> Response:
    csrf_token(request)
    return render(request, "login.html", suivant=_safe_next(suivant))


@router.post("/connexion", dependencies=[Csrf])
def login(
    request: Request,
    login: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    suivant: Annotated[str, Form(max_length=300)] = "/scan",
) -> Response:
    user = authenticate(request.app.state.context.engine, login, password)
    if user is None:
        return render(
            request,
            "login.html",
            status_code=401,
            error="Identifiant ou mot de passe incorrect.",
            login=login,
            suivant=_safe_next(suivant),
        )
    sign_in(request, user)
    return RedirectResponse(_safe_next(suivant), status_code=303)


@router.post("/deconnexion", dependencies=[Csrf])
def logout(request: Request) -> Response:
    sign_out(request)
    return RedirectResponse("/connexion", status_code=303)
