"""A bulletin to and from its JSON content (what the database keeps, what is signed)."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from control.bulletins.canonical import canonical_json
from control.bulletins.model import (
    Bulletin,
    BulletinDriver,
    Company,
    HandOver,
    Infraction,
    Transport,
    TransportKind,
    Vehicle,
)


def to_json(bulletin: Bulletin) -> dict[str, Any]:
    return json.loads(canonical_json(bulletin))  # type: ignore[no-any-return]


def _infraction(data: dict[str, Any]) -> Infraction:
    """A bulletin issued before the NATINF texts has no `defined_by`, `punished_by` nor
    `per_employee`: they stay empty, as they were when it was signed."""
    return Infraction(
        data["natinf"],
        data["klass"],
        data["count"],
        tuple(date.fromisoformat(d) for d in data["dates"]),
        data["qualification"],
        tuple(data["legal"]),
        tuple(data.get("defined_by", ())),
        tuple(data.get("punished_by", ())),
        data.get("per_employee"),
    )


def from_json(data: dict[str, Any]) -> Bulletin:
    driver = data["driver"]
    return Bulletin(
        number=data["number"],
        version=data["version"],
        control_date=date.fromisoformat(data["control_date"]),
        start_time=time.fromisoformat(data["start_time"]),
        end_time=time.fromisoformat(data["end_time"]),
        departement=data["departement"],
        commune=data["commune"],
        place=data["place"],
        driver=BulletinDriver(
            driver["family_name"],
            driver["given_name"],
            date.fromisoformat(driver["birth_date"]) if driver["birth_date"] else None,
            driver["nationality"],
        ),
        company=Company(**data["company"]),
        transport=Transport(
            **{**data["transport"], "kind": TransportKind(data["transport"]["kind"])}
        ),
        vehicle=Vehicle(**data["vehicle"]),
        agent=data["agent"],
        hand_over=HandOver(data["hand_over"]),
        issued_at=datetime.fromisoformat(data["issued_at"]),
        infractions=tuple(_infraction(i) for i in data["infractions"]),
        observations=data["observations"],
        previous_version=data["previous_version"],
    )
