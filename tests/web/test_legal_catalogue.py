"""docs/legal.md, the NATINF catalogue, /regles.json and the bulletin PDF say the same words:
the qualification, the class and its maximum fine, the per-employee multiplication, and the
texts that define and punish each offence."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from control.bulletins.model import Infraction
from control.bulletins.pdf import render_pdf
from control.demo.bulletins import sample_bulletin
from control.rules.catalogue import ALL_RULES, ALL_WARNINGS
from control.rules.natinf import CATALOGUE, MAX_FINE_EUR, Natinf
from tests.bulletins.test_pdf import printed_text
from tests.web.conftest import demo_code

DOC = Path(__file__).parents[2] / "docs" / "legal.md"
PER_EMPLOYEE = {"oui": True, "non vérifié": None}


def doc_rows() -> dict[str, list[str]]:
    """The NATINF table of docs/legal.md, cell by cell, keyed by code."""
    text = DOC.read_text(encoding="utf-8")
    table = text.split("<!-- natinf-table")[1].split("\n\n")[0]
    rows = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if re.fullmatch(r"\d{5}", cells[0]):
            rows[cells[0]] = cells
    return rows


def euros(amount: int) -> str:
    return f"{amount:,} €".replace(",", " ")


def test_the_doc_lists_every_natinf_of_the_catalogue_and_nothing_else() -> None:
    assert set(doc_rows()) == set(CATALOGUE)


def test_each_doc_line_is_the_catalogues() -> None:
    for code, cells in doc_rows().items():
        _, qualification, klass, fine, per_employee, defined, punished = cells
        natinf = CATALOGUE[code]
        assert qualification == natinf.qualification, code
        assert int(klass) == natinf.klass, code
        assert fine == euros(natinf.max_fine_eur) == euros(MAX_FINE_EUR[natinf.klass]), code
        assert PER_EMPLOYEE[per_employee] is natinf.per_employee, code
        assert defined.split(" ; ") == list(natinf.defined_by), code
        assert punished.split(" ; ") == list(natinf.punished_by), code


def test_every_rule_reports_a_catalogue_line_and_every_line_is_reported() -> None:
    reported = {rule.natinf for rule in ALL_RULES}
    assert reported == set(CATALOGUE)
    for rule in ALL_RULES:
        assert rule.offence is CATALOGUE[rule.natinf or ""]
        assert rule.legal, rule.key
    for warning in ALL_WARNINGS:
        assert warning.natinf is None, "a warning is never an offence"
        assert warning.legal, warning.key


def test_the_doc_names_every_rule_and_warning_key() -> None:
    text = DOC.read_text(encoding="utf-8")
    for rule in (*ALL_RULES, *ALL_WARNINGS):
        assert f"`{rule.key}`" in text, rule.key
        for article in rule.legal:
            assert article.split("art. ")[1] in text, (rule.key, article)


def test_regles_json_publishes_the_catalogue(client: TestClient) -> None:
    table = client.get("/regles.json").json()
    assert table["natinf"] == [n.to_json() for n in CATALOGUE.values()]
    by_key = {r["key"]: r for r in table["rules"]}
    for rule in ALL_RULES:
        published = by_key[rule.key]
        offence: Natinf = CATALOGUE[rule.natinf or ""]
        assert published["qualification"] == offence.qualification
        assert published["defined_by"] == list(offence.defined_by)
        assert published["punished_by"] == list(offence.punished_by)
        assert published["max_fine_eur"] == offence.max_fine_eur
        assert published["legal"] == list(rule.legal)
    assert {w["key"] for w in table["warnings"]} == {w.key for w in ALL_WARNINGS}
    assert all(w["natinf"] is None for w in table["warnings"])


def test_the_bulletin_pdf_prints_each_line_as_the_catalogue_says() -> None:
    infractions = tuple(Infraction.of(code, (date(2026, 11, 3),)) for code in CATALOGUE)
    bulletin = replace(sample_bulletin(), infractions=infractions)
    printed = " ".join(printed_text(render_pdf(bulletin, "BDC1:ESSAI")).split())
    for natinf in CATALOGUE.values():
        assert natinf.qualification in printed, natinf.code
        assert natinf.nature in printed, natinf.code
        for article in (*natinf.defined_by, *natinf.punished_by):
            assert article in printed, (natinf.code, article)
        assert euros(natinf.max_fine_eur) in printed.replace("\u202f", " "), natinf.code


def test_the_verdict_page_says_each_line_and_the_questions_apart(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    code = demo_code(demo_world, "04-voyageurs")
    page = html.unescape(client.post("/verifier", data={"code": code, "csrf": token}).text)
    offence = CATALOGUE["11292"]
    assert f"{offence.nature} — {offence.qualification}" in page
    # every reference whole on one line, the passenger rule applied named
    assert '<span class="ref">C. transports, art. D. 3312-6</span>' in page
    assert '<span class="ref">C. transports, art. R. 3315-5 al. 1</span>' in page
    assert offence.fine_wording in page
    findings, questions = page.split("À vérifier auprès de l'employeur (")[:2]
    assert "Amplitude de plus de 12 h" not in findings
    assert "type de service à vérifier" in questions
    form = page[page.index('action="/controles"') :]
    assert "Amplitude" not in form  # a question is never a box to tick
