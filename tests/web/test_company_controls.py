"""A company control on the web: import of many files, per-file reasons, the report files."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import Engine, select

from control.bulletins.verify import NOT_A_BULLETIN, check_pdf
from control.demo.company import company_files, company_records
from control.pades.validate import Signed, validate
from control.rules.natinf import NATINF_11292
from control.storage.company import save_report
from control.storage.schema import audit_log
from control.verify.keys import load_private
from tests.web.conftest import csrf_of, sign_in


@pytest.fixture(scope="module")
def fifty(demo_world: Path) -> list[tuple[str, bytes]]:
    """50 drivers' files signed by the demo's Mobilic key; three of them damaged."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    key = load_private(demo_world / "issuers" / "mobilic-2026.jwk")
    files = company_files(company_records(50, now, seed=9), key, now)
    assert files[3][0] == "conducteur-004.txt"  # a code; every fifth file is JSON
    files[3] = ("conducteur-004.txt", files[3][1].replace(b"LIC1:", b"LIC1:%%"))
    files[9] = ("conducteur-010.json", files[9][1][: len(files[9][1]) // 2])
    files[30] = ("scan-permis.pdf", b"%PDF-1.7\n\xe2\xe3\xcf\xd3 binary")
    return files


@pytest.fixture
def inspector(client: TestClient) -> tuple[TestClient, str]:
    return client, sign_in(client, "inspector")


def new_company_control(client: TestClient, token: str, **fields: str) -> int:
    response = client.post("/controles-entreprise", data={"csrf": token, **fields})
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def upload(client: TestClient, token: str, control_id: int, files: list[tuple[str, bytes]]) -> int:
    parts = [("fichiers", (name, data, "text/plain")) for name, data in files]
    response = client.post(
        f"/controles-entreprise/{control_id}/fichiers", data={"csrf": token}, files=parts
    )
    return response.status_code


def state_of(page: str, name: str) -> str:
    """The "État" cell of a file's row, as read (tags out, spaces single)."""
    row = re.search(rf"<tr[^>]*><td>{re.escape(name)}</td>.*?</tr>", page, re.S)
    assert row, name
    cell = re.findall(r"<td>(.*?)</td>", row.group(0), re.S)[-1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())


def test_fifty_files_with_three_bad_ones_are_imported_each_with_its_state(
    inspector: tuple[TestClient, str], fifty: list[tuple[str, bytes]]
) -> None:
    client, token = inspector
    control_id = new_company_control(client, token)
    for start in range(0, 50, 20):  # in batches, as the page's script sends them
        assert upload(client, token, control_id, fifty[start : start + 20]) == 303
    page = client.get(f"/controles-entreprise/{control_id}").text
    assert "Fichiers importés : 50 (47 utilisables)" in page
    rows = re.findall(r"<tr class=\"ecarte\"><td>([^<]+)</td>", page)
    assert rows == ["conducteur-004.txt", "conducteur-010.json", "scan-permis.pdf"]
    assert state_of(page, "conducteur-010.json").startswith("Écarté relevé JSON illisible")
    assert state_of(page, "scan-permis.pdf").startswith("Écarté ce n'est pas un fichier texte")
    assert state_of(page, "conducteur-001.txt") == "Vérifié"


def test_the_report_is_established_and_downloaded_as_pdf_and_xlsx(
    inspector: tuple[TestClient, str], fifty: list[tuple[str, bytes]], app: FastAPI
) -> None:
    client, token = inspector
    control_id = new_company_control(client, token)
    upload(client, token, control_id, fifty)
    response = client.post(f"/controles-entreprise/{control_id}/rapport", data={"csrf": token})
    assert response.status_code == 303
    page = client.get(f"/controles-entreprise/{control_id}").text
    assert "<strong>47</strong> conducteurs analysés" in page
    table = html.unescape(page[page.index('id="par-natinf"') :])
    assert "Salariés concernés" in table
    assert NATINF_11292.qualification in table  # the demo company plants long days
    assert "Réprimée par : C. transports, art. R. 3315-5 al. 1" in table
    assert "× 750 €, par infraction constatée et par salarié concerné" in table
    assert "Code pénal, art. 131-41" in table
    pdf = client.get(f"/controles-entreprise/{control_id}/rapport.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert "attachment" in pdf.headers["content-disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Conducteurs analysés 47" in " ".join(text.split())
    signed = validate(pdf.content, app.state.context.pdf_roots, max_bytes=10**8)
    assert isinstance(signed, Signed)  # signed with the service's certificate, like bulletins
    as_bulletin = check_pdf(pdf.content, app.state.context.pdf_roots, max_bytes=10**8)
    assert as_bulletin.reason == NOT_A_BULLETIN  # a genuine report is still no bulletin
    xlsx = client.get(f"/controles-entreprise/{control_id}/rapport.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"


def test_a_report_kept_before_the_natinf_lines_still_shows_its_counts(
    inspector: tuple[TestClient, str], app: FastAPI
) -> None:
    client, token = inspector
    control_id = new_company_control(client, token)
    kept = {"siren": "", "name": "", "drivers": 2, "changes": 0, "unjustified": 0,
            "natinf": {"11292": 3}, "problems": [], "to_justify": []}  # fmt: skip
    context = app.state.context
    save_report(context.engine, context.files, control_id, datetime.now(UTC), kept, b"", b"")
    page = html.unescape(client.get(f"/controles-entreprise/{control_id}").text)
    assert f"<td>11292</td><td>{NATINF_11292.qualification}</td><td>3</td>" in page
    assert "Salariés concernés" not in page


def test_a_batch_with_an_answer_per_file_comes_back_as_a_fragment(
    inspector: tuple[TestClient, str], fifty: list[tuple[str, bytes]]
) -> None:
    client, token = inspector
    control_id = new_company_control(client, token)
    parts = [("fichiers", (n, d, "text/plain")) for n, d in fifty[28:32]]
    response = client.post(
        f"/controles-entreprise/{control_id}/fichiers",
        data={"csrf": token},
        files=parts,
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "scan-permis.pdf : ce n&#39;est pas un fichier texte" in response.text


def test_files_imported_after_the_report_are_announced(
    inspector: tuple[TestClient, str], fifty: list[tuple[str, bytes]]
) -> None:
    client, token = inspector
    control_id = new_company_control(client, token)
    upload(client, token, control_id, fifty[:3])
    client.post(f"/controles-entreprise/{control_id}/rapport", data={"csrf": token})
    upload(client, token, control_id, fifty[3:4])
    page = client.get(f"/controles-entreprise/{control_id}").text
    assert "Des fichiers ont été importés depuis" in page


def test_no_report_without_a_usable_file(
    inspector: tuple[TestClient, str], fifty: list[tuple[str, bytes]]
) -> None:
    client, token = inspector
    control_id = new_company_control(client, token)
    upload(client, token, control_id, [fifty[30]])
    response = client.post(f"/controles-entreprise/{control_id}/rapport", data={"csrf": token})
    assert response.status_code == 422
    assert "au moins un fichier utilisable" in response.text
    assert client.get(f"/controles-entreprise/{control_id}/rapport.pdf").status_code == 404


def test_an_oversized_file_is_set_aside_and_the_others_kept(
    inspector: tuple[TestClient, str], fifty: list[tuple[str, bytes]]
) -> None:
    client, token = inspector
    control_id = new_company_control(client, token)
    big = ("enorme.json", b"{" + b" " * 2_000_050 + b"}")  # over 2 MB, under the body limit
    assert upload(client, token, control_id, [fifty[0], big]) == 303
    page = client.get(f"/controles-entreprise/{control_id}").text
    assert "Fichiers importés : 2 (1 utilisables)" in page
    assert state_of(page, "enorme.json").startswith("Écarté fichier trop gros")


def test_a_malformed_siren_is_refused_in_french(inspector: tuple[TestClient, str]) -> None:
    client, token = inspector
    response = client.post("/controles-entreprise", data={"csrf": token, "siren": "12 34"})
    assert response.status_code == 422
    assert "Un SIREN compte 9 chiffres." in response.text


def test_another_inspector_does_not_learn_the_control_exists(
    inspector: tuple[TestClient, str], engine: Engine
) -> None:
    from control.storage.users import Role, add_user

    client, token = inspector
    control_id = new_company_control(client, token)
    add_user(engine, "inspector2", "Autre Inspecteur", Role.INSPECTOR, "another-password-2")
    other = TestClient(client.app, follow_redirects=False)
    other.post(
        "/connexion",
        data={"login": "inspector2", "password": "another-password-2", "csrf": csrf_of(other)},
    )
    assert other.get(f"/controles-entreprise/{control_id}").status_code == 404
    assert other.get(f"/controles-entreprise/{control_id}/rapport.pdf").status_code == 404


def test_a_roadside_agent_has_no_access(agent: tuple[TestClient, str]) -> None:
    client, _ = agent
    assert client.get("/controles-entreprise").status_code == 403


def test_opening_and_downloading_are_in_the_audit_log(
    inspector: tuple[TestClient, str], fifty: list[tuple[str, bytes]], engine: Engine
) -> None:
    client, token = inspector
    control_id = new_company_control(client, token)
    upload(client, token, control_id, fifty[:2])
    client.post(f"/controles-entreprise/{control_id}/rapport", data={"csrf": token})
    client.get(f"/controles-entreprise/{control_id}")
    client.get(f"/controles-entreprise/{control_id}/rapport.xlsx")
    with engine.connect() as connection:
        actions = [r.action for r in connection.execute(select(audit_log.c.action))]
    assert "open-company-control" in actions
    assert "download-company-report-xlsx" in actions
