"""Administrators: agents' accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from control.storage.users import ROLE_LABELS, AccountError, Role, add_user, list_users
from web.rendering import render
from web.security import Admin, Csrf

router = APIRouter()


@router.get("/admin/utilisateurs")
def users_page(request: Request, user: Admin) -> Response:
    engine = request.app.state.context.engine
    return render(request, "admin_users.html", users=list_users(engine), roles=ROLE_LABELS)


@router.post("/admin/utilisateurs", dependencies=[Csrf])
def add_user_form(
    request: Request,
    user: Admin,
    login: Annotated[str, Form(max_length=100)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    engine = request.app.state.context.engine
    try:
        if role not in Role._value2member_map_:
            raise AccountError("Choisissez un profil.")
        add_user(engine, login, name, Role(role), password)
    except AccountError as error:
        return render(
            request,
            "admin_users.html",
            status_code=422,
            users=list_users(engine),
            roles=ROLE_LABELS,
            error=str(error),
        )
    return RedirectResponse("/admin/utilisateurs", status_code=303)
