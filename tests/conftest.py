"""Shared fixtures: a fixed clock, real keys, a signed trust list, synthetic records."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from control.demo.build import build_demo
from control.demo.records import Profile, make_record
from control.pades.certs import (
    CERT_FILE,
    CHAIN_FILE,
    KEY_FILE,
    SigningIdentity,
    make_demo_chain,
    signing_identity,
)
from control.record.model import Record, Sector
from control.settings import Settings
from control.storage.database import connect, migrate
from control.storage.schema import metadata
from control.verify import trustlist
from control.verify.keys import PrivateKey
from control.verify.trustlist import TrustList

NOW = datetime(2026, 11, 25, 9, 40, tzinfo=UTC)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture(scope="session")
def root_key() -> PrivateKey:
    return PrivateKey.generate("FR-AUTORITE")


def _key(issuer: str, started: timedelta, lifetime: timedelta = timedelta(days=730)) -> PrivateKey:
    start = NOW - started
    return PrivateKey.generate(
        issuer, not_before=int(start.timestamp()), not_after=int((start + lifetime).timestamp())
    )


@pytest.fixture(scope="session")
def issuer_key() -> PrivateKey:
    """Mobilic's current key, valid since 10 days."""
    return _key("FR-MOBILIC", timedelta(days=10))


@pytest.fixture(scope="session")
def previous_key() -> PrivateKey:
    """Mobilic's previous key, retired when `issuer_key` started."""
    return _key("FR-MOBILIC", timedelta(days=400))


@pytest.fixture(scope="session")
def revoked_key() -> PrivateKey:
    return _key("FR-EDITEUR", timedelta(days=100))


@pytest.fixture(scope="session")
def editor_key() -> PrivateKey:
    return _key("FR-EDITEUR", timedelta(days=20))


@pytest.fixture(scope="session")
def trust(
    issuer_key: PrivateKey,
    previous_key: PrivateKey,
    revoked_key: PrivateKey,
    editor_key: PrivateKey,
) -> TrustList:
    return trustlist.build(
        [k.public for k in (issuer_key, previous_key, revoked_key, editor_key)],
        issued_at=NOW - timedelta(hours=2),
        valid_days=30,
        revoke=[revoked_key.public.kid_text],
    )


@pytest.fixture(scope="session")
def record() -> Record:
    """A typical 28-day record of a regional goods driver (22 worked days)."""
    return make_record(Profile("typique", Sector.GOODS_REGIONAL), NOW, seed=7)


@pytest.fixture(scope="session")
def rich_record() -> Record:
    """Breaches, employer changes, observations and a second employer."""
    profile = Profile(
        "riche",
        Sector.PASSENGERS,
        frozenset({"long-day", "short-rest", "night-work"}),
        employer_changes=5,
        observations=5,
        second_employer=Sector.REMOVALS,
    )
    return make_record(profile, NOW, seed=3)


@pytest.fixture(scope="session")
def record_at() -> Callable[[datetime], Record]:
    """A typical record for a control at another moment than NOW."""

    def make(when: datetime) -> Record:
        return make_record(Profile("typique", Sector.GOODS_REGIONAL), when, seed=7)

    return make


# --- databases: every storage test runs on SQLite and, when configured, on PostgreSQL ---

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("LIC_CONTROL_TEST_POSTGRES") else [])


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'lic-control.db'}"
    url = os.environ["LIC_CONTROL_TEST_POSTGRES"]
    engine = connect(Settings(database_url=url).database())
    with engine.begin() as connection:  # a clean schema for this run
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def migrated(database_url: str) -> Iterator[Engine]:
    engine = connect(Settings(database_url=database_url).database())
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(migrated: Engine) -> Engine:
    """The migrated database, emptied before the test."""
    empty_database(migrated)
    return migrated


def empty_database(engine: Engine) -> None:
    """Delete every row; the audit log's append-only guard is lifted for that moment only."""
    with engine.begin() as connection:
        sqlite = connection.dialect.name == "sqlite"
        guards = []
        if sqlite:
            guards = connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'audit_log'"
            ).all()
            for name, _ in guards:
                connection.exec_driver_sql(f"DROP TRIGGER {name}")
        else:
            connection.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER USER")
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())
        for _, sql in guards:
            connection.exec_driver_sql(sql)
        if not sqlite:
            connection.exec_driver_sql("ALTER TABLE audit_log ENABLE TRIGGER USER")


@pytest.fixture(scope="session")
def demo_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo world, with codes generated now (they are valid for 24 h)."""
    world = tmp_path_factory.mktemp("demo")
    build_demo(world, datetime.now(UTC).replace(second=0, microsecond=0))
    return world


@pytest.fixture(scope="session")
def pdf_signing_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding a demo PDF-signing chain, made once for the session (an RSA
    key takes a second to make): `seed_pdf_chain` copies it where a test needs one."""
    directory = tmp_path_factory.mktemp("pdf-signing")
    make_demo_chain(directory)
    return directory


def seed_pdf_chain(source: Path, data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    for name in (CERT_FILE, KEY_FILE, CHAIN_FILE):
        shutil.copy(source / name, data_dir / name)  # mode 600 kept


@pytest.fixture(scope="session")
def pdf_identity(pdf_signing_dir: Path) -> SigningIdentity:
    """The service's PDF-signing certificate."""
    return signing_identity(Settings(data_dir=pdf_signing_dir))


@pytest.fixture(scope="session")
def service_key() -> PrivateKey:
    """The service's bulletin-signing key."""
    return PrivateKey.generate("FR-CONTROLE-LIC")
