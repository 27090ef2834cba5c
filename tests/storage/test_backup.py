"""Backup and restore: database rows, files and keys come back exactly, on both backends."""

from __future__ import annotations

import io
import json
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from control.bulletins.verify import check_pdf
from control.capture.pages import PageScan
from control.demo.bulletins import sample_bulletin
from control.exports.c1b.signing import c1b_key
from control.pades.certs import KEY_FILE as PDF_KEY_FILE
from control.pades.certs import SigningIdentity, trust_roots
from control.settings import Settings
from control.storage.audit import record
from control.storage.backup import PATH_COLUMNS, BackupError, backup, restore
from control.storage.bulletins import issue
from control.storage.controls import ControlKind, KeptFinding, NewControl, save_control
from control.storage.database import connect, migrate
from control.storage.photos import add_photo
from control.storage.schema import metadata
from control.storage.users import Role, add_user
from control.verify.keys import PrivateKey
from tests.conftest import empty_database, seed_pdf_chain

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def world(
    engine: Engine,
    data_dir: Path,
    service_key: PrivateKey,
    pdf_identity: SigningIdentity,
    pdf_signing_dir: Path,
) -> Engine:
    files = data_dir / "fichiers"
    agent = add_user(engine, "agent1", "Agent Un", Role.AGENT, "a long password").id
    for age in (1, 40):
        control = save_control(
            engine,
            NewControl(
                agent, ControlKind.PAPER, NOW - timedelta(days=age), "69", "Lyon",
                findings=(KeptFinding("20525", "daily-rest", (), "…", True),),
            ),
        )  # fmt: skip
        add_photo(engine, files, control, PageScan(b"\xff\xd8jpeg", 10, 10, 500.0, None, b"o"))
        issue(engine, files, service_key, control, agent, sample_bulletin(), identity=pdf_identity)
        record(engine, agent, "open-control", f"controle {control}")
    (data_dir / "secret.key").write_text("session secret")
    seed_pdf_chain(pdf_signing_dir, data_dir)  # the chain `pdf_identity` comes from
    return engine


def rows(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, file paths reduced to their names."""
    out: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            found = []
            for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
                values = dict(row._mapping)
                for column in PATH_COLUMNS.get(table.name, ()):
                    values[column] = Path(values[column]).name
                for name, value in values.items():
                    if isinstance(value, datetime) and value.tzinfo is None:
                        values[name] = value.replace(tzinfo=UTC)
                found.append(values)
            out[table.name] = found
    return out


def saved_then_emptied(engine: Engine, data_dir: Path, tmp_path: Path) -> Path:
    archive = tmp_path / "backup.tar.gz"
    backup(engine, data_dir, data_dir / "fichiers", archive)
    empty_database(engine)
    return archive


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_a_backup_restores_every_row_file_and_key(
    world: Engine, data_dir: Path, tmp_path: Path
) -> None:
    before, before_files = rows(world), files_of(data_dir / "fichiers")
    archive = tmp_path / "backup.tar.gz"
    summary = backup(world, data_dir, data_dir / "fichiers", archive)
    assert summary.rows["controls"] == 2
    assert summary.files == len(before_files) == 6  # 2 scans, 2 originals, 2 PDFs
    empty_database(world)
    target = tmp_path / "restored"
    restored = restore(world, target, target / "fichiers", archive)
    assert restored.files == 6
    assert rows(world) == before
    assert files_of(target / "fichiers") == before_files
    assert (target / "secret.key").read_text() == "session secret"
    assert (target / "secret.key").stat().st_mode & 0o777 == 0o600
    restored_roots = trust_roots(Settings(data_dir=target))  # restored PDFs still verify
    for pdf in (target / "fichiers").glob("bulletin-*.pdf"):
        assert check_pdf(pdf.read_bytes(), restored_roots).valid
    assert (target / PDF_KEY_FILE).stat().st_mode & 0o777 == 0o600


def test_paths_point_into_the_new_files_directory(
    world: Engine, data_dir: Path, tmp_path: Path
) -> None:
    archive = saved_then_emptied(world, data_dir, tmp_path)
    target = tmp_path / "restored"
    restore(world, target, target / "fichiers", archive)
    with world.connect() as connection:
        paths = connection.execute(select(metadata.tables["page_photos"].c.path)).scalars()
        assert all(Path(p).is_file() and Path(p).is_relative_to(target.resolve()) for p in paths)


def test_new_rows_after_a_restore_get_new_ids(
    world: Engine, data_dir: Path, tmp_path: Path
) -> None:
    archive = saved_then_emptied(world, data_dir, tmp_path)
    restore(world, tmp_path / "r", tmp_path / "r" / "fichiers", archive)
    added = add_user(world, "agent2", "Agent Deux", Role.AGENT, "a long password")
    assert added.id > 1


def test_a_backup_restores_into_an_embedded_sqlite_database(
    world: Engine, data_dir: Path, tmp_path: Path
) -> None:
    """From either backend to SQLite (and PostgreSQL to SQLite when the suite runs on it)."""
    archive = tmp_path / "backup.tar.gz"
    backup(world, data_dir, data_dir / "fichiers", archive)
    other = connect(Settings(data_dir=tmp_path / "other").database())
    migrate(other)
    restore(other, tmp_path / "other", tmp_path / "other" / "fichiers", archive)
    assert rows(other) == rows(world)
    other.dispose()


def test_restore_refuses_a_database_that_is_not_empty(
    world: Engine, data_dir: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "backup.tar.gz"
    backup(world, data_dir, data_dir / "fichiers", archive)
    before = rows(world)
    with pytest.raises(BackupError, match="not empty"):
        restore(world, tmp_path / "r", tmp_path / "r" / "fichiers", archive)
    assert rows(world) == before
    assert not (tmp_path / "r" / "fichiers").exists()


def _rewrite(archive: Path, out: Path, change: dict[str, bytes]) -> None:
    with tarfile.open(archive) as source, tarfile.open(out, "w:gz") as target:
        for member in source.getmembers():
            data = change.get(member.name)
            if data is None:
                extracted = source.extractfile(member)
                assert extracted is not None
                data = extracted.read()
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))


def test_a_damaged_file_rolls_the_whole_restore_back(
    world: Engine, data_dir: Path, tmp_path: Path
) -> None:
    archive = saved_then_emptied(world, data_dir, tmp_path)
    with tarfile.open(archive) as tar:
        pdf = next(n for n in tar.getnames() if n.endswith(".pdf"))
    _rewrite(archive, tmp_path / "damaged.tar.gz", {pdf: b"%PDF-not the same"})
    with pytest.raises(BackupError, match="damaged"):
        restore(world, tmp_path / "r", tmp_path / "r" / "fichiers", tmp_path / "damaged.tar.gz")
    assert all(not found for found in rows(world).values())
    assert not files_of(tmp_path / "r")


def test_a_path_climbing_out_of_the_files_directory_is_refused(
    world: Engine, data_dir: Path, tmp_path: Path
) -> None:
    archive = saved_then_emptied(world, data_dir, tmp_path)
    with tarfile.open(archive) as tar:
        member = tar.extractfile("manifest.json")
        assert member is not None
        manifest = json.loads(member.read())
    manifest["files"] = {"../../escape.txt": "0" * 64}
    _rewrite(archive, tmp_path / "hostile.tar.gz", {"manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(BackupError, match="unsafe path"):
        restore(world, tmp_path / "r", tmp_path / "r" / "fichiers", tmp_path / "hostile.tar.gz")
    assert not (tmp_path / "escape.txt").exists()


@pytest.mark.parametrize("content", [b"", b"not a tar at all", b"\x1f\x8b\x08\x00broken"])
def test_something_else_than_an_archive_is_refused(
    engine: Engine, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "x.tar.gz"
    path.write_bytes(content)
    with pytest.raises(BackupError):
        restore(engine, tmp_path / "r", tmp_path / "r" / "fichiers", path)


def test_the_archive_is_private(world: Engine, data_dir: Path, tmp_path: Path) -> None:
    archive = tmp_path / "backup.tar.gz"
    backup(world, data_dir, data_dir / "fichiers", archive)
    assert archive.stat().st_mode & 0o777 == 0o600


def test_the_c1b_signing_key_comes_back(world: Engine, data_dir: Path, tmp_path: Path) -> None:
    """The C1B files already handed out keep verifying after a restore."""
    before = c1b_key(data_dir).private_numbers()
    archive = tmp_path / "backup.tar.gz"
    backup(world, data_dir, data_dir / "fichiers", archive)
    empty_database(world)
    target = tmp_path / "restored"
    restore(world, target, target / "fichiers", archive)
    assert c1b_key(target).private_numbers() == before
