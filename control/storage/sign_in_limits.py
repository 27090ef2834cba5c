"""Failed sign-ins per client address, in the database so every worker process counts them.

Two limits stop guessing, and neither shuts out an agent for good because of others:

- Per login (`control.storage.users.authenticate`): 5 consecutive wrong passwords lock the
  account for 15 minutes. This is what stops guessing one account's password, from any
  number of addresses.
- Per address (here): 20 failures in 10 minutes refuse further attempts from that address
  (429), which stops one machine trying one password on many accounts. Agents of a station
  behind one address share it, so an attempt carrying the "known device" cookie of the login it
  tries (`web.devices`: given to a browser where that login signed in before) is not held by
  this limit: colleagues and a guesser behind the same address cannot lock out an agent on
  her own tablet. The per-login lock still applies to her.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, func, insert, select

from control.storage.schema import sign_in_failures

ADDRESS_LIMIT = 20
WINDOW = timedelta(minutes=10)


def retry_after(engine: Engine, address: str, now: datetime) -> int:
    """0 if `address` may try now, else the seconds until its oldest counted failure ages out."""
    with engine.connect() as connection:
        count, oldest = connection.execute(
            select(func.count(), func.min(sign_in_failures.c.at))
            .where(sign_in_failures.c.address == address[:64])
            .where(sign_in_failures.c.at > now - WINDOW)
        ).one()
    if count < ADDRESS_LIMIT:
        return 0
    if oldest.tzinfo is None:  # SQLite gives naive datetimes back; they were written in UTC
        oldest = oldest.replace(tzinfo=UTC)
    return max(1, int((oldest + WINDOW - now).total_seconds() + 0.999))


def record_failure(engine: Engine, address: str, now: datetime) -> None:
    """Count one failure, and forget those out of the window (the table stays small)."""
    with engine.begin() as connection:
        connection.execute(delete(sign_in_failures).where(sign_in_failures.c.at <= now - WINDOW))
        connection.execute(insert(sign_in_failures).values(address=address[:64], at=now))
