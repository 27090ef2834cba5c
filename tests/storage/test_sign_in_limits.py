"""Failed sign-ins per address, in the database: counted in a sliding window of 10 minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select

from control.storage.schema import sign_in_failures
from control.storage.sign_in_limits import ADDRESS_LIMIT, WINDOW, record_failure, retry_after

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def test_an_address_over_the_limit_waits_until_its_oldest_failure_ages_out(
    engine: Engine,
) -> None:
    for n in range(ADDRESS_LIMIT):
        assert retry_after(engine, "192.0.2.1", NOW) == 0
        record_failure(engine, "192.0.2.1", NOW + timedelta(seconds=n))
    later = NOW + timedelta(seconds=ADDRESS_LIMIT)
    assert retry_after(engine, "192.0.2.1", later) == (WINDOW - timedelta(seconds=20)).seconds
    assert retry_after(engine, "192.0.2.2", later) == 0  # another address
    assert retry_after(engine, "192.0.2.1", NOW + WINDOW) == 0


def test_failures_out_of_the_window_are_forgotten(engine: Engine) -> None:
    for n in range(5):
        record_failure(engine, f"192.0.2.{n}", NOW)
    record_failure(engine, "192.0.2.9", NOW + WINDOW)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(sign_in_failures)).scalar() == 1
