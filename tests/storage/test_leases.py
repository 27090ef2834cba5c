"""The daily purge is taken by one server process among several: a lease row in the
database, free again only when it ends."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from control.storage.leases import take_lease
from tests.at_once import at_once

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
DAY = timedelta(hours=24)


def test_one_process_takes_the_day_and_the_others_find_it_taken(engine: Engine) -> None:
    assert take_lease(engine, "purge", "worker-1", NOW, DAY)
    assert not take_lease(engine, "purge", "worker-2", NOW + timedelta(hours=1), DAY)
    assert not take_lease(engine, "purge", "worker-1", NOW + timedelta(hours=23), DAY)
    assert take_lease(engine, "purge", "worker-2", NOW + DAY, DAY)
    assert take_lease(engine, "other-job", "worker-1", NOW, DAY)  # leases are by name


def test_processes_asking_at_the_same_moment_get_it_once(engine: Engine) -> None:
    def ask() -> bool:
        return take_lease(engine, "purge", f"worker-{threading.get_ident()}", NOW, DAY)

    won, errors = at_once(ask)
    assert errors == []
    assert sorted(won) == [False, False, False, True]
