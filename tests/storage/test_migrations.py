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


def test_photos_kept_before_0015_of_a_control_with_a_bulletin_are_annexed(
    migrated: Engine, tmp_path: Path
) -> None:
    """The bulletin rows do not say whether their PDF annexed the photos: migration 0015
    keeps every photo of a control that has a bulletin, and only those."""
    engine = _scratch(migrated, tmp_path)
    try:
        migrate(engine, "0013")
        with engine.begin() as connection:
            old = MetaData()
            tables = {
                name: Table(name, old, autoload_with=connection)
                for name in ("users", "controls", "bulletins", "page_photos")
            }
            connection.execute(
                insert(tables["users"]).values(
                    id=1, login="a", name="A", role="agent", password_hash="x", active=True,
                    unit="", created_at=WHEN, failed_logins=0, region="",
                )
            )  # fmt: skip
            for control_id in (1, 2):
                connection.execute(
                    insert(tables["controls"]).values(
                        id=control_id, agent_id=1, kind="paper", occurred_at=WHEN,
                        created_at=WHEN, departement="69", commune="Lyon", place="", plate="",
                        notes="", driver_name="", driver_id="", employer_siren="",
                        employer_name="", findings=[], manual_natinf=[], natinf_codes="",
                    )
                )  # fmt: skip
                connection.execute(
                    insert(tables["page_photos"]).values(
                        id=control_id, control_id=control_id, position=1, path="p",
                        original_path="o", sharpness=1, width=1, height=1, created_at=WHEN,
                    )
                )  # fmt: skip
            connection.execute(
                insert(tables["bulletins"]).values(
                    id=7, control_id=1, number="000001", version=1, agent_id=1, issued_at=WHEN,
                    content={}, code="BDC1:x", sha256="0", pdf_path="b.pdf",
                )
            )  # fmt: skip
        migrate(engine)
        with engine.connect() as connection:
            annexed = dict(connection.execute(text("SELECT id, annexed_to FROM page_photos")).all())
        assert annexed == {1: 7, 2: None}
    finally:
        _drop_scratch(engine)
