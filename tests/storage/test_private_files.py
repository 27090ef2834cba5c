"""The data directory holds personal data and secrets: 0700, every file in it 0600, from the
first byte whatever the umask, and an existing one made so at start-up."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from control.bulletins.keys import service_key
from control.settings import Settings
from control.storage.database import connect
from control.storage.files import secure_data_dir, write_atomically
from web.app import create_app


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The usual 022: what a careless service unit gives, world-readable by default."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_file_is_private_from_its_first_byte_in_private_directories(
    tmp_path: Path, loose_umask: None
) -> None:
    target = tmp_path / "data" / "fichiers" / "2026" / "bulletin.pdf"
    write_atomically(target, b"%PDF-1.7")
    assert mode(target) == 0o600
    for directory in (tmp_path / "data", tmp_path / "data" / "fichiers", target.parent):
        assert mode(directory) == 0o700, directory


def test_a_new_sqlite_database_and_its_journal_are_private(
    tmp_path: Path, loose_umask: None
) -> None:
    path = tmp_path / "data" / "lic-control.db"
    engine = connect(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        connection.exec_driver_sql("INSERT INTO t VALUES (1)")
        created = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
        assert {p.name for p in created} >= {"lic-control.db", "lic-control.db-wal"}
        assert {p.name: mode(p) for p in created} == {p.name: 0o600 for p in created}
    engine.dispose()
    assert mode(path.parent) == 0o700


def test_an_open_data_directory_is_made_private_at_start(
    tmp_path: Path, demo_world: Path, loose_umask: None
) -> None:
    data = tmp_path / "data"
    (data / "fichiers" / "photos").mkdir(parents=True, mode=0o755)
    data.chmod(0o755)
    (data / "fichiers").chmod(0o775)
    photo = data / "fichiers" / "photos" / "page-1.jpg"
    photo.write_bytes(b"\xff\xd8")
    photo.chmod(0o644)
    database = data / "lic-control.db"
    database.touch(mode=0o666)
    database.chmod(0o666)
    outside = tmp_path / "ailleurs.txt"  # reached by a symbolic link: not ours to change
    outside.write_text("x")
    outside.chmod(0o644)
    (data / "lien").symlink_to(outside)
    create_app(
        Settings(
            data_dir=data,
            secret_key="test-secret-key-not-for-production",
            trust_list=demo_world / "trust-list.json",
            root_key=demo_world / "authority" / "root.jwk.pub",
            cookie_secure=False,
        )
    ).state.context.engine.dispose()
    for directory in (data, data / "fichiers", data / "fichiers" / "photos"):
        assert mode(directory) == 0o700, directory
    for path in data.rglob("*"):
        if path.is_file() and not path.is_symlink():
            assert mode(path) == 0o600, path
    assert mode(photo) == 0o600
    assert mode(database) == 0o600
    assert mode(outside) == 0o644
    assert secure_data_dir(data) == []  # nothing left to fix


def test_the_bulletin_key_made_at_first_use_is_private_with_its_public_half(
    tmp_path: Path,
) -> None:
    """Made at the first bulletin, after the start's check: private from the start."""
    service_key(tmp_path)
    for made in tmp_path.iterdir():
        assert stat.S_IMODE(made.stat().st_mode) == 0o600, made.name
