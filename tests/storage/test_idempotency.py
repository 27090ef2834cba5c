"""A control recorded offline and synced with the device's key is recorded exactly once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select

from control.storage.controls import (
    ControlKind,
    IdempotencyConflictError,
    NewControl,
    save_control_once,
)
from control.storage.schema import controls
from control.storage.users import Role, User, add_user
from tests.at_once import at_once

AT = datetime(2026, 11, 25, 9, 40, tzinfo=UTC)
KEY = "device-7f3a9c1e-0001"


@pytest.fixture
def agent(engine: Engine) -> User:
    return add_user(engine, "agent1", "Agent Un", Role.AGENT, "a long password")


def control(agent: User, commune: str = "Vif") -> NewControl:
    return NewControl(agent.id, ControlKind.PAPER, AT, "38", commune)


def count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(controls)).scalar_one())


def test_a_replay_gets_the_control_already_recorded(engine: Engine, agent: User) -> None:
    first = save_control_once(engine, control(agent), KEY, "digest-1")
    again = save_control_once(engine, control(agent), KEY, "digest-1")
    assert first == (first[0], True)
    assert again == (first[0], False)
    assert count(engine) == 1


def test_the_same_key_with_another_content_is_refused(engine: Engine, agent: User) -> None:
    save_control_once(engine, control(agent), KEY, "digest-1")
    with pytest.raises(IdempotencyConflictError, match="avec un autre contenu"):
        save_control_once(engine, control(agent, "Voiron"), KEY, "digest-2")
    assert count(engine) == 1


def test_keys_belong_to_their_agent(engine: Engine, agent: User) -> None:
    other = add_user(engine, "agent2", "Agent Deux", Role.AGENT, "another password")
    save_control_once(engine, control(agent), KEY, "d")
    save_control_once(engine, control(other), KEY, "d")
    assert count(engine) == 2


def test_controls_without_a_key_are_all_recorded(engine: Engine, agent: User) -> None:
    save_control_once(engine, control(agent))
    save_control_once(engine, control(agent))
    assert count(engine) == 2


def test_two_syncs_at_the_same_moment_record_once(engine: Engine, agent: User) -> None:
    results, errors = at_once(lambda: save_control_once(engine, control(agent), KEY, "d"))
    assert errors == []
    assert count(engine) == 1
    assert len({control_id for control_id, _ in results}) == 1
    assert sorted(created for _, created in results) == [False, False, False, True]


def test_syncs_at_the_same_moment_again_and_again_wait_for_each_other(
    engine: Engine, agent: User
) -> None:
    for key in ("device-1", "device-2", "device-3"):  # later rounds reuse pooled connections
        _, errors = at_once(lambda: save_control_once(engine, control(agent), key, "d"))  # noqa: B023
        assert errors == []
    assert count(engine) == 3
