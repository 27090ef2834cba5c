"""Which account a ProConnect identity opens: one an administrator created or approved.

ProConnect says who the agent is; this service decides what she may do (role, unit, région
stay ours). The first sign-in binds ProConnect's `sub` to the one active account whose email
an administrator set to ProConnect's; later sign-ins match by `sub` only, so a changed email
at the provider does not move the agent to another account. Every outcome is audited, by
account number and never by name or email.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Engine

from control.storage.access_requests import request_access, restore_request, take_request
from control.storage.audit import record as audit
from control.storage.users import (
    EMAIL,
    SIRET,
    AccountError,
    Identity,
    Role,
    User,
    add_user,
    bind_proconnect,
    find_by_email,
    find_by_proconnect,
)

DISABLED = (
    "Votre compte Contrôle LIC est désactivé : adressez-vous à l'administrateur de votre "
    "service pour le faire réactiver."
)


@dataclass(frozen=True)
class Outcome:
    """The account signed in, or why not: `unknown` (no account for this identity, the page
    says whom to ask) or `refusal` (a French message)."""

    user: User | None = None
    unknown: bool = False
    refusal: str = ""


def account_for(engine: Engine, sub: str, email: str, found: Identity, now: datetime) -> Outcome:
    account = find_by_proconnect(engine, sub)
    if account is None:
        account = _first_sign_in(engine, sub, email, found)
        if account is None:
            asked = replace(found, email=email, proconnect_sub=sub)
            number = request_access(engine, asked, now)
            audit(engine, None, "login-proconnect-unknown", f"ProConnect : demande n°{number}")
            return Outcome(unknown=True)
    if not account.active:
        audit(engine, account.id, "login-proconnect-disabled", "ProConnect : compte désactivé")
        return Outcome(refusal=DISABLED)
    audit(engine, account.id, "login-proconnect", "ProConnect")
    return Outcome(user=account)


def _first_sign_in(engine: Engine, sub: str, email: str, found: Identity) -> User | None:
    """The one account with this email and no ProConnect identity yet, bound now. Two such
    accounts are ambiguous: none is opened (an administrator sets the email apart)."""
    email = email.strip().lower()
    if not email:
        return None
    candidates = [u for u in find_by_email(engine, email) if u.identity.proconnect_sub is None]
    if len(candidates) != 1:
        return None
    account = candidates[0]
    if not account.active:
        return account  # refused as disabled, and left unbound
    siret = found.siret if SIRET.fullmatch(found.siret) else ""
    given = Identity(siret=siret, given_name=found.given_name, family_name=found.family_name)
    if not bind_proconnect(engine, account.id, sub, given):
        return find_by_proconnect(engine, sub)  # bound by a concurrent sign-in, or not
    audit(engine, account.id, "proconnect-bound", f"{account.login} lié à ProConnect")
    return find_by_proconnect(engine, sub)


def approve(
    engine: Engine,
    request_id: int,
    fingerprint: str,
    login: str,
    name: str,
    role: Role,
    unit: str = "",
) -> User:
    """An administrator's approval: the account made with the requester's identity and bound
    to her `sub` in one statement (she signs in with ProConnect only: its password is random
    and never shown; an administrator's reset gives one). The request is taken first, so a
    second answer (double submit, another administrator) finds it gone; an approval that
    fails (a login taken) lists it again."""
    asked = take_request(engine, request_id, fingerprint)
    if asked is None:
        raise AccountError(ANSWERED)
    sub = asked.identity.proconnect_sub
    if sub is None or find_by_proconnect(engine, sub):
        raise AccountError("Cette identité ProConnect a déjà un compte.")
    identity = _acceptable(asked.identity)
    try:
        secret = secrets.token_urlsafe(32)
        return add_user(engine, login, name, role, secret, unit=unit, identity=identity)
    except AccountError:
        restore_request(engine, asked)
        raise


ANSWERED = "Cette demande d'accès a déjà reçu une réponse."


def _acceptable(asked: Identity) -> Identity:
    """The request's identity (its SIRET and names already kept to this service's shapes by
    `request_access`), less an email of another shape, left blank for the administrator to
    set: the approval never fails on a field she cannot edit in the request."""
    fits = len(asked.email) <= 200 and EMAIL.match(asked.email)
    return replace(asked, email=asked.email if fits else "", matricule="")
