"""Per NATINF, the company report counts the employees concerned and the findings, and gives
the maximum fine the employer incurs; the warnings are listed as questions for the employer,
never counted as offences."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from control.company.establish import summary
from control.company.files import DriverFile, Source
from control.company.pdf import render_pdf
from control.company.report import CompanyReport, OffenceTally, build_report
from control.company.xlsx import render_xlsx
from control.demo.company import company, for_employer
from control.demo.records import Profile, make_record
from control.record.model import Sector
from control.rules.catalogue import DAILY_WORK, NIGHT_WORK
from control.rules.findings import Finding, Version
from control.rules.natinf import NATINF_11292, NATINF_32083
from tests.conftest import NOW

PLANTS = (
    ("a", {"long-day"}, 21),
    ("b", {"long-day", "night-work"}, 22),
    ("c", {"high-average"}, 23),  # a 50 h average: a question, not an offence
)


@pytest.fixture(scope="module")
def report() -> CompanyReport:
    """Two drivers sharing NATINF 11292, one of them with 32083 too, a third with a warning."""
    files = [
        DriverFile(
            f"{key}.json",
            for_employer(
                make_record(Profile(key, Sector.GOODS_REGIONAL, frozenset(plants)), NOW, seed=seed),
                company(4),
            ),
            Source.UNSIGNED,
            as_of=NOW,
        )
        for key, plants, seed in PLANTS
    ]
    return build_report(files, NOW)


def test_employees_and_findings_are_counted_per_natinf(report: CompanyReport) -> None:
    by_code = {o.code: o for o in report.offences()}
    assert set(by_code) == {"11292", "32083"}
    assert (by_code["11292"].employees, by_code["11292"].findings) == (2, 2)
    assert (by_code["32083"].employees, by_code["32083"].findings) == (1, 1)
    assert sum(o.findings for o in report.offences()) == sum(
        len(d.findings) for d in report.drivers
    )


def test_the_warning_is_listed_apart_and_not_counted(report: CompanyReport) -> None:
    [warned] = [d for d in report.drivers if d.warnings]
    assert not warned.findings
    assert [w.rule.id for w in warned.warnings] == ["weekly-average"]
    assert report.warnings == 1
    assert sum(report.natinf().values()) == 3


def finding(rule: object, day: int) -> Finding:
    return Finding(rule, (NOW.date().replace(day=day),), Version.BOTH, {}, "synthétique")  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def repeated(report: CompanyReport) -> CompanyReport:
    """Driver A with 11292 twice and 32083 once, driver B with each once: employees and
    findings differ, so each way of counting shows."""
    a, b = [d for d in report.drivers if d.findings]
    [c] = [d for d in report.drivers if d.warnings]
    return replace(
        report,
        drivers=(
            replace(
                a, findings=(finding(DAILY_WORK, 2), finding(DAILY_WORK, 3), finding(NIGHT_WORK, 4))
            ),
            replace(b, findings=(finding(DAILY_WORK, 5), finding(NIGHT_WORK, 6))),
            c,
        ),
    )


def test_each_finding_is_a_contravention_even_where_the_fine_is_per_employee(
    repeated: CompanyReport,
) -> None:
    # two breaches of one driver are two contraventions: counting employees would cap them
    daily = next(o for o in repeated.offences() if o.code == "11292")
    assert NATINF_11292.per_employee is True
    assert (daily.employees, daily.findings) == (2, 3)
    assert daily.exposure_eur == 3 * 750
    assert daily.basis == (
        "3 infractions × 750 €, par infraction constatée et par salarié concerné"
    )


def test_otherwise_the_fine_is_multiplied_by_the_findings(repeated: CompanyReport) -> None:
    night = next(o for o in repeated.offences() if o.code == "32083")
    assert NATINF_32083.per_employee is None
    assert (night.employees, night.findings) == (2, 2)
    assert night.exposure_eur == 2 * 1500
    assert night.basis == (
        "2 infractions × 1\u202f500 €, par infraction constatée"
        " (multiplication par salarié non vérifiée)"
    )
    assert repeated.exposure_eur == 2250 + 3000


def test_a_code_outside_the_catalogue_has_no_fine() -> None:
    unknown = OffenceTally("99999", 1, 1)
    assert unknown.qualification == "Infraction NATINF 99999"
    assert unknown.exposure_eur is None
    assert unknown.defined_by == unknown.punished_by == ()


def test_the_pdf_gives_each_natinf_line_its_counts_and_fine(repeated: CompanyReport) -> None:
    reader = PdfReader(io.BytesIO(render_pdf(repeated)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for expected in (
        NATINF_11292.qualification,
        "Contravention de 4e classe",
        "Contravention de 5e classe",
        "Prévue par : " + " ; ".join(NATINF_32083.defined_by),
        "Réprimée par : " + " ; ".join(NATINF_11292.punished_by),
        "2 250 € 3 infractions × 750 €, par infraction constatée et par salarié concerné",
        "3 000 € 2 infractions × 1 500 €, par infraction constatée"
        " (multiplication par salarié non vérifiée)",
        "Total, personne physique 5 250 €",
        "Code pénal, art. 131-41",
        "26 250 €",
        "À vérifier auprès de l'employeur",
        "Points à vérifier auprès de l'employeur (non comptés comme infractions) 1",
    ):
        assert expected in text, expected
    [warning] = [w for d in repeated.drivers for w in d.warnings]
    assert " ".join(warning.explanation.split()) in text


def test_the_workbook_and_the_summary_carry_the_same_figures(repeated: CompanyReport) -> None:
    [warned] = [w.rule.title for d in repeated.drivers for w in d.warnings]
    book = load_workbook(io.BytesIO(render_xlsx(repeated)), read_only=True)
    rows = list(book["Par NATINF"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[5], r[6], r[7], r[8], r[9]) for r in rows[:2]] == [
        ("11292", 2, 3, 750, "oui", 2250),
        ("32083", 2, 2, 1500, "non vérifié", 3000),
    ]
    assert rows[2][9] == 5250
    [check] = list(book["À vérifier"].iter_rows(min_row=2, values_only=True))
    assert check[2] == warned
    kept = summary(repeated)
    assert [
        (o["natinf"], o["employees"], o["findings"], o["exposure_eur"]) for o in kept["offences"]
    ] == [
        ("11292", 2, 3, 2250),
        ("32083", 2, 2, 3000),
    ]
    assert kept["legal_person_exposure_eur"] == 5 * 5250
    assert [c["title"] for c in kept["to_check"]] == [warned]
