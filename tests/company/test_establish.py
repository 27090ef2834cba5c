"""Establishing the report on two cores: the helper process's share comes back whole, and a
helper that is busy or dead leaves its share to the request, never a lost report."""

from __future__ import annotations

import io
import os
import signal
from collections.abc import Iterator
from datetime import datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from control.company import establish as establish_module
from control.company.establish import Established, KeptFile, establish, read_kept
from control.company.pdf import render_pdf
from control.company.report import build_report
from control.company.xlsx import render_xlsx
from control.demo.company import company, company_files, company_records, for_employer
from control.demo.records import Profile, make_record
from control.pades.certs import SigningIdentity
from control.record.model import Sector
from control.services.workers import WorkerPool
from control.verify.keys import PrivateKey
from control.verify.trustlist import TrustList
from tests.conftest import NOW


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
# Days the employer changed and breaches: the company's demo drivers have one or the other.
MIXED = Profile(
    "entreprise-mixte",
    Sector.GOODS_REGIONAL,
    frozenset({"long-day", "short-rest"}),
    employer_changes=3,
    justified_changes=False,
)


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


@pytest.fixture(scope="module")
def shared_helper() -> Iterator[WorkerPool]:
    pool = WorkerPool(1, 2, processes=True)
    yield pool
    pool.shutdown()


@pytest.mark.parametrize("share", [0.0, 0.2, 0.35, 0.6, 1.0])
def test_the_changes_part_started_before_the_rules_makes_the_plain_report(
    files: list[tuple[str, bytes]],
    trust: TrustList,
    pdf_identity: SigningIdentity,
    shared_helper: WorkerPool,
    issuer_key: PrivateKey,
    share: float,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """This process's files are outlined, the changes' part started, the rules run after:
    the report, PDF and XLSX are those of every file through the rules first, whatever the
    share, with files set aside, a driver sent twice, one of another company, and drivers
    with both changes and findings (the changes' part must show nothing of the rules)."""
    monkeypatch.setattr(establish_module, "HELPER_SHARE", share)
    ((_, other),) = company_files(company_records(1, NOW, seed=9), issuer_key, NOW)
    mixed = [for_employer(make_record(MIXED, NOW, seed=n), company(4)) for n in range(2)]
    mixed_files = [
        (f"mixte-{n}.txt", d) for n, (_, d) in enumerate(company_files(mixed, issuer_key, NOW))
    ]
    # files set aside: an empty one, two drivers sent twice, one of another company
    sent = [("vide.txt", b""), *files[:10], files[3], ("autre.txt", other), *mixed_files]
    sent += [*files[10:20], files[12]]
    kept = [KeptFile(n, d.decode()) if d else KeptFile(n, None, "fichier vide.") for n, d in sent]
    plain = build_report([read_kept(f, trust, AT) for f in kept], AT)
    made = establish(kept, trust, AT, identity=pdf_identity, helper=shared_helper)
    assert made.report == plain
    assert len(plain.problems) == 4
    assert any(d.changes and d.findings for d in plain.drivers)
    assert pages(made.pdf) == pages(render_pdf(plain))
    assert cells(made.xlsx) == cells(render_xlsx(plain))


def cells(xlsx: bytes) -> list[list[tuple[object, ...]]]:
    book = load_workbook(io.BytesIO(xlsx))
    return [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]
