"""Recorded controls: what the agent saw, kept, discarded and added."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Engine, bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError

from control.storage.schema import control_natinf, controls
from control.verify.verdicts import AUTHENTIC


class ControlKind(StrEnum):
    ELECTRONIC = "electronic"  # LIC électronique: a signed QR code was shown
    PAPER = "paper"  # LIC papier
    NONE = "none"  # pas de LIC présenté
    SCHEDULE = "schedule"  # horaire de service (annex I) instead of a LIC
    MOBILIC = "mobilic"  # a Mobilic code shown: consulted in Mobilic, not verifiable here


KIND_LABELS = {
    ControlKind.ELECTRONIC: "LIC électronique",
    ControlKind.PAPER: "LIC papier",
    ControlKind.NONE: "Pas de LIC",
    ControlKind.SCHEDULE: "Horaire de service",
    ControlKind.MOBILIC: "Mobilic (consultation en ligne)",
}


@dataclass(frozen=True)
class KeptFinding:
    natinf: str
    rule: str
    dates: tuple[str, ...]
    explanation: str
    retained: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "natinf": self.natinf,
            "rule": self.rule,
            "dates": list(self.dates),
            "explanation": self.explanation,
            "retained": self.retained,
        }


@dataclass(frozen=True)
class NewControl:
    agent_id: int
    kind: ControlKind
    occurred_at: datetime
    departement: str
    commune: str
    place: str = ""
    plate: str = ""
    notes: str = ""
    verdict: str | None = None
    issuer: str | None = None
    kid: str | None = None
    cti: str | None = None
    code_iat: datetime | None = None
    # a control synced from a tablet: the verdict as of its moment, when the tablet checked
    # the code without network; `verdict` is always the server's, at reception
    offline_verdict: str | None = None
    offline_checked_at: datetime | None = None
    driver_name: str = ""
    driver_id: str = ""
    employer_siren: str = ""
    employer_name: str = ""
    record: dict[str, Any] | None = None
    findings: tuple[KeptFinding, ...] = ()
    manual_natinf: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Control(NewControl):
    id: int = 0
    created_at: datetime = datetime.min

    def record_authentic(self) -> bool:
        """An electronic LIC whose kept record is the issuer's (signature verified by the
        server at reception, or by the tablet at the control's moment): what exports take."""
        return (
            self.kind is ControlKind.ELECTRONIC
            and self.record is not None
            and self.code_authentic()
        )

    def code_authentic(self) -> bool:
        """The code's signature verified under a trusted key (valid or merely expired)."""
        return bool({v.value for v in AUTHENTIC} & {self.verdict, self.offline_verdict})


class IdempotencyConflictError(ValueError):
    """The key was already used by this agent for a different control (`control_id`)."""

    def __init__(self, message: str, control_id: int) -> None:
        super().__init__(message)
        self.control_id = control_id


def save_control(engine: Engine, new: NewControl) -> int:
    return save_control_once(engine, new)[0]


def save_control_once(
    engine: Engine, new: NewControl, key: str | None = None, digest: str = ""
) -> tuple[int, bool]:
    """Record the control; with the device's idempotency `key`, only the first time: a
    replay gets the control already recorded (created = False). `digest` identifies what was
    sent; the same key with another digest is an IdempotencyConflictError."""
    if key is not None:
        earlier = _by_key(engine, new.agent_id, key)
        if earlier is not None:
            return _replayed(earlier, digest)
    try:
        return _insert(engine, new, key, digest), True
    except IntegrityError:
        if key is None:
            raise
        earlier = _by_key(engine, new.agent_id, key)  # sent twice at once: the other won
        if earlier is None:
            raise
        return _replayed(earlier, digest)


def _by_key(engine: Engine, agent_id: int, key: str) -> tuple[int, str] | None:
    query = select(controls.c.id, controls.c.idempotency_digest).where(
        controls.c.agent_id == agent_id, controls.c.idempotency_key == key
    )
    with engine.connect() as connection:
        row = connection.execute(query).first()
    return None if row is None else (row.id, row.idempotency_digest or "")


def _replayed(earlier: tuple[int, str], digest: str) -> tuple[int, bool]:
    control_id, kept = earlier
    if kept != digest:
        raise IdempotencyConflictError(
            f"Cette clé a déjà servi pour le contrôle n° {control_id}, avec un autre contenu.",
            control_id,
        )
    return control_id, False


def _insert(engine: Engine, new: NewControl, key: str | None, digest: str) -> int:
    values = {
        name: getattr(new, name)
        for name in NewControl.__dataclass_fields__
        if name not in ("findings", "manual_natinf", "kind")
    }
    for name in ("occurred_at", "code_iat", "offline_checked_at"):
        if values[name] is not None:
            values[name] = values[name].astimezone(UTC)
    values.update(
        kind=new.kind.value,
        findings=[f.to_json() for f in new.findings],
        manual_natinf=list(new.manual_natinf),
        created_at=datetime.now(UTC),
    )
    codes = {f.natinf for f in new.findings if f.retained and f.natinf} | set(new.manual_natinf)
    values["natinf_codes"] = " ".join(sorted(codes))
    values.update(idempotency_key=key, idempotency_digest=digest if key else None)
    with engine.begin() as connection:
        new_id = int(connection.execute(insert(controls).values(**values)).inserted_primary_key[0])  # type: ignore[index]
        if codes:  # what the search filters on: infractions retained or added by the agent
            connection.execute(
                insert(control_natinf), [{"control_id": new_id, "natinf": c} for c in sorted(codes)]
            )
    return new_id


def _control(row: Any) -> Control:
    data = dict(row._mapping)
    for column in ("natinf_codes", "idempotency_key", "idempotency_digest"):
        del data[column]  # the search's copy of control_natinf; the sync's bookkeeping
    data["kind"] = ControlKind(data["kind"])
    data["findings"] = tuple(
        KeptFinding(f["natinf"], f["rule"], tuple(f["dates"]), f["explanation"], f["retained"])
        for f in data["findings"]
    )
    data["manual_natinf"] = tuple(data["manual_natinf"])
    for name in ("occurred_at", "created_at", "code_iat", "offline_checked_at"):
        if data[name] is not None and data[name].tzinfo is None:
            data[name] = data[name].replace(tzinfo=UTC)  # SQLite drops the zone
    return Control(**data)


def get_control(engine: Engine, control_id: int) -> Control | None:
    with engine.connect() as connection:
        row = connection.execute(select(controls).where(controls.c.id == control_id)).first()
    return None if row is None else _control(row)


def list_controls(
    engine: Engine,
    condition: ColumnElement[bool] | None = None,
    *,
    offset: int = 0,
    limit: int = 200,
) -> tuple[list[Control], int]:
    """The controls meeting `condition` (a viewer's visibility: control/services/visibility),
    newest first, one page of them, and how many there are in all."""
    query = select(controls).order_by(controls.c.occurred_at.desc(), controls.c.id.desc())
    total = select(func.count()).select_from(controls)
    if condition is not None:
        query, total = query.where(condition), total.where(condition)
    with engine.connect() as connection:
        rows = [_control(r) for r in connection.execute(query.offset(offset).limit(limit))]
        return rows, int(connection.execute(total).scalar_one())


# asked at every verdict: built once (building a statement costs more than the indexed read)
WITH_CODE = select(controls.c.id).where(controls.c.cti == bindparam("cti")).order_by(controls.c.id)


def controls_with_code(engine: Engine, cti: str) -> list[int]:
    """Earlier controls where the same code (its `cti`) was shown."""
    with engine.connect() as connection:
        return [row.id for row in connection.execute(WITH_CODE, {"cti": cti})]


def controls_with_mobilic_code(engine: Engine, generated_at: datetime) -> list[int]:
    """Earlier Mobilic controls whose code claimed the same generation moment (to the
    microsecond): the same code shown again, a screenshot kept perhaps."""
    with engine.connect() as connection:
        return [
            r.id
            for r in connection.execute(
                select(controls.c.id)
                .where(controls.c.kind == ControlKind.MOBILIC.value)
                .where(controls.c.code_iat == generated_at)
                .order_by(controls.c.id)
            )
        ]
