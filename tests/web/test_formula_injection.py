"""Text a company or an agent supplies never becomes a live formula in a CSV or a workbook
(OWASP CSV injection): it is read back by the csv module and openpyxl, as a spreadsheet would."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from control.spreadsheet import FORMULA_STARTS
from tests.web.conftest import csrf_of, demo_code, sign_in, verdict_choices

HOSTILE = {
    "commune": '=HYPERLINK("http://attaquant.example","Cliquez")',
    "place": "=cmd|' /C calc'!A0",
}


def recorded_with_hostile_text(client: TestClient, demo_world: Path) -> None:
    token = sign_in(client, "agent")
    code = demo_code(demo_world, "06-nuit")
    data = {"occurred_at": "2026-11-25T10:40", "departement": "69", "plate": "AB-123-CD",
            "kind": "electronic", "code": code, "csrf": token, **HOSTILE,
            **verdict_choices(client, token, code)}  # fmt: skip
    assert client.post("/controles", data=data).status_code == 303
    client.post("/deconnexion", data={"csrf": csrf_of(client, "/scan")})


def assert_no_formula_text(cells: list[str]) -> None:
    texts = [c for c in cells if isinstance(c, str)]
    assert not [c for c in texts if c.startswith(FORMULA_STARTS)]


def test_the_search_csv_neutralises_every_text_that_could_start_a_formula(
    client: TestClient, demo_world: Path
) -> None:
    recorded_with_hostile_text(client, demo_world)
    sign_in(client, "inspector")
    text = client.get("/recherche.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 2
    for cell in rows[1]:
        assert not cell.startswith(FORMULA_STARTS), cell
    assert "'=cmd|' /C calc'!A0" in rows[1]  # kept whole, behind one quote


def test_the_search_workbook_has_no_formula_cell(client: TestClient, demo_world: Path) -> None:
    recorded_with_hostile_text(client, demo_world)
    sign_in(client, "inspector")
    sheet = load_workbook(io.BytesIO(client.get("/recherche.xlsx").content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.value for c in cells if c.data_type == "f"]
    assert_no_formula_text([c.value for c in cells])
    assert isinstance(sheet.cell(2, 1).value, int)  # numbers stay numbers


def test_the_audit_csv_neutralises_a_target_typed_as_a_formula(client: TestClient) -> None:
    sign_in(client, "inspector")
    client.get("/entreprises/=1+2")  # its audit row's target is the SIREN asked for
    client.post("/deconnexion", data={"csrf": csrf_of(client, "/controles")})
    sign_in(client, "admin")
    text = client.get("/admin/journal.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert any(row[3] == "'=1+2" for row in rows[1:])
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell
