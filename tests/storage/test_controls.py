"""Controls are kept with their findings, as retained or discarded by the agent."""

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import Engine

from control.storage import schema
from control.storage.controls import (
    ControlKind,
    KeptFinding,
    NewControl,
    controls_with_code,
    get_control,
    list_controls,
    save_control,
)
from control.storage.users import Role, add_user

PARIS_WINTER = timezone(timedelta(hours=1))


def control(agent: int, **changes: object) -> NewControl:
    values: dict[str, object] = {
        "agent_id": agent,
        "kind": ControlKind.ELECTRONIC,
        "occurred_at": datetime(2026, 11, 25, 10, 40, tzinfo=PARIS_WINTER),
        "departement": "69",
        "commune": "Lyon",
        "plate": "AB-123-CD",
        "verdict": "valid",
        "cti": "00ff",
        "findings": (
            KeptFinding("20525", "daily-rest", ("2026-11-10",), "Repos…", True),
            KeptFinding("35187", "breaks", ("2026-11-12",), "Pause…", False),
        ),
        "manual_natinf": ("23103",),
        "record": {"days": []},
    }
    values.update(changes)
    return NewControl(**values)  # type: ignore[arg-type]


def test_a_saved_control_comes_back_as_it_was(engine: Engine) -> None:
    agent = add_user(engine, "agent1", "Agent Un", Role.AGENT, "a long password")
    new = control(agent.id)
    saved = get_control(engine, save_control(engine, new))
    assert saved is not None
    assert saved.findings == new.findings
    assert saved.manual_natinf == ("23103",)
    assert saved.occurred_at == new.occurred_at
    assert saved.record == {"days": []}
    assert saved.kind is ControlKind.ELECTRONIC


def test_an_agent_sees_their_controls_newest_first(engine: Engine) -> None:
    one = add_user(engine, "agent1", "Agent Un", Role.AGENT, "a long password")
    two = add_user(engine, "agent2", "Agent Deux", Role.AGENT, "a long password")
    early = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    save_control(engine, control(one.id, occurred_at=early))
    late = save_control(engine, control(one.id))
    save_control(engine, control(two.id))
    mine, _ = list_controls(engine, schema.controls.c.agent_id == one.id)
    assert mine[0].id == late
    assert {c.agent_id for c in mine} == {one.id}
    everything, total = list_controls(engine)
    assert len(everything) == total == 3


def test_a_code_shown_twice_is_found_by_its_cti(engine: Engine) -> None:
    agent = add_user(engine, "agent1", "Agent Un", Role.AGENT, "a long password")
    first = save_control(engine, control(agent.id, cti="abcd"))
    save_control(engine, control(agent.id, cti="ef01"))
    assert controls_with_code(engine, "abcd") == [first]
    assert controls_with_code(engine, "9999") == []


def test_a_paper_control_has_no_code(engine: Engine) -> None:
    agent = add_user(engine, "agent1", "Agent Un", Role.AGENT, "a long password")
    paper = control(
        agent.id, kind=ControlKind.PAPER, verdict=None, cti=None, record=None, findings=()
    )
    saved = get_control(engine, save_control(engine, paper))
    assert saved is not None
    assert saved.kind is ControlKind.PAPER
    assert saved.record is None
