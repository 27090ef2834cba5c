"""Opening the database and bringing its schema up to date (alembic, programmatically)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

from control.storage.files import create_private

MIGRATIONS = Path(__file__).parent / "migrations"


def connect(url: str) -> Engine:
    """An engine for `url`; SQLite gets foreign keys and a busy timeout, like a server.

    SQLite writes begin IMMEDIATE: with sqlite3's default deferred BEGIN, a pooled connection
    reused for a write while another connection wrote could fail at once with "database is
    locked", the busy timeout notwithstanding. Reads still take no lock."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if str(path) != ":memory:":
            create_private(path)  # its -wal and -shm files take its mode
        engine = create_engine(url, connect_args={"timeout": 15, "isolation_level": "IMMEDIATE"})

        @event.listens_for(engine, "connect")
        def _pragmas(connection: object, _record: object) -> None:
            cursor = connection.cursor()  # type: ignore[attr-defined]
            cursor.execute("PRAGMA foreign_keys = ON")
            # set once per file: asking again on every new connection can fail at once with
            # "database is locked" (no busy wait) while other connections write
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine, revision: str = "head") -> None:
    """Apply every migration not yet applied (up to `revision`: tests of an upgrade)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
