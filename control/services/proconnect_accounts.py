"""Which account a ProConnect identity opens: one an administrator created or approved.

ProConnect says who the agent is; this service decides what she may do (role, unit, région
stay ours). The first sign-in binds ProConnect's `sub` to the one active account whose email
an administrator set to ProConnect's; later sign-ins match by `sub` only, so a changed email
at the provider does not move the agent to another account. Every outcome is audited, by
account number and never by name or email.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from control.storage.audit import record as audit
from control.storage.users import (
    Identity,
    User,
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


def account_for(engine: Engine, sub: str, email: str, found: Identity) -> Outcome:
    account = find_by_proconnect(engine, sub)
    if account is None:
        account = _first_sign_in(engine, sub, email, found)
        if account is None:
            audit(engine, None, "login-proconnect-unknown", "ProConnect : identité sans compte")
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
