"""Backup and restore: the database, the files (bulletins' PDFs, page photos) and the keys of
the data directory, in one tar.gz archive.

Rows are written as JSON lines per table, whatever the backend, so a backup of the embedded
SQLite database restores into PostgreSQL (and back): that is also the way to move to scale.
The database is read in one transaction (a consistent snapshot); file paths are stored
relative to the files directory and re-rooted on restore. An archive restores only into an
empty database at the same schema revision, in one transaction: a failed restore leaves
nothing behind.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, DateTime, Engine, Integer, Table, func, insert, select, text
from sqlalchemy.sql.type_api import TypeEngine

from control.bulletins.keys import KEY_FILE
from control.exports.c1b.signing import KEY_FILE as C1B_KEY_FILE
from control.pades import certs
from control.settings import SESSION_SECRET_FILE
from control.storage.files import write_atomically
from control.storage.schema import metadata

FORMAT = "lic-control-backup/1"
# the PDF-signing chain too: a new one made after a restore would not vouch for the PDFs kept
KEY_FILES = (
    KEY_FILE,
    f"{KEY_FILE}.pub",
    SESSION_SECRET_FILE,
    certs.KEY_FILE,
    certs.CERT_FILE,
    certs.CHAIN_FILE,
    C1B_KEY_FILE,  # the C1B files already handed out verify against it
)
PATH_COLUMNS = {"page_photos": ("path", "original_path"), "bulletins": ("pdf_path",)}
BATCH = 1000


class BackupError(ValueError):
    """The archive cannot be made or restored; the message says why."""


@dataclass(frozen=True)
class BackupSummary:
    rows: dict[str, int]
    files: int
    keys: int


def backup(engine: Engine, data_dir: Path, files_dir: Path, out: Path) -> BackupSummary:
    """Write the archive to `out` (made private: it holds keys and personal data)."""
    rows: dict[str, int] = {}
    partial = out.with_name(out.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            with engine.connect() as connection:
                if connection.dialect.name == "postgresql":
                    connection.exec_driver_sql(
                        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"
                    )
                revision = MigrationContext.configure(connection).get_current_revision()
                for table in metadata.sorted_tables:
                    with tempfile.TemporaryFile() as spool:  # tables may be large: not in memory
                        for line in _table_lines(connection, table, files_dir, rows):
                            spool.write(line)
                        _add_stream(tar, f"tables/{table.name}.jsonl", spool)
            stored = _add_files(tar, files_dir)
            keys = 0
            for name in KEY_FILES:
                if (data_dir / name).is_file():
                    _add_bytes(tar, f"keys/{name}", (data_dir / name).read_bytes())
                    keys += 1
            manifest = {
                "format": FORMAT,
                "created_at": datetime.now(UTC).isoformat(),
                "revision": revision,
                "backend": engine.dialect.name,
                "rows": rows,
                "files": stored,
            }
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=1).encode())
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupSummary(rows, len(stored), keys)


def restore(engine: Engine, data_dir: Path, files_dir: Path, archive: Path) -> BackupSummary:
    """Load an archive into an empty, migrated database and data directory.

    Rows and files go in together: if a file is damaged the transaction is rolled back and
    the files already written are removed.
    """
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            return _restore(engine, data_dir, files_dir, tar)
    except (OSError, EOFError, tarfile.TarError, zlib.error) as error:
        raise BackupError(f"unreadable backup archive: {error}") from None


def _restore(
    engine: Engine, data_dir: Path, files_dir: Path, tar: tarfile.TarFile
) -> BackupSummary:
    manifest = _manifest(tar)
    written: list[Path] = []
    try:
        with engine.begin() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            if manifest["revision"] != current:
                raise BackupError(
                    f"the archive is at schema revision {manifest['revision']}, the database "
                    f"at {current}: restore with the version of lic-control that made it"
                )
            for table in metadata.tables.values():
                if connection.execute(select(func.count()).select_from(table)).scalar_one():
                    raise BackupError(f"the database is not empty (table {table.name})")
            for table in metadata.sorted_tables:
                _load_table(connection, table, tar, files_dir, manifest["rows"][table.name])
            if connection.dialect.name == "postgresql":
                _reset_sequences(connection)
            _extract_files(tar, files_dir, manifest["files"], written)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    keys = _extract_keys(tar, data_dir)
    return BackupSummary(manifest["rows"], len(written), keys)


def _table_lines(
    connection: Connection, table: Table, files_dir: Path, rows: dict[str, int]
) -> Iterator[bytes]:
    order = [c for c in table.primary_key.columns] or list(table.columns)
    result = connection.execution_options(yield_per=BATCH).execute(select(table).order_by(*order))
    rows[table.name] = 0
    for row in result:
        values = {name: _dump(value) for name, value in row._mapping.items()}
        for column in PATH_COLUMNS.get(table.name, ()):
            values[column] = _relative(values[column], files_dir)
        rows[table.name] += 1
        yield json.dumps(values, ensure_ascii=False).encode() + b"\n"


def _dump(value: Any) -> Any:
    """Columns are text, numbers, booleans, JSON and datetimes (the schema has no binary)."""
    return value.isoformat() if isinstance(value, datetime | date) else value


def _load(value: Any, kind: TypeEngine[Any]) -> Any:
    if value is not None and isinstance(kind, DateTime):
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite keeps UTC
    return value


def _relative(stored: str, files_dir: Path) -> str:
    path = Path(stored)
    for root in (files_dir, files_dir.resolve()):
        if path.is_relative_to(root):
            return path.relative_to(root).as_posix()
    raise BackupError(f"a file lies outside the files directory: {path.name}")


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    _add_stream(tar, name, io.BytesIO(data))


def _add_stream(tar: tarfile.TarFile, name: str, stream: IO[bytes]) -> None:
    info = tarfile.TarInfo(name)
    info.size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    info.mode = 0o600
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, stream)


def _add_files(tar: tarfile.TarFile, files_dir: Path) -> dict[str, str]:
    """Every file under the files directory, with its SHA-256 (checked on restore)."""
    stored: dict[str, str] = {}
    if not files_dir.is_dir():
        return stored
    for path in sorted(files_dir.rglob("*")):
        if not path.is_file() or path.is_symlink() or path.name.startswith("."):
            continue  # `.name.partial`: a write a crash interrupted, referred to by nothing
        try:
            data = path.read_bytes()
        except FileNotFoundError:  # purged while the backup ran: its rows are gone too
            continue
        name = path.relative_to(files_dir).as_posix()
        _add_bytes(tar, f"files/{name}", data)
        stored[name] = hashlib.sha256(data).hexdigest()
    return stored


def _manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.extractfile("manifest.json")
        manifest = json.loads(member.read()) if member else None
    except (KeyError, ValueError, tarfile.TarError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("not a lic-control backup (no manifest of format 1)")
    return manifest


def _load_table(
    connection: Connection, table: Table, tar: tarfile.TarFile, files_dir: Path, expected: int
) -> None:
    member = tar.extractfile(f"tables/{table.name}.jsonl")
    if member is None:
        raise BackupError(f"the archive lacks the table {table.name}")
    kinds = {column.name: column.type for column in table.columns}
    batch: list[dict[str, Any]] = []
    count = 0
    for line in member:
        values = {name: _load(value, kinds[name]) for name, value in json.loads(line).items()}
        for column in PATH_COLUMNS.get(table.name, ()):
            values[column] = str(files_dir.resolve() / _safe_name(values[column]))
        batch.append(values)
        if len(batch) == BATCH:
            connection.execute(insert(table), batch)
            count, batch = count + len(batch), []
    if batch:
        connection.execute(insert(table), batch)
        count += len(batch)
    if count != expected:
        raise BackupError(f"table {table.name}: {count} rows, the manifest says {expected}")


def _safe_name(name: str) -> PurePosixPath:
    """A path inside the files directory: never absolute, never climbing out."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"unsafe path in the archive: {name!r}")
    return path


def _extract_files(
    tar: tarfile.TarFile, files_dir: Path, expected: dict[str, str], written: list[Path]
) -> None:
    for name, digest in expected.items():
        member = tar.extractfile(f"files/{_safe_name(name)}")
        if member is None:
            raise BackupError(f"the archive lacks the file {name}")
        data = member.read()
        if hashlib.sha256(data).hexdigest() != digest:
            raise BackupError(f"the file {name} is damaged in the archive")
        target = files_dir / _safe_name(name)
        if target.exists():
            raise BackupError(f"the files directory already holds {name}")
        write_atomically(target, data)
        written.append(target)


def _extract_keys(tar: tarfile.TarFile, data_dir: Path) -> int:
    count = 0
    for name in KEY_FILES:
        try:
            member = tar.extractfile(f"keys/{name}")
        except KeyError:
            continue
        if member is None:
            continue
        write_atomically(data_dir / name, member.read())
        count += 1
    return count


def _reset_sequences(connection: Connection) -> None:
    """Inserted ids were explicit: move each serial on, so new rows do not collide."""
    for table in metadata.sorted_tables:
        keys = [c for c in table.primary_key.columns if isinstance(c.type, Integer)]
        if len(keys) != 1 or not keys[0].autoincrement:
            continue
        column = keys[0].name
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column}'), "
                f"COALESCE((SELECT MAX({column}) FROM {table.name}), 0) + 1, false)"
            )
        )
