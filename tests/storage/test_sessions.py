"""Sessions in the database: found by the cookie's id, stored hashed, ended for good."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select

from control.storage.schema import sessions
from control.storage.sessions import (
    end_session,
    end_sessions_of,
    find_session,
    open_session,
    sweep,
)
from control.storage.users import Role, add_user, set_active

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
SHIFT = timedelta(hours=12)
IDLE = timedelta(minutes=60)


def _agent(engine: Engine) -> int:
    return add_user(engine, "c.martin", "Claire Martin", Role.AGENT, "correct horse battery").id


def test_a_session_is_found_by_its_id_only(engine: Engine) -> None:
    opened = open_session(engine, _agent(engine), NOW, SHIFT)
    found = find_session(engine, opened.token, NOW, IDLE)
    assert found == opened
    assert find_session(engine, opened.token + "x", NOW, IDLE) is None
    with engine.connect() as connection:
        stored = connection.execute(select(sessions)).one()
    assert opened.token not in stored  # only its sha256 is kept


def test_each_request_moves_the_idle_limit(engine: Engine) -> None:
    opened = open_session(engine, _agent(engine), NOW, SHIFT)
    later = NOW + timedelta(minutes=50)
    assert find_session(engine, opened.token, later, IDLE) is not None
    assert find_session(engine, opened.token, later + timedelta(minutes=50), IDLE) is not None
    assert find_session(engine, opened.token, later + timedelta(minutes=111), IDLE) is None


def test_a_session_ends_at_its_lifetime(engine: Engine) -> None:
    opened = open_session(engine, _agent(engine), NOW, SHIFT)
    moment = NOW
    while moment < NOW + SHIFT - timedelta(minutes=30):  # busy all shift long
        moment += timedelta(minutes=30)
        assert find_session(engine, opened.token, moment, IDLE) is not None
    assert find_session(engine, opened.token, NOW + SHIFT, IDLE) is None


def test_ending_sessions(engine: Engine) -> None:
    user = _agent(engine)
    one, two, three = (open_session(engine, user, NOW, SHIFT) for _ in range(3))
    end_session(engine, one.token)
    assert find_session(engine, one.token, NOW, IDLE) is None
    end_sessions_of(engine, user, keep=two.token)
    assert find_session(engine, two.token, NOW, IDLE) is not None
    assert find_session(engine, three.token, NOW, IDLE) is None


def test_deactivating_an_account_ends_its_sessions(engine: Engine) -> None:
    user = _agent(engine)
    opened = open_session(engine, user, NOW, SHIFT)
    set_active(engine, user, False)
    set_active(engine, user, True)
    assert find_session(engine, opened.token, NOW, IDLE) is None


def test_the_sweep_deletes_ended_sessions_only(engine: Engine) -> None:
    user = _agent(engine)
    open_session(engine, user, NOW - SHIFT, SHIFT)  # expired
    open_session(engine, user, NOW - timedelta(hours=2), SHIFT)  # idle
    live = open_session(engine, user, NOW, SHIFT)
    assert sweep(engine, NOW, IDLE) == 2
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(sessions)).scalar_one() == 1
    assert find_session(engine, live.token, NOW, IDLE) is not None
