"""Access requests left by agents ProConnect identified but who have no account here yet.

One per ProConnect `sub`: signing in again refreshes its date, never stacks another. An
administrator's answer deletes it (approved: the account now holds the identity; refused:
nothing of it is kept). One left unanswered is deleted REQUEST_DAYS after the agent's last
sign-in (the daily retention pass): a name and an address are not kept for a request nobody
is handling (RGPD art. 5(1)(e)); the agent who still needs an account signs in again.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from control.storage.schema import access_requests
from control.storage.users import SIRET, Identity

REQUEST_DAYS = 90


@dataclass(frozen=True)
class AccessRequest:
    id: int
    identity: Identity  # its proconnect_sub is the requester's
    requested_at: datetime

    @property
    def fingerprint(self) -> str:
        """Who asked, as the approval form carries it (SQLite may give a number again)."""
        sub = self.identity.proconnect_sub or ""
        return hashlib.sha256(sub.encode()).hexdigest()[:32]


def request_access(engine: Engine, identity: Identity, now: datetime) -> int:
    """The request of this `sub`, made or its date refreshed; its number."""
    values = {
        "email": identity.email.strip().lower()[:200],
        "siret": identity.siret if SIRET.fullmatch(identity.siret) else "",
        "given_name": identity.given_name.strip()[:100],
        "family_name": identity.family_name.strip()[:100],
        "requested_at": now,
    }
    sub = identity.proconnect_sub
    try:
        with engine.begin() as connection:
            connection.execute(insert(access_requests).values(proconnect_sub=sub, **values))
    except IntegrityError:  # asked before: the latest identity and date
        with engine.begin() as connection:
            connection.execute(
                update(access_requests)
                .where(access_requests.c.proconnect_sub == sub)
                .values(**values)
            )
    with engine.connect() as connection:
        return int(
            connection.execute(
                select(access_requests.c.id).where(access_requests.c.proconnect_sub == sub)
            ).scalar_one()
        )


def _request(row: Any) -> AccessRequest:
    moment = row.requested_at
    return AccessRequest(
        row.id,
        Identity(row.email, row.proconnect_sub, row.siret, row.given_name, row.family_name),
        moment if moment.tzinfo else moment.replace(tzinfo=UTC),  # SQLite's are naive, UTC
    )


def list_requests(engine: Engine) -> list[AccessRequest]:
    with engine.connect() as connection:
        rows = connection.execute(select(access_requests).order_by(access_requests.c.id))
        return [_request(row) for row in rows]


def get_request(engine: Engine, request_id: int) -> AccessRequest | None:
    with engine.connect() as connection:
        row = connection.execute(
            select(access_requests).where(access_requests.c.id == request_id)
        ).first()
    return None if row is None else _request(row)


def drop_request(engine: Engine, request_id: int) -> None:
    with engine.begin() as connection:
        connection.execute(delete(access_requests).where(access_requests.c.id == request_id))


def take_request(engine: Engine, request_id: int, fingerprint: str) -> AccessRequest | None:
    """The request answered now: deleted and returned, or None when another answer came
    first (a double submit, another administrator) or the number is now someone else's."""
    with engine.begin() as connection:
        row = connection.execute(
            select(access_requests).where(access_requests.c.id == request_id)
        ).first()
        if row is None:
            return None
        asked = _request(row)
        if not hmac.compare_digest(asked.fingerprint, fingerprint):
            return None
        gone = connection.execute(
            delete(access_requests).where(
                access_requests.c.id == request_id,
                access_requests.c.proconnect_sub == row.proconnect_sub,
            )
        )
    return asked if gone.rowcount == 1 else None


def restore_request(engine: Engine, asked: AccessRequest) -> None:
    """An approval that failed (a login taken): the request is listed again, as it was."""
    request_access(engine, asked.identity, asked.requested_at)


def drop_stale_requests(engine: Engine, now: datetime, *, dry_run: bool = False) -> int:
    """Delete the requests left unanswered REQUEST_DAYS since the agent last signed in."""
    stale = access_requests.c.requested_at < now - timedelta(days=REQUEST_DAYS)
    with engine.begin() as connection:
        if dry_run:
            return len(connection.execute(select(access_requests.c.id).where(stale)).all())
        return int(connection.execute(delete(access_requests).where(stale)).rowcount)
