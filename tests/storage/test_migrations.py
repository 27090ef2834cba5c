"""The schema comes from alembic migrations, and applying them again changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, MetaData, Table, create_engine, insert, inspect, text

from control.storage.database import connect, migrate
from control.storage.schema import control_natinf, users
from control.storage.search import SearchQuery, search
from control.storage.users import Role, User

WHEN = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SCRATCH = "upgrade_scratch"


def test_the_migrations_create_every_table(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {"users", "controls", "alembic_version"} <= tables


def test_migrating_twice_is_harmless(engine: Engine) -> None:
    migrate(engine)
    assert "controls" in inspect(engine).get_table_names()


def test_controls_saved_before_0007_are_found_by_text_and_natinf(
    migrated: Engine, tmp_path: Path
) -> None:
    """Migration 0007 copies each control's NATINF into the row and the full-text index."""
    engine = _scratch(migrated, tmp_path)
    try:
        migrate(engine, "0006")
        with engine.begin() as connection:
            connection.execute(
                insert(users).values(
                    id=1, login="a", name="A", role="agent", password_hash="x", active=True,
                    unit="", created_at=WHEN, failed_logins=0, region="",
                )
            )  # fmt: skip
            controls_0006 = Table("controls", MetaData(), autoload_with=connection)
            connection.execute(
                insert(controls_0006).values(
                    id=1, agent_id=1, kind="paper", occurred_at=WHEN, created_at=WHEN,
                    departement="69", commune="Lyon", place="", plate="AB-123-CD", notes="",
                    driver_name="Étienne Morel", driver_id="", employer_siren="298412974",
                    employer_name="Fret Vercors", findings=[], manual_natinf=["20525"],
                )
            )  # fmt: skip
            connection.execute(insert(control_natinf).values(control_id=1, natinf="20525"))
        migrate(engine)
        viewer = User(1, "i", "I", Role.INSPECTOR, True)
        found = search(engine, SearchQuery(text="etienne", natinf="20525"), viewer)
        assert [c.id for c in found.controls] == [1]
        assert search(engine, SearchQuery(text="etienne", natinf="35187"), viewer).total == 0
    finally:
        _drop_scratch(engine)


def _scratch(migrated: Engine, folder: Path) -> Engine:
    """An empty database beside the tests' one: a file, or a schema of the PostgreSQL one."""
    if migrated.dialect.name == "sqlite":
        return connect(f"sqlite:///{folder / 'upgrade.db'}")
    with migrated.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCRATCH} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCRATCH}"))
    options = {"options": f"-csearch_path={SCRATCH}"}  # public holds the tests' schema
    return create_engine(migrated.url, connect_args=options)


def _drop_scratch(engine: Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {SCRATCH} CASCADE"))
    engine.dispose()
