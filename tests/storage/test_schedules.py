"""The service schedule of a control: one per control, corrected in place, purged with it."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import Engine

from control.paper.schedule import ScheduledDay, ServiceSchedule, Span
from control.paper.schedule_check import StatedActivity
from control.record.model import Sector
from control.storage.controls import ControlKind, NewControl, save_control
from control.storage.retention import purge
from control.storage.schedules import get_schedule, save_schedule
from control.storage.users import Role, User, add_user

NOW = datetime(2026, 11, 25, 9, 40, tzinfo=UTC)


def schedule(number: str = "H-12") -> ServiceSchedule:
    lines = tuple(
        ScheduledDay(n, Span(time(6), time(14)), (Span(time(10), time(10, 30)),)) for n in range(5)
    )
    return ServiceSchedule(number, "Cars du Vercors", "Inès Roux", "Ligne 12", lines, "298412974")


@pytest.fixture
def agent(engine: Engine) -> User:
    return add_user(engine, "agent1", "Agent Un", Role.AGENT, "a long password")


@pytest.fixture
def control_id(engine: Engine, agent: User) -> int:
    return save_control(engine, NewControl(agent.id, ControlKind.SCHEDULE, NOW, "38", "Vif"))


def test_a_control_without_schedule_has_none(engine: Engine, control_id: int) -> None:
    assert get_schedule(engine, control_id) is None


def test_a_schedule_is_kept_with_the_activity_and_sector(
    engine: Engine, agent: User, control_id: int
) -> None:
    save_schedule(engine, control_id, schedule(), StatedActivity.WORK, agent.id, Sector.REMOVALS)
    stored = get_schedule(engine, control_id)
    assert stored is not None
    assert stored.schedule == schedule()
    assert (stored.stated, stored.sector) == (StatedActivity.WORK, Sector.REMOVALS)


def test_a_schedule_is_corrected_in_place(engine: Engine, agent: User, control_id: int) -> None:
    save_schedule(engine, control_id, schedule("H-12"), StatedActivity.WORK, agent.id)
    save_schedule(engine, control_id, schedule("H-13"), StatedActivity.REST, agent.id)
    stored = get_schedule(engine, control_id)
    assert stored is not None
    assert (stored.schedule.number, stored.stated) == ("H-13", StatedActivity.REST)


def test_the_schedule_is_purged_with_its_control(
    engine: Engine, agent: User, control_id: int
) -> None:
    save_schedule(engine, control_id, schedule(), StatedActivity.DRIVING, agent.id)
    result = purge(engine, NOW + timedelta(days=1))
    assert result.controls == 1
    assert get_schedule(engine, control_id) is None
