"""A realistic bulletin (synthetic people and company)."""

from __future__ import annotations

import pytest

from control.bulletins.model import Bulletin
from control.demo.bulletins import sample_bulletin


@pytest.fixture
def bulletin() -> Bulletin:
    return sample_bulletin()
