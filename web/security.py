"""Who is signed in, what they may do, and the CSRF token every form carries."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Coroutine
from dataclasses import replace
from typing import Annotated, Any

from fastapi import Depends, Request

from control.regions import departements_of
from control.storage.users import Role, User, get_user


class NotSignedIn(Exception):  # noqa: N818 - a control-flow signal, handled in app.py
    """The page needs a signed-in user; HTML gets a redirect, the API a 401."""


class Forbidden(Exception):  # noqa: N818
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def sign_in(request: Request, user: User) -> None:
    request.session.clear()  # a new session on sign-in: no fixation
    request.session["user_id"] = user.id
    request.session["csrf"] = secrets.token_urlsafe(32)


def sign_out(request: Request) -> None:
    request.session.clear()


def current_user(request: Request) -> User | None:
    user_id = request.session.get("user_id")
    if not isinstance(user_id, int):
        return None
    context = request.app.state.context
    user = get_user(context.engine, user_id)
    if user is None or not user.active:
        request.session.clear()
        return None
    if context.settings.inspectors_by_region and user.role is Role.INSPECTOR:
        user = replace(user, zone=departements_of(user.region))
    return user


async def check_csrf(request: Request) -> None:
    """Every state-changing request carries the session's token (form field or header)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    expected = request.session.get("csrf", "")
    sent = request.headers.get("X-CSRF-Token", "")
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf", "")
        sent = value if isinstance(value, str) else ""
    # compared as bytes: compare_digest refuses non-ASCII text with a TypeError (a 500)
    if not expected or not hmac.compare_digest(str(expected).encode(), sent.encode()):
        raise Forbidden("Formulaire expiré ou invalide : rechargez la page et recommencez.")


def require(*roles: Role) -> Callable[[Request], Coroutine[Any, Any, User]]:
    async def dependency(request: Request) -> User:
        user = current_user(request)
        if user is None:
            raise NotSignedIn()
        request.state.user = user
        if roles and user.role not in roles:
            raise Forbidden("Cette page est réservée à d'autres profils que le vôtre.")
        return user

    return dependency


AnyUser = Annotated[User, Depends(require())]
Agent = Annotated[User, Depends(require(Role.AGENT, Role.ADMIN))]
Inspector = Annotated[User, Depends(require(Role.INSPECTOR, Role.ADMIN))]
Admin = Annotated[User, Depends(require(Role.ADMIN))]
Csrf = Depends(check_csrf)
