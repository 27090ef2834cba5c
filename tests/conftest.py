"""Shared fixtures: a fixed clock, real keys, a signed trust list, synthetic records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from control.demo.records import Profile, make_record
from control.record.model import Record, Sector
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
