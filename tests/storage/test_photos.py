"""Photos of paper pages: kept in order, at most 60, deletable and reorderable."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert

from control.capture.pages import PageScan
from control.storage.controls import ControlKind, NewControl, save_control
from control.storage.photos import (
    MAX_PHOTOS,
    AnnexedPhotoError,
    PhotoLimitError,
    add_photo,
    annex,
    delete_photo,
    list_photos,
    reorder,
)
from control.storage.schema import bulletins
from control.storage.users import Role, User, add_user
from tests.at_once import at_once


def scan(n: int) -> PageScan:
    return PageScan(b"\xff\xd8jpeg%d" % n, 1400, 2000, 500.0, None, b"original %d" % n)


@pytest.fixture
def agent(engine: Engine) -> User:
    return add_user(engine, "agent1", "Agent Un", Role.AGENT, "a long password")


@pytest.fixture
def control_id(engine: Engine, agent: User) -> int:
    return save_control(
        engine, NewControl(agent.id, ControlKind.PAPER, datetime.now(UTC), "69", "Lyon")
    )


def test_photos_are_kept_in_the_order_taken(
    engine: Engine, tmp_path: Path, control_id: int
) -> None:
    first = add_photo(engine, tmp_path, control_id, scan(1))
    second = add_photo(engine, tmp_path, control_id, scan(2))
    assert [p.id for p in list_photos(engine, control_id)] == [first.id, second.id]
    assert first.path.read_bytes() == b"\xff\xd8jpeg1"
    assert first.original_path.read_bytes() == b"original 1"


def test_photos_can_be_reordered_and_deleted(
    engine: Engine, tmp_path: Path, control_id: int, agent: User
) -> None:
    ids = [add_photo(engine, tmp_path, control_id, scan(n)).id for n in range(3)]
    reorder(engine, control_id, [ids[2], ids[0], ids[1]])
    assert [p.id for p in list_photos(engine, control_id)] == [ids[2], ids[0], ids[1]]
    removed = list_photos(engine, control_id)[0]
    delete_photo(engine, control_id, removed.id, agent.id)
    assert [p.id for p in list_photos(engine, control_id)] == [ids[0], ids[1]]
    assert removed.path.exists()  # evidence: kept until the retention purge


def test_the_61st_photo_is_refused_and_the_60_are_kept(
    engine: Engine, tmp_path: Path, control_id: int
) -> None:
    for n in range(MAX_PHOTOS):
        add_photo(engine, tmp_path, control_id, scan(n))
    with pytest.raises(PhotoLimitError, match="60"):
        add_photo(engine, tmp_path, control_id, scan(99))
    assert len(list_photos(engine, control_id)) == MAX_PHOTOS


def test_a_photo_sent_twice_with_its_key_is_kept_once(
    engine: Engine, tmp_path: Path, control_id: int
) -> None:
    first = add_photo(engine, tmp_path, control_id, scan(1), "outbox-key-p0")
    again = add_photo(engine, tmp_path, control_id, scan(1), "outbox-key-p0")
    other = add_photo(engine, tmp_path, control_id, scan(2), "outbox-key-p1")
    assert again == first
    assert [p.id for p in list_photos(engine, control_id)] == [first.id, other.id]
    assert len(list((tmp_path / f"controle-{control_id}").iterdir())) == 4  # 2 photos × 2 files


def test_photos_sent_at_the_same_moment_each_get_their_own_place(
    engine: Engine, tmp_path: Path, control_id: int
) -> None:
    keys = iter(["p0", "p1", "p2", "p3"])  # next() is atomic: one key per thread
    _, errors = at_once(lambda: add_photo(engine, tmp_path, control_id, scan(1), next(keys)))
    assert errors == []
    assert sorted(p.position for p in list_photos(engine, control_id)) == [1, 2, 3, 4]


def test_a_photo_annexed_to_a_bulletin_is_kept(
    engine: Engine, tmp_path: Path, control_id: int, agent: User
) -> None:
    annexed = add_photo(engine, tmp_path, control_id, scan(1))
    later = add_photo(engine, tmp_path, control_id, scan(2))
    with engine.begin() as connection:  # a bulletin of the control, as issued
        bulletin_id = connection.execute(
            insert(bulletins).values(
                control_id=control_id, number="000001", version=1, agent_id=agent.id,
                issued_at=datetime.now(UTC), content={}, code="BDC1:x", sha256="0" * 64,
                pdf_path=str(tmp_path / "b.pdf"),
            )
        ).inserted_primary_key[0]  # fmt: skip
    annex(engine, bulletin_id, [annexed.id])
    with pytest.raises(AnnexedPhotoError, match="annexée à un bulletin émis"):
        delete_photo(engine, control_id, annexed.id, agent.id)
    assert delete_photo(engine, control_id, later.id, agent.id)
    assert [p.id for p in list_photos(engine, control_id)] == [annexed.id]
    assert not delete_photo(engine, control_id, later.id, agent.id)  # once
