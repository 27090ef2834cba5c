"""Mon compte: the signed-in user's own password change."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from control.passwords import MIN_LENGTH
from control.storage.audit import record as audit
from control.storage.users import ROLE_LABELS, AccountError, change_password
from web.rendering import render
from web.security import AccountOwner, Csrf, live_session

router = APIRouter()


@router.get("/compte")
def account_page(request: Request, user: AccountOwner, change: str = "") -> Response:
    return _page(request, user, changed=change == "ok")


def _page(
    request: Request,
    user: AccountOwner,
    status_code: int = 200,
    error: str = "",
    changed: bool = False,
) -> Response:
    return render(
        request,
        "account.html",
        status_code=status_code,
        role=ROLE_LABELS[user.role],
        min_length=MIN_LENGTH,
        error=error,
        changed=changed,
    )


@router.post("/compte/mot-de-passe", dependencies=[Csrf])
def change_password_form(
    request: Request,
    user: AccountOwner,
    current: Annotated[str, Form(max_length=200)] = "",
    new: Annotated[str, Form(max_length=200)] = "",
    confirmation: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Every other session of the user ends; this one stays, so she carries on working."""
    engine = request.app.state.context.engine
    session = live_session(request)
    assert session is not None  # AccountOwner found it
    try:
        change_password(engine, user.id, current, new, confirmation, keep=session.token)
    except AccountError as error:
        return _page(request, user, 422, str(error))
    audit(engine, user.id, "password-changed", "par l'utilisateur")
    return RedirectResponse("/compte?change=ok", status_code=303)
