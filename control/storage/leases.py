"""A job for one server process among several, decided in the database (no process-local
state: `lic-control serve` runs several workers, maybe on several machines)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, insert, update
from sqlalchemy.exc import IntegrityError

from control.storage.schema import leases


def take_lease(engine: Engine, name: str, holder: str, now: datetime, hold: timedelta) -> bool:
    """True if `holder` now holds `name` until `now + hold`: the lease was free (never taken,
    or expired; even its own holder waits for the end). One conditional UPDATE (or the
    first INSERT), so two processes asking at once cannot both get it, on SQLite as on
    PostgreSQL."""
    until = now + hold
    with engine.begin() as connection:
        taken = connection.execute(
            update(leases)
            .where(leases.c.name == name, leases.c.until <= now)
            .values(holder=holder, until=until)
        )
        if taken.rowcount == 1:
            return True
    try:
        with engine.begin() as connection:
            connection.execute(insert(leases).values(name=name, holder=holder, until=until))
    except IntegrityError:  # the row exists, held by another
        return False
    return True
