"""Agents' accounts: roles and argon2-hashed passwords."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from control.storage.schema import users

LOGIN = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,99}$")
MIN_PASSWORD = 10
_hasher = PasswordHasher()
# Hashing a password nobody has keeps the time of a failed sign-in the same for unknown logins.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class Role(StrEnum):
    AGENT = "agent"  # roadside controller
    INSPECTOR = "inspector"  # labour inspector: searches and reads
    ADMIN = "admin"  # accounts and trust list


ROLE_LABELS = {Role.AGENT: "Contrôleur", Role.INSPECTOR: "Inspecteur", Role.ADMIN: "Administrateur"}


class AccountError(ValueError):
    """An account could not be created; the message is French, for the admin's screen."""


@dataclass(frozen=True)
class User:
    id: int
    login: str
    name: str
    role: Role
    active: bool
    unit: str = ""  # agents of the same unit see each other's controls


def _user(row: object) -> User:
    return User(row.id, row.login, row.name, Role(row.role), row.active, row.unit)  # type: ignore[attr-defined]


def add_user(
    engine: Engine, login: str, name: str, role: Role, password: str, unit: str = ""
) -> User:
    login = login.strip().lower()
    if not LOGIN.match(login):
        raise AccountError("Identifiant invalide : lettres minuscules, chiffres, . _ @ -")
    if not name.strip():
        raise AccountError("Le nom est obligatoire.")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Le mot de passe doit faire au moins {MIN_PASSWORD} caractères.")
    try:
        with engine.begin() as connection:
            new_id = connection.execute(
                insert(users).values(
                    login=login,
                    name=name.strip(),
                    role=role.value,
                    password_hash=_hasher.hash(password),
                    active=True,
                    unit=unit.strip(),
                    created_at=datetime.now(UTC),
                )
            ).inserted_primary_key[0]  # type: ignore[index]
    except IntegrityError:
        raise AccountError(f"L'identifiant {login} existe déjà.") from None
    return User(int(new_id), login, name.strip(), role, True, unit.strip())


def authenticate(engine: Engine, login: str, password: str) -> User | None:
    """The active user with this login and password, or None (same time either way)."""
    with engine.connect() as connection:
        row = connection.execute(
            select(users).where(users.c.login == login.strip().lower())
        ).first()
    try:
        _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row.active:
        return None
    return _user(row)


def get_user(engine: Engine, user_id: int) -> User | None:
    with engine.connect() as connection:
        row = connection.execute(select(users).where(users.c.id == user_id)).first()
    return None if row is None else _user(row)


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as connection:
        return [_user(r) for r in connection.execute(select(users).order_by(users.c.login))]


def set_active(engine: Engine, user_id: int, active: bool) -> None:
    with engine.begin() as connection:
        connection.execute(update(users).where(users.c.id == user_id).values(active=active))


def count_users(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(users)).scalar_one())
