"""Signed-in sessions kept in the database, so that signing out, a deactivation or a password
change ends them for good (a copied cookie then opens nothing), whatever worker serves it.

The cookie carries a random id; the table keeps only its sha256, so reading the database
(a backup, say) gives no usable session. A session ends at `expires_at` (its absolute
lifetime, a shift) or after `idle` without a request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine, bindparam, delete, insert, or_, select, update

from control.storage.schema import sessions, users

if TYPE_CHECKING:
    from control.storage.users import User

# last_seen_at is written at most this often: not a database write for every request
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Session:
    token: str  # the cookie's value, never stored as such
    user_id: int
    csrf: str
    user: User | None = field(default=None, compare=False)  # read with it by `find_session`


# Every request of a signed-in user asks for its session and account: one query, built once
# (building a statement costs more than SQLite answering it).
LIVE_SESSION = (
    select(
        users,
        sessions.c.id.label("session_id"),
        sessions.c.csrf.label("session_csrf"),
        sessions.c.last_seen_at.label("session_seen_at"),
    )
    .join_from(sessions, users, sessions.c.user_id == users.c.id)
    .where(sessions.c.token_hash == bindparam("token_hash"))
    .where(sessions.c.expires_at > bindparam("now"))
    .where(sessions.c.last_seen_at > bindparam("idle_since"))
)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(engine: Engine, user_id: int, now: datetime, lifetime: timedelta) -> Session:
    session = Session(secrets.token_urlsafe(32), user_id, secrets.token_urlsafe(32))
    with engine.begin() as connection:
        connection.execute(
            insert(sessions).values(
                token_hash=_hash(session.token),
                user_id=user_id,
                csrf=session.csrf,
                created_at=now,
                last_seen_at=now,
                expires_at=now + lifetime,
            )
        )
    return session


def find_session(engine: Engine, token: str, now: datetime, idle: timedelta) -> Session | None:
    """The live session of this cookie with its account, its last request moved to `now`;
    None if it ended."""
    values = {"token_hash": _hash(token), "now": now, "idle_since": now - idle}
    with engine.connect() as connection:
        row = connection.execute(LIVE_SESSION, values).first()
    if row is None:
        return None
    if _aware(row.session_seen_at) <= now - TOUCH_EVERY:
        with engine.begin() as connection:
            connection.execute(
                update(sessions).where(sessions.c.id == row.session_id).values(last_seen_at=now)
            )
    from control.storage.users import user_from_row  # that module imports this one

    user = user_from_row(row)
    return Session(token, user.id, row.session_csrf, user)


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; they were written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def end_session(engine: Engine, token: str) -> None:
    with engine.begin() as connection:
        connection.execute(delete(sessions).where(sessions.c.token_hash == _hash(token)))


def end_sessions_of(engine: Engine, user_id: int, keep: str | None = None) -> None:
    """End every session of a user, but `keep` (the one changing its own password)."""
    query = delete(sessions).where(sessions.c.user_id == user_id)
    if keep is not None:
        query = query.where(sessions.c.token_hash != _hash(keep))
    with engine.begin() as connection:
        connection.execute(query)


def sweep(engine: Engine, now: datetime, idle: timedelta) -> int:
    """Delete ended sessions (done at each sign-in: one indexed delete, no background job)."""
    with engine.begin() as connection:
        result = connection.execute(
            delete(sessions).where(
                or_(sessions.c.expires_at <= now, sessions.c.last_seen_at <= now - idle)
            )
        )
    return int(result.rowcount or 0)
