"""A synthetic company of 50 drivers, its files as an inspector would collect them."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from control.demo.company import company_files, company_records
from control.record.model import Record
from control.verify.keys import PrivateKey
from tests.conftest import NOW

REPORT_AT = NOW + timedelta(days=12)  # the company control, after the codes expired


@pytest.fixture(scope="session")
def drivers() -> list[Record]:
    return company_records(50, NOW, seed=4)


@pytest.fixture(scope="session")
def files(drivers: list[Record], issuer_key: PrivateKey) -> list[tuple[str, bytes]]:
    return company_files(drivers, issuer_key, NOW)


@pytest.fixture
def report_at() -> datetime:
    return REPORT_AT
