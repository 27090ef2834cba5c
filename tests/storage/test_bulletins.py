"""Bulletins are numbered per agent and year, and a correction is a new version."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from control.bulletins.model import BulletinError
from control.bulletins.verify import check_pdf
from control.demo.bulletins import sample_bulletin
from control.pades.certs import SigningIdentity
from control.storage.bulletins import (
    by_token,
    for_control,
    issue,
    issue_once,
    load_draft,
    save_draft,
)
from control.storage.controls import ControlKind, NewControl, save_control
from control.storage.users import Role, add_user
from control.verify.keys import PrivateKey
from tests.at_once import at_once


@pytest.fixture
def agent_id(engine: Engine) -> int:
    return add_user(engine, "agent1", "Agent Un", Role.AGENT, "a long password").id


@pytest.fixture
def control_id(engine: Engine, agent_id: int) -> int:
    return save_control(
        engine,
        NewControl(agent_id, ControlKind.PAPER, datetime.now(UTC), "69", "Lyon"),
    )


def test_the_first_bulletin_is_number_one_of_the_year(
    engine: Engine,
    tmp_path: Path,
    control_id: int,
    agent_id: int,
    service_key: PrivateKey,
    pdf_identity: SigningIdentity,
) -> None:
    stored = issue(
        engine,
        tmp_path,
        service_key,
        control_id,
        agent_id,
        sample_bulletin(),
        identity=pdf_identity,
    )
    year = datetime.now(UTC).year
    assert stored.bulletin.number == f"000001-{year}-A17"
    assert stored.bulletin.version == 1
    assert check_pdf(stored.pdf_path.read_bytes(), pdf_identity.roots()).valid
    second = issue(
        engine,
        tmp_path,
        service_key,
        control_id,
        agent_id,
        sample_bulletin(),
        identity=pdf_identity,
    )
    assert second.bulletin.number == f"000002-{year}-A17"


def test_a_correction_is_version_two_and_the_first_is_kept(
    engine: Engine,
    tmp_path: Path,
    control_id: int,
    agent_id: int,
    service_key: PrivateKey,
    pdf_identity: SigningIdentity,
) -> None:
    first = issue(
        engine,
        tmp_path,
        service_key,
        control_id,
        agent_id,
        sample_bulletin(),
        identity=pdf_identity,
    )
    first_pdf = first.pdf_path.read_bytes()
    corrected = replace(sample_bulletin(), observations="Correction : heure de fin.")
    second = issue(
        engine,
        tmp_path,
        service_key,
        control_id,
        agent_id,
        corrected,
        previous=first,
        identity=pdf_identity,
    )
    assert second.bulletin.number == first.bulletin.number
    assert second.bulletin.version == 2
    assert second.bulletin.previous_version == 1
    assert second.previous_id == first.id
    assert first.pdf_path.read_bytes() == first_pdf
    assert [b.bulletin.version for b in for_control(engine, control_id)] == [1, 2]


def test_a_wrong_field_issues_nothing(
    engine: Engine,
    tmp_path: Path,
    control_id: int,
    agent_id: int,
    service_key: PrivateKey,
    pdf_identity: SigningIdentity,
) -> None:
    wrong = replace(sample_bulletin(), departement="99")
    with pytest.raises(BulletinError):
        issue(engine, tmp_path, service_key, control_id, agent_id, wrong, identity=pdf_identity)
    assert for_control(engine, control_id) == []


def test_the_driver_link_opens_until_it_expires(
    engine: Engine,
    tmp_path: Path,
    control_id: int,
    agent_id: int,
    service_key: PrivateKey,
    pdf_identity: SigningIdentity,
) -> None:
    stored = issue(
        engine,
        tmp_path,
        service_key,
        control_id,
        agent_id,
        sample_bulletin(),
        identity=pdf_identity,
    )
    now = datetime.now(UTC)
    assert by_token(engine, stored.driver_token, now) is not None
    assert by_token(engine, stored.driver_token, stored.driver_token_expires) is None
    assert by_token(engine, "not-a-token", now) is None


def test_a_draft_is_kept_between_steps(engine: Engine, control_id: int) -> None:
    assert load_draft(engine, control_id) == {}
    save_draft(engine, control_id, {"commune": "Lyon"})
    save_draft(engine, control_id, {"commune": "Lyon", "plate": "AB-123-CD"})
    assert load_draft(engine, control_id) == {"commune": "Lyon", "plate": "AB-123-CD"}


def test_a_bulletin_issued_again_under_its_key_is_the_same(
    engine: Engine,
    tmp_path: Path,
    control_id: int,
    agent_id: int,
    service_key: PrivateKey,
    pdf_identity: SigningIdentity,
) -> None:
    first = issue(
        engine,
        tmp_path,
        service_key,
        control_id,
        agent_id,
        sample_bulletin(),
        None,
        "tablet-b1",
        identity=pdf_identity,
    )
    again = issue(
        engine,
        tmp_path,
        service_key,
        control_id,
        agent_id,
        sample_bulletin(),
        None,
        "tablet-b1",
        identity=pdf_identity,
    )
    assert again.id == first.id
    assert [b.id for b in for_control(engine, control_id)] == [first.id]


def test_two_syncs_at_once_issue_one_bulletin(
    engine: Engine,
    tmp_path: Path,
    control_id: int,
    agent_id: int,
    service_key: PrivateKey,
    pdf_identity: SigningIdentity,
) -> None:
    issued, errors = at_once(
        lambda: issue(
            engine, tmp_path, service_key, control_id, agent_id, sample_bulletin(),
            idempotency_key="tablet-b2", identity=pdf_identity,
        ).id
    )  # fmt: skip
    assert errors == []
    assert len(issued) == 4
    assert len(set(issued)) == 1
    assert len(for_control(engine, control_id)) == 1


def test_of_syncs_at_once_exactly_one_issues_the_bulletin(
    engine: Engine,
    tmp_path: Path,
    control_id: int,
    agent_id: int,
    service_key: PrivateKey,
    pdf_identity: SigningIdentity,
) -> None:
    """What tells the API to answer 201 once and 200 to the replays: the unique key of the
    database decides which call issued it."""
    issued, errors = at_once(
        lambda: issue_once(
            engine, tmp_path, service_key, control_id, agent_id, sample_bulletin(),
            idempotency_key="tablet-b3", identity=pdf_identity,
        )
    )  # fmt: skip
    assert errors == []
    assert sorted(created for _, created in issued) == [False, False, False, True]
    assert len({stored.id for stored, _ in issued}) == 1
    assert len(for_control(engine, control_id)) == 1
