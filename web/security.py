"""Who is signed in, what they may do, and the CSRF token every form carries.

A signed-in session lives in the database (`control.storage.sessions`); the signed cookie of
Starlette's SessionMiddleware only carries its random id ("sid"), or, before sign-in, the CSRF
token of the sign-in form ("csrf"); after a ProConnect sign-in, also the provider's ID token
(signed, readable: sub, acr, nonce, no name or email), which the logout hands back to the
provider as `id_token_hint`. Signing out deletes the row: a copy of the cookie is then worth
nothing.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Coroutine
from dataclasses import replace
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Request

from control.regions import departements_of
from control.storage.sessions import Session, end_session, find_session, open_session, sweep
from control.storage.users import Role, User, get_user


class NotSignedIn(Exception):  # noqa: N818 - a control-flow signal, handled in app.py
    """The page needs a signed-in user; HTML gets a redirect, the API a 401."""


class Forbidden(Exception):  # noqa: N818
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MustChangePassword(Exception):  # noqa: N818 - handled in app.py
    """Signed in with a temporary password: only the password change is open."""


def _idle(request: Request) -> timedelta:
    return timedelta(minutes=request.app.state.context.settings.session_idle_minutes)


def live_session(request: Request) -> Session | None:
    """The database session of this request's cookie, looked up once per request."""
    if "session" not in request.scope:
        return None
    if hasattr(request.state, "live_session"):
        return request.state.live_session  # type: ignore[no-any-return]
    token = request.session.get("sid")
    found = None
    if isinstance(token, str):
        context = request.app.state.context
        found = find_session(context.engine, token, context.now(), _idle(request))
        if found is None:
            request.session.clear()  # ended: the cookie goes too
    request.state.live_session = found
    return found


def csrf_token(request: Request) -> str:
    """The signed-in session's token, else one for the forms of a visitor (sign-in)."""
    session = live_session(request)
    if session is not None:
        return session.csrf
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def form_token(request: Request) -> str:
    """The token a page's forms carry, if there is one yet (none is made here)."""
    if "session" not in request.scope:
        return ""
    session = live_session(request)
    return session.csrf if session is not None else str(request.session.get("csrf", ""))


def sign_in(request: Request, user: User) -> None:
    """A new session on sign-in (no fixation), ending the one this browser held (the previous
    agent's on a shared tablet, whose sign-out may not have reached the server); ended ones
    are swept then, cheaply."""
    context = request.app.state.context
    now = context.now()
    sweep(context.engine, now, _idle(request))
    previous = request.session.get("sid")
    if isinstance(previous, str):  # a shared tablet: the last agent's session, if still open
        end_session(context.engine, previous)
    session = open_session(
        context.engine, user.id, now, timedelta(hours=context.settings.session_hours)
    )
    request.session.clear()
    request.session["sid"] = session.token
    request.state.live_session = session


def sign_out(request: Request) -> None:
    session = live_session(request)
    if session is not None:
        end_session(request.app.state.context.engine, session.token)
    request.session.clear()
    request.state.live_session = None


def current_user(request: Request) -> User | None:
    session = live_session(request)
    if session is None:
        return None
    context = request.app.state.context
    user = session.user or get_user(context.engine, session.user_id)  # read with the session
    if user is None or not user.active:
        sign_out(request)
        return None
    if context.settings.inspectors_by_region and user.role is Role.INSPECTOR:
        user = replace(user, zone=departements_of(user.region))
    return user


async def check_csrf(request: Request) -> None:
    """Every state-changing request carries the session's token (form field or header)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    session = live_session(request)
    expected = session.csrf if session is not None else request.session.get("csrf", "")
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


def require(
    *roles: Role, temporary_password: bool = False
) -> Callable[[Request], Coroutine[Any, Any, User]]:
    """The signed-in user, of one of `roles` if named; one who signed in with a temporary
    password reaches only the pages that allow it (`temporary_password`): the change."""

    async def dependency(request: Request) -> User:
        user = current_user(request)
        if user is None:
            raise NotSignedIn()
        request.state.user = user
        if user.must_change_password and not temporary_password:
            raise MustChangePassword()
        if roles and user.role not in roles:
            raise Forbidden("Cette page est réservée à d'autres profils que le vôtre.")
        return user

    return dependency


AnyUser = Annotated[User, Depends(require())]
# the user's own account page: open with a temporary password too, to change it
AccountOwner = Annotated[User, Depends(require(temporary_password=True))]
Agent = Annotated[User, Depends(require(Role.AGENT, Role.ADMIN))]
Inspector = Annotated[User, Depends(require(Role.INSPECTOR, Role.ADMIN))]
Admin = Annotated[User, Depends(require(Role.ADMIN))]
Csrf = Depends(check_csrf)
