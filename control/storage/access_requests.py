"""Access requests left by agents ProConnect identified but who have no account here yet.

One per ProConnect `sub`: signing in again refreshes its date, never stacks another. An
administrator's answer deletes it (approved: the account now holds the identity; refused:
nothing of it is kept).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from control.storage.schema import access_requests
from control.storage.users import Identity


@dataclass(frozen=True)
class AccessRequest:
    id: int
    identity: Identity  # its proconnect_sub is the requester's
    requested_at: datetime


def request_access(engine: Engine, identity: Identity, now: datetime) -> int:
    """The request of this `sub`, made or its date refreshed; its number."""
    values = {
        "email": identity.email.strip().lower()[:200],
        "siret": identity.siret if identity.siret.isdigit() and len(identity.siret) == 14 else "",
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
