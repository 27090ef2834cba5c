"""Object-level access: the one check every page or API call on a control goes through."""

from __future__ import annotations

from fastapi import HTTPException, Request

from control.storage.controls import Control, ControlKind, get_control
from control.storage.search import can_see
from control.storage.users import Role, User
from web.security import Forbidden

START_PAGES = {
    Role.AGENT: "/scan",  # the roadside: scan a driver's code
    Role.INSPECTOR: "/recherche",  # past controls, then company controls
    Role.ADMIN: "/admin/utilisateurs",  # agents and their accounts
}


def visible_control(
    request: Request,
    control_id: int,
    user: User,
    kind: ControlKind | None = None,
    other_kind: str = "",
) -> Control:
    """The control, if this user may see it; else 404 (not 403: existence is not leaked).
    With `kind`, a control of another kind is a 404 too, saying `other_kind`."""
    engine = request.app.state.context.engine
    control = get_control(engine, control_id)
    if control is None or not can_see(engine, user, control_id):
        raise HTTPException(404, "Contrôle introuvable.")
    if kind is not None and control.kind is not kind:
        raise HTTPException(404, other_kind)
    return control


NOT_YOURS = (
    "Seul l'agent qui a fait ce contrôle, ou un administrateur, peut modifier ses photos "
    "et ses feuilles."
)


def editable_control(
    request: Request,
    control_id: int,
    user: User,
    kind: ControlKind | None = None,
    other_kind: str = "",
) -> Control:
    """The control, if this user may change its evidence (photos, transcribed sheets): the
    agent who made it, or an admin. A colleague who may see it gets a 403: evidence is not
    edited by whoever shares the unit."""
    control = visible_control(request, control_id, user, kind, other_kind)
    if user.role is not Role.ADMIN and control.agent_id != user.id:
        raise Forbidden(NOT_YOURS)
    return control
