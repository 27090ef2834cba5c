"""Three years of records: older controls go with their bulletins, photos and files."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from control.capture.pages import PageScan
from control.demo.bulletins import sample_bulletin
from control.pades.certs import SigningIdentity
from control.storage.access_requests import REQUEST_DAYS, list_requests, request_access
from control.storage.bulletins import for_control, issue
from control.storage.controls import (
    ControlKind,
    KeptFinding,
    NewControl,
    get_control,
    save_control,
)
from control.storage.photos import add_photo, list_photos
from control.storage.retention import cutoff, purge
from control.storage.users import Identity, Role, add_user
from control.verify.keys import PrivateKey

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


@pytest.fixture
def world(
    engine: Engine, tmp_path: Path, service_key: PrivateKey, pdf_identity: SigningIdentity
) -> dict[str, int]:
    agent = add_user(engine, "agent1", "Agent Un", Role.AGENT, "a long password").id
    ids = {}
    for name, age in (
        ("old", timedelta(days=3 * 365 + 2)),
        ("recent", timedelta(days=3 * 365 - 2)),
    ):
        control = save_control(
            engine,
            NewControl(
                agent, ControlKind.PAPER, NOW - age, "69", "Lyon",
                findings=(KeptFinding("20525", "daily-rest", (), "…", True),),
            ),
        )  # fmt: skip
        add_photo(engine, tmp_path, control, PageScan(b"\xff\xd8", 10, 10, 500.0, None, b"o"))
        first = issue(
            engine, tmp_path, service_key, control, agent, sample_bulletin(), identity=pdf_identity
        )
        issue(
            engine,
            tmp_path,
            service_key,
            control,
            agent,
            replace(sample_bulletin()),
            first,
            identity=pdf_identity,
        )
        ids[name] = control
    return ids


def test_three_years_back_is_the_cutoff() -> None:
    assert cutoff(NOW) == datetime(2023, 11, 25, 10, 0, tzinfo=UTC)
    assert cutoff(datetime(2028, 2, 29, tzinfo=UTC)).date().isoformat() == "2025-02-28"


def test_purge_removes_exactly_what_is_past_retention_files_too(
    engine: Engine, world: dict[str, int]
) -> None:
    old_files = [p.path for p in list_photos(engine, world["old"])] + [
        b.pdf_path for b in for_control(engine, world["old"])
    ]
    result = purge(engine, cutoff(NOW))
    assert (result.controls, result.bulletins, result.photos) == (1, 2, 1)
    assert get_control(engine, world["old"]) is None
    assert not any(path.exists() for path in old_files)
    assert get_control(engine, world["recent"]) is not None
    assert len(for_control(engine, world["recent"])) == 2
    assert all(p.path.exists() for p in list_photos(engine, world["recent"]))


def test_a_dry_run_deletes_nothing(engine: Engine, world: dict[str, int]) -> None:
    result = purge(engine, cutoff(NOW), dry_run=True)
    assert result.controls == 1
    assert get_control(engine, world["old"]) is not None


def orphan(folder: Path, name: str, age: timedelta) -> Path:
    """A file as a crash leaves it: written, its row never committed."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    moment = (datetime.now(UTC) - age).timestamp()
    os.utime(path, (moment, moment))
    return path


def test_files_no_row_refers_to_are_swept_after_an_hour(
    engine: Engine, world: dict[str, int], tmp_path: Path
) -> None:
    kept = [p.path for p in list_photos(engine, world["recent"])] + [
        p.original_path for p in list_photos(engine, world["recent"])
    ] + [b.pdf_path for b in for_control(engine, world["recent"])]  # fmt: skip
    for path in kept:  # written long ago, and still referred to
        os.utime(path, (0, 0))
    crashed = orphan(tmp_path, "bulletin-000009-v1-abcdefgh.pdf", timedelta(hours=2))
    partial = orphan(tmp_path / "photos", ".0123abcd.jpg.partial", timedelta(days=3))
    in_flight = orphan(tmp_path, "bulletin-000010-v1-ijklmnop.pdf", timedelta(minutes=5))
    counted = purge(engine, cutoff(NOW), dry_run=True, files_dir=tmp_path)
    assert counted.orphans == 2
    assert crashed.exists()
    assert partial.exists()
    result = purge(engine, cutoff(NOW), files_dir=tmp_path)
    assert result.orphans == 2
    assert not crashed.exists()
    assert not partial.exists()
    assert in_flight.exists()  # an upload whose row is about to be committed
    assert all(Path(path).exists() for path in kept)


def test_an_access_request_left_unanswered_ninety_days_is_deleted_by_the_daily_pass(
    engine: Engine,
) -> None:
    """Counted from the agent's last sign-in: a request refreshed since is kept."""
    before = cutoff(NOW)
    stale = Identity("ancien.essai@interieur.test", "pc-sub-old", "", "Ancien", "Essai")
    again = Identity("revenu.essai@interieur.test", "pc-sub-again", "", "Revenu", "Essai")
    fresh = Identity("recent.essai@interieur.test", "pc-sub-new", "", "Récent", "Essai")
    request_access(engine, stale, NOW - timedelta(days=REQUEST_DAYS, minutes=1))
    request_access(engine, again, NOW - timedelta(days=200))
    request_access(engine, again, NOW - timedelta(days=2))  # signed in again since
    request_access(engine, fresh, NOW - timedelta(days=REQUEST_DAYS - 1))
    assert purge(engine, before, dry_run=True, now=NOW).access_requests == 1
    assert len(list_requests(engine)) == 3
    assert purge(engine, before, now=NOW).access_requests == 1
    left = {r.identity.proconnect_sub for r in list_requests(engine)}
    assert left == {"pc-sub-again", "pc-sub-new"}
