"""The report as the inspector files it: a real WeasyPrint PDF and an XLSX, read back."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from control.company.files import read_driver_file
from control.company.pdf import render_pdf
from control.company.report import CompanyReport, build_report
from control.company.xlsx import render_xlsx
from control.verify.trustlist import TrustList


@pytest.fixture(scope="module")
def report(files: list[tuple[str, bytes]], trust: TrustList) -> CompanyReport:
    at = datetime.fromisoformat("2026-12-07T10:00:00+01:00")
    bad = [("vide.txt", b"  \n"), *files]
    return build_report([read_driver_file(n, d, trust, at) for n, d in bad], at)


@pytest.fixture(scope="module")
def pdf_pages(report: CompanyReport) -> list[str]:
    reader = PdfReader(io.BytesIO(render_pdf(report)))
    assert len(reader.pages) > 2
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture(scope="module")
def pdf_text(pdf_pages: list[str]) -> str:
    return " ".join(pdf_pages)


def test_the_pdf_names_the_company_and_sums_up(report: CompanyReport, pdf_text: str) -> None:
    assert f"SIREN {report.siren}" in pdf_text
    assert "Conducteurs analysés 50" in pdf_text
    assert "Fichiers écartés 1" in pdf_text
    assert f"dont sans observation de l'employeur {report.unjustified}" in pdf_text


def test_every_page_says_its_number_and_the_count(
    report: CompanyReport, pdf_pages: list[str]
) -> None:
    """The parts are rendered apart and joined: the numbering runs over the whole report."""
    for number, text in enumerate(pdf_pages, start=1):
        footer = f"Contrôle en entreprise — SIREN {report.siren} — page {number} / {len(pdf_pages)}"
        assert text.endswith(footer)


def test_the_pdf_lists_the_drivers_with_something_to_put_to_the_employer(
    report: CompanyReport, pdf_text: str
) -> None:
    """A driver with no finding, no change and no point to check is counted, not listed:
    the XLSX has every driver."""
    assert 0 < report.clean < len(report.drivers)
    for driver in report.drivers:
        listed = f"{driver.name} — {driver.driver.id} — {driver.file}" in pdf_text
        assert listed is not driver.clean
    assert (
        f"{report.clean} conducteurs sans infraction ni modification ni point à vérifier : "
        "détail dans le tableur XLSX" in pdf_text
    )


def test_the_pdf_gives_each_change_with_its_periods(report: CompanyReport, pdf_text: str) -> None:
    driver = next(d for d in report.drivers if d.unjustified)
    change = next(c for c in driver.changes if not c.justified)
    assert f"{change.day:%d/%m/%Y}" in pdf_text
    assert change.driver.changed[0] in pdf_text
    assert change.employer_version.changed[0] in pdf_text
    assert "sans observation de l'employeur" in pdf_text


def test_the_pdf_names_the_file_set_aside(pdf_text: str) -> None:
    assert "vide.txt" in pdf_text


def rows(sheet: Any) -> int:
    """Rows of a read-only sheet (a write-only workbook records no dimensions)."""
    return sum(1 for _ in sheet.iter_rows())


def test_the_workbook_has_a_row_per_driver_finding_and_change(report: CompanyReport) -> None:
    book = load_workbook(io.BytesIO(render_xlsx(report)), read_only=True)
    assert book.sheetnames == [
        "Conducteurs",
        "Infractions",
        "Par NATINF",
        "À vérifier",
        "Modifications",
        "Fichiers écartés",
    ]
    assert rows(book["Conducteurs"]) == 1 + len(report.drivers)
    assert rows(book["Infractions"]) == 1 + sum(len(d.findings) for d in report.drivers)
    assert rows(book["Modifications"]) == 1 + report.changes
    assert rows(book["Fichiers écartés"]) == 2


def test_the_workbook_keeps_both_versions_in_full(report: CompanyReport) -> None:
    book = load_workbook(io.BytesIO(render_xlsx(report)), read_only=True)
    rows = list(book["Modifications"].iter_rows(min_row=2, values_only=True))
    driver = next(d for d in report.drivers if d.changes)
    change = driver.changes[0]
    row = next(r for r in rows if r[1] == driver.driver.id)
    assert row[9] == " ; ".join(change.driver.periods)
    assert row[10] == " ; ".join(change.employer_version.periods)
    assert row[12] == ("oui" if change.justified else "non")


def test_the_workbook_names_each_findings_version_in_french(report: CompanyReport) -> None:
    book = load_workbook(io.BytesIO(render_xlsx(report)), read_only=True)
    versions = {r[5] for r in book["Infractions"].iter_rows(min_row=2, values_only=True)}
    assert versions
    assert versions <= {
        "versions conducteur et employeur",
        "version du conducteur",
        "version de l'employeur",
    }
