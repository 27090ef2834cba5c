"""The service schedule recorded at a control of that type: one per control, editable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert, select, update

from control.paper.schedule import ServiceSchedule, from_json, to_json
from control.paper.schedule_check import StatedActivity
from control.record.model import Sector
from control.storage.schema import service_schedules


@dataclass(frozen=True)
class StoredSchedule:
    control_id: int
    schedule: ServiceSchedule
    stated: StatedActivity  # what the driver was doing when stopped
    sector: Sector  # the employer's, as the agent chose it: the rules' limits depend on it


def get_schedule(engine: Engine, control_id: int) -> StoredSchedule | None:
    query = select(service_schedules).where(service_schedules.c.control_id == control_id)
    with engine.connect() as connection:
        row = connection.execute(query).first()
    return None if row is None else _stored(row)


def _stored(row: Any) -> StoredSchedule:
    data = dict(row.data)
    sector = Sector(data.pop("sector", Sector.PASSENGERS.value))
    return StoredSchedule(
        row.control_id, from_json(data), StatedActivity(row.stated_activity), sector
    )


def save_schedule(
    engine: Engine,
    control_id: int,
    schedule: ServiceSchedule,
    stated: StatedActivity,
    agent_id: int,
    sector: Sector = Sector.PASSENGERS,
) -> None:
    """Record the control's schedule, or replace the one recorded."""
    values = {
        "data": {**to_json(schedule), "sector": sector.value},
        "stated_activity": stated.value,
        "agent_id": agent_id,
        "updated_at": datetime.now(UTC),
    }
    with engine.begin() as connection:
        changed = connection.execute(
            update(service_schedules)
            .where(service_schedules.c.control_id == control_id)
            .values(**values)
        ).rowcount
        if not changed:
            connection.execute(insert(service_schedules).values(control_id=control_id, **values))
