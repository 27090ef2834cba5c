"""Establishing the report on two cores: the helper process's share comes back whole, and a
helper that is busy or dead leaves its share to the request, never a lost report."""

from __future__ import annotations

import io
import os
import signal
from collections.abc import Iterator
from datetime import datetime

import pytest
from pypdf import PdfReader

from control.company.establish import Established, KeptFile, establish
from control.pades.certs import SigningIdentity
from control.services.workers import WorkerPool
from control.verify.trustlist import TrustList


@pytest.fixture(scope="module")
def kept(files: list[tuple[str, bytes]]) -> list[KeptFile]:
    """A damaged file and twelve drivers: every profile twice, changes included."""
    drivers = [KeptFile(n, d.decode()) for n, d in files[:12]]
    return [KeptFile("abime.txt", None, "fichier vide."), *drivers]


@pytest.fixture(scope="module")
def alone(kept: list[KeptFile], trust: TrustList, pdf_identity: SigningIdentity) -> Established:
    """The report made by this process alone."""
    return establish(kept, trust, AT, identity=pdf_identity)


@pytest.fixture
def helper() -> Iterator[WorkerPool]:
    pool = WorkerPool(1, 2, processes=True)
    yield pool
    pool.shutdown()


AT = datetime.fromisoformat("2026-12-07T10:00:00+01:00")


def pages(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_the_helpers_share_makes_the_same_report(
    kept: list[KeptFile],
    trust: TrustList,
    pdf_identity: SigningIdentity,
    alone: Established,
    helper: WorkerPool,
) -> None:
    helped = establish(kept, trust, AT, identity=pdf_identity, helper=helper)
    assert helped.report == alone.report
    assert helped.report.changes  # the helper rendered a part
    assert pages(helped.pdf) == pages(alone.pdf)
    # killed between two reports: the next one is made here, whole
    os.kill(helper.call(os.getpid), signal.SIGKILL)
    after = establish(kept, trust, AT, identity=pdf_identity, helper=helper)
    assert after.report == alone.report
    assert pages(after.pdf) == pages(alone.pdf)


def test_a_busy_helper_leaves_its_share_here(
    kept: list[KeptFile], trust: TrustList, pdf_identity: SigningIdentity, alone: Established
) -> None:
    refusing = WorkerPool(0, 0)  # every slot taken
    busy = establish(kept, trust, AT, identity=pdf_identity, helper=refusing)
    assert busy.report == alone.report
    assert pages(busy.pdf) == pages(alone.pdf)
