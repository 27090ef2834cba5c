"""Agents' accounts: roles, argon2-hashed passwords under one policy (`control.passwords`)."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from control.passwords import password_problem
from control.regions import REGIONS
from control.storage.schema import users
from control.storage.sessions import end_sessions_of

LOGIN = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,99}$")
_hasher = PasswordHasher()
# Hashing a password nobody has keeps the time of a failed sign-in the same for unknown logins.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class Role(StrEnum):
    AGENT = "agent"  # roadside controller
    INSPECTOR = "inspector"  # labour inspector: searches and reads
    ADMIN = "admin"  # accounts and trust list


ROLE_LABELS = {Role.AGENT: "Contrôleur", Role.INSPECTOR: "Inspecteur", Role.ADMIN: "Administrateur"}


class AccountError(ValueError):
    """An account could not be created or changed; the message is French, for the admin's
    screen, shown under `field` when it names one."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Identity:
    """Who the agent is outside this service: ProConnect's identity and GRECO's names.

    Role, unit and région are this service's own and stay on `User`.
    """

    email: str = ""  # ProConnect's email: an admin-created account is matched by it
    proconnect_sub: str | None = None  # ProConnect's stable id, bound at the first sign-in
    siret: str = ""  # the agent's administration, as ProConnect gives it
    given_name: str = ""
    family_name: str = ""
    matricule: str = ""  # RIO / matricule: GRECO's controleur_Identification


@dataclass(frozen=True)
class User:
    id: int
    login: str
    name: str
    role: Role
    active: bool
    unit: str = ""  # agents of the same unit see each other's controls
    locked_until: datetime | None = None  # sign-in locked after repeated failures
    region: str = ""  # inspectors: INSEE code of their région
    # The départements whose controls this user may see, when the installation limits
    # inspectors to their région (set by the web layer from settings); None: no such limit.
    zone: tuple[str, ...] | None = None
    must_change_password: bool = False  # after an administrator's reset
    identity: Identity = field(default_factory=Identity)

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


def user_from_row(row: Any) -> User:
    """The account of a row holding every column of `users` (joined to another table too)."""
    return User(
        row.id,
        row.login,
        row.name,
        Role(row.role),
        row.active,
        row.unit,
        _aware(row.locked_until),
        row.region,
        must_change_password=row.must_change_password,
        identity=Identity(
            row.email,
            row.proconnect_sub,
            row.siret,
            row.given_name,
            row.family_name,
            row.matricule,
        ),
    )


def add_user(
    engine: Engine,
    login: str,
    name: str,
    role: Role,
    password: str,
    unit: str = "",
    region: str = "",
    identity: Identity | None = None,
) -> User:
    """A new account; with `identity` (an approved ProConnect request, its `sub` included)
    written in the same statement, so that no account exists half made."""
    login = login.strip().lower()
    if not LOGIN.match(login):
        raise AccountError("Identifiant invalide : lettres minuscules, chiffres, . _ @ -")
    if not name.strip():
        raise AccountError("Le nom est obligatoire.")
    if problem := password_problem(password, login):
        raise AccountError(problem)
    if region and region not in REGIONS:
        raise AccountError("Région inconnue.")
    who = identity or Identity()
    check_identity(who)
    if who.email and (others := find_by_email(engine, who.email)):  # one account per email
        raise AccountError(f"Cette adresse est déjà celle du compte {others[0].login}.", "email")
    try:
        with engine.begin() as connection:
            new_id = connection.execute(
                insert(users).values(
                    email=who.email.strip().lower(),
                    proconnect_sub=who.proconnect_sub,
                    siret=who.siret,
                    given_name=who.given_name.strip(),
                    family_name=who.family_name.strip(),
                    matricule=who.matricule.strip().upper(),
                    login=login,
                    name=name.strip(),
                    role=role.value,
                    password_hash=_hasher.hash(password),
                    active=True,
                    unit=unit.strip(),
                    region=region,
                    created_at=datetime.now(UTC),
                    must_change_password=False,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
    except IntegrityError:
        if who.proconnect_sub and find_by_proconnect(engine, who.proconnect_sub):
            raise AccountError("Cette identité ProConnect a déjà un compte.") from None
        raise AccountError(f"L'identifiant {login} existe déjà.") from None
    made = get_user(engine, int(new_id))
    assert made is not None
    return made


MAX_FAILURES = 5  # consecutive wrong passwords before the account is locked
LOCKOUT = timedelta(minutes=15)


@dataclass(frozen=True)
class Attempt:
    """The outcome of a sign-in: `user` on success; otherwise what the audit log needs."""

    user: User | None
    account_id: int | None = None  # the account the login names, if it exists
    locked_until: datetime | None = None  # the account is (now) locked until then
    newly_locked: bool = False  # this attempt locked it


def authenticate(engine: Engine, login: str, password: str, now: datetime) -> Attempt:
    """Check a password, counting consecutive failures: the 5th locks the account 15 min.

    The hash is verified whatever happens (unknown login, locked account), so the time of an
    answer tells nothing. A locked account refuses even the right password until the lock
    ends or an administrator reactivates it.
    """
    with engine.connect() as connection:
        row = connection.execute(
            select(users).where(users.c.login == login.strip().lower())
        ).first()
    try:
        _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
        correct = row is not None
    except (VerificationError, InvalidHashError):
        correct = False
    if row is None:
        return Attempt(None)
    locked_until = _aware(row.locked_until)
    if locked_until is not None and locked_until > now:
        return Attempt(None, row.id, locked_until)
    if correct and row.active:
        if row.failed_logins or row.locked_until:
            _set_failures(engine, row.id, 0, None)
        return Attempt(user_from_row(row), row.id)
    with engine.begin() as connection:  # counted in the database: several workers share it
        failures = connection.execute(
            update(users)
            .where(users.c.id == row.id)
            .values(failed_logins=users.c.failed_logins + 1)
            .returning(users.c.failed_logins)
        ).scalar_one()
    if failures < MAX_FAILURES:
        return Attempt(None, row.id)
    _set_failures(engine, row.id, 0, now + LOCKOUT)
    return Attempt(None, row.id, now + LOCKOUT, newly_locked=True)


def _set_failures(engine: Engine, user_id: int, failures: int, until: datetime | None) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(failed_logins=failures, locked_until=until)
        )


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back; they were written in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def get_user(engine: Engine, user_id: int) -> User | None:
    with engine.connect() as connection:
        row = connection.execute(select(users).where(users.c.id == user_id)).first()
    return None if row is None else user_from_row(row)


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as connection:
        return [user_from_row(r) for r in connection.execute(select(users).order_by(users.c.login))]


def set_active(engine: Engine, user_id: int, active: bool) -> None:
    """(De)activate an account; deactivating ends its sessions (reactivating opens none of
    them again); reactivating also lifts a sign-in lock."""
    values: dict[str, object] = {"active": active}
    if active:
        values |= {"failed_logins": 0, "locked_until": None}
    with engine.begin() as connection:
        connection.execute(update(users).where(users.c.id == user_id).values(**values))
    if not active:
        end_sessions_of(engine, user_id)


def change_password(
    engine: Engine, user_id: int, current: str, new: str, confirmation: str, keep: str
) -> None:
    """The signed-in user's own change: every other session of hers ends, `keep` (the
    session making the change) stays open."""
    with engine.connect() as connection:
        row = connection.execute(select(users).where(users.c.id == user_id)).one()
    try:
        _hasher.verify(row.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise AccountError("Le mot de passe actuel est incorrect.") from None
    if new != confirmation:
        raise AccountError("La confirmation ne correspond pas au nouveau mot de passe.")
    if new == current:
        raise AccountError("Le nouveau mot de passe doit être différent de l'actuel.")
    if problem := password_problem(new, row.login):
        raise AccountError(problem)
    _set_password(engine, user_id, new, must_change=False)
    end_sessions_of(engine, user_id, keep=keep)


def password_fingerprints(engine: Engine) -> dict[int, str]:
    """Per account, a short digest of its current password hash: a reset form carries the one
    it was rendered with, so that sending it again (a reload of the answer) does not make a
    second temporary password behind the one already handed over."""
    with engine.connect() as connection:
        rows = connection.execute(select(users.c.id, users.c.password_hash)).all()
    return {row.id: hashlib.sha256(row.password_hash.encode()).hexdigest()[:16] for row in rows}


def reset_password(engine: Engine, user_id: int) -> str:
    """An administrator's reset: a temporary password, generated (never one a person picks
    and reuses), shown once; it must be changed at the next sign-in. Every session ends."""
    temporary = "-".join(secrets.token_hex(3) for _ in range(3))  # 20 characters, easy to read
    _set_password(engine, user_id, temporary, must_change=True)
    end_sessions_of(engine, user_id)
    return temporary


def _set_password(engine: Engine, user_id: int, password: str, must_change: bool) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(
                password_hash=_hasher.hash(password),
                must_change_password=must_change,
                failed_logins=0,
                locked_until=None,
            )
        )


def set_region(engine: Engine, user_id: int, region: str) -> None:
    if region and region not in REGIONS:
        raise AccountError("Région inconnue.")
    with engine.begin() as connection:
        connection.execute(update(users).where(users.c.id == user_id).values(region=region))


def count_users(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(users)).scalar_one())


EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
SIRET = re.compile(r"[0-9]{14}")  # ASCII digits: str.isdigit() takes "１２…" too
MATRICULE = re.compile(r"^[A-Za-z0-9-]{1,20}$")


def set_identity(engine: Engine, user_id: int, identity: Identity) -> None:
    """An administrator's edit of who the agent is (ProConnect's `sub` is left as bound)."""
    check_identity(identity)
    others = [u for u in find_by_email(engine, identity.email) if u.id != user_id]
    if identity.email and others:  # ProConnect's first sign-in must find one account
        raise AccountError(f"Cette adresse est déjà celle du compte {others[0].login}.", "email")
    with engine.begin() as connection:
        connection.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(
                email=identity.email.strip().lower(),
                siret=identity.siret,
                given_name=identity.given_name.strip(),
                family_name=identity.family_name.strip(),
                matricule=identity.matricule.strip().upper(),
            )
        )


def check_identity(identity: Identity) -> None:
    """Refuse, in French, what no administration gives: checked before anything is written.
    The error names the field it is about (the admin's form shows it under that field)."""
    if identity.email and not EMAIL.match(identity.email):
        raise AccountError("Adresse électronique invalide.", "email")
    if identity.email and len(identity.email) > 200:
        raise AccountError("Adresse électronique trop longue (200 caractères au plus).", "email")
    if identity.siret and not SIRET.fullmatch(identity.siret):
        raise AccountError("Le SIRET compte 14 chiffres.", "siret")
    if identity.matricule and not MATRICULE.match(identity.matricule):
        raise AccountError(
            "RIO / matricule invalide : 20 lettres, chiffres ou tirets au plus.", "matricule"
        )
    for name, label, value in (
        ("given_name", "prénom", identity.given_name),
        ("family_name", "nom", identity.family_name),
    ):
        if len(value) > 100:
            raise AccountError(f"Le {label} dépasse 100 caractères.", name)


def find_by_proconnect(engine: Engine, sub: str) -> User | None:
    with engine.connect() as connection:
        row = connection.execute(select(users).where(users.c.proconnect_sub == sub)).first()
    return None if row is None else user_from_row(row)


def find_by_email(engine: Engine, email: str) -> list[User]:
    """The accounts an administrator gave this email (ProConnect's first sign-in)."""
    with engine.connect() as connection:
        rows = connection.execute(select(users).where(users.c.email == email.strip().lower()))
        return [user_from_row(row) for row in rows]


def bind_proconnect(engine: Engine, user_id: int, sub: str, found: Identity) -> bool:
    """Bind ProConnect's `sub` to an account that has none yet, filling the identity's blank
    fields from what ProConnect gave; False if another sign-in bound it meanwhile."""
    account = get_user(engine, user_id)
    if account is None:
        return False
    mine = account.identity
    try:
        with engine.begin() as connection:
            result = connection.execute(
                update(users)
                .where(users.c.id == user_id, users.c.proconnect_sub.is_(None))
                .values(
                    proconnect_sub=sub,
                    siret=mine.siret or found.siret,
                    given_name=mine.given_name or found.given_name[:100],
                    family_name=mine.family_name or found.family_name[:100],
                )
            )
    except IntegrityError:  # this sub bound to another account meanwhile (unique)
        return False
    return bool(result.rowcount)


def unbind_proconnect(engine: Engine, user_id: int) -> None:
    """An administrator's unbinding: the next ProConnect sign-in matches by email again. The
    account's sessions end (one opened through ProConnect would otherwise outlive it)."""
    with engine.begin() as connection:
        connection.execute(update(users).where(users.c.id == user_id).values(proconnect_sub=None))
    end_sessions_of(engine, user_id)
