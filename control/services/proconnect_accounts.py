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

from control.storage.access_requests import drop_request, get_request, request_access
from control.storage.audit import record as audit
from control.storage.users import (
    AccountError,
    Identity,
    Role,
    User,
    add_user,
    bind_proconnect,
    find_by_email,
    find_by_proconnect,
    set_identity,
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
    siret = found.siret if found.siret.isdigit() and len(found.siret) == 14 else ""
    given = Identity(siret=siret, given_name=found.given_name, family_name=found.family_name)
    if not bind_proconnect(engine, account.id, sub, given):
        return find_by_proconnect(engine, sub)  # bound by a concurrent sign-in, or not
    audit(engine, account.id, "proconnect-bound", f"{account.login} lié à ProConnect")
    return find_by_proconnect(engine, sub)


def approve(
    engine: Engine, request_id: int, login: str, name: str, role: Role, unit: str = ""
) -> User:
    """An administrator's approval: the account made with the requester's identity and bound
    to her `sub` (she signs in with ProConnect only: its password is random and never shown;
    an administrator's reset gives one). The request is then deleted."""
    asked = get_request(engine, request_id)
    if asked is None:
        raise AccountError("Cette demande d'accès a déjà reçu une réponse.")
    if asked.identity.proconnect_sub is None or find_by_proconnect(
        engine, asked.identity.proconnect_sub
    ):
        drop_request(engine, request_id)
        raise AccountError("Cette identité ProConnect a déjà un compte.")
    others = find_by_email(engine, asked.identity.email) if asked.identity.email else []
    if others:
        raise AccountError(f"Cette adresse est déjà celle du compte {others[0].login}.")
    account = add_user(engine, login, name, role, secrets.token_urlsafe(32), unit=unit)
    set_identity(engine, account.id, replace(asked.identity, proconnect_sub=None))
    bind_proconnect(engine, account.id, asked.identity.proconnect_sub, Identity())
    drop_request(engine, request_id)
    return account
