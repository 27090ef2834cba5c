"""The schema comes from alembic migrations, and applying them again changes nothing."""

from sqlalchemy import Engine, inspect

from control.storage.database import migrate


def test_the_migrations_create_every_table(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {"users", "controls", "alembic_version"} <= tables


def test_migrating_twice_is_harmless(engine: Engine) -> None:
    migrate(engine)
    assert "controls" in inspect(engine).get_table_names()
