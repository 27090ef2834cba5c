"""Inspectors search past controls; every opening is in the audit log."""

from __future__ import annotations

import html
import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from control.storage.audit import entries
from control.storage.users import Role, add_user
from tests.web.conftest import csrf_of, demo_code, sign_in, verdict_choices

PLACE = {"occurred_at": "2026-11-25T10:40", "departement": "69", "commune": "Vénissieux"}


def recorded(client: TestClient, demo_world: Path, stem: str, plate: str) -> int:
    token = sign_in(client, "agent")
    code = demo_code(demo_world, stem)
    data = {**PLACE, "plate": plate, "kind": "electronic", "code": code, "csrf": token,
            **verdict_choices(client, token, code)}  # fmt: skip
    location = client.post("/controles", data=data).headers["location"]
    client.post("/deconnexion", data={"csrf": csrf_of(client, "/scan")})
    return int(location.rsplit("/", 1)[1])


def test_an_inspector_finds_a_control_by_a_company_fragment_and_by_plate(
    client: TestClient, demo_world: Path
) -> None:
    first = recorded(client, demo_world, "06-nuit", "AB-123-CD")
    recorded(client, demo_world, "04-voyageurs", "EF-456-GH")
    sign_in(client, "inspector")
    page = client.get(f"/controles/{first}").text
    company = html.unescape(page).split("Entreprise</dt><dd>")[1].split(" ")[1][:4]  # a fragment
    found = html.unescape(client.get("/recherche", params={"q": company}).text)
    assert f'href="/controles/{first}"' in found
    by_plate = client.get("/recherche", params={"plaque": "ab-123-cd"}).text
    assert "<strong>1</strong> contrôle " in by_plate


def test_results_come_as_a_fragment_for_htmx(client: TestClient) -> None:
    sign_in(client, "inspector")
    fragment = client.get("/recherche?q=x", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert "contrôle" in fragment.text


def test_a_bad_date_is_reported_not_a_crash(client: TestClient) -> None:
    sign_in(client, "inspector")
    page = client.get("/recherche", params={"du": "demain", "page": "-3", "par": "abc"})
    assert page.status_code == 200
    assert "Date de début invalide" in html.unescape(page.text)


def test_dates_are_typed_as_in_france_and_iso_links_still_work(
    client: TestClient, demo_world: Path
) -> None:
    control = recorded(client, demo_world, "06-nuit", "AB-123-CD")  # on 25/11/2026
    sign_in(client, "inspector")
    for du, au in (("25/11/2026", "25/11/2026"), ("2026-11-25", "2026-11-25")):
        found = client.get("/recherche", params={"du": du, "au": au})
        assert f'href="/controles/{control}"' in found.text
        assert 'value="25/11/2026"' in found.text  # shown back as the agent types it
    later = client.get("/recherche", params={"du": "26/11/2026"})
    assert f'href="/controles/{control}"' not in later.text
    assert 'type="date"' not in later.text  # no picker in the browser's language


def test_a_date_that_does_not_exist_says_the_french_format(client: TestClient) -> None:
    sign_in(client, "inspector")
    page = html.unescape(client.get("/recherche", params={"au": "31/02/2026"}).text)
    assert "Date de fin invalide : ignorée. Format attendu : JJ/MM/AAAA." in page
    assert "fr-input-group--error" in page  # the field itself is marked


def test_results_fragment_holds_the_table(client: TestClient, demo_world: Path) -> None:
    control = recorded(client, demo_world, "06-nuit", "AB-123-CD")
    sign_in(client, "inspector")
    fragment = client.get(
        "/recherche", params={"plaque": "AB-123-CD"}, headers={"HX-Request": "true"}
    )
    assert "<html" not in fragment.text
    assert "fr-table" in fragment.text
    assert f'href="/controles/{control}"' in fragment.text


def test_the_csv_export_holds_the_results_and_is_audited(
    client: TestClient, demo_world: Path, engine: Engine
) -> None:
    recorded(client, demo_world, "06-nuit", "AB-123-CD")
    sign_in(client, "inspector")
    export = client.get("/recherche.csv", params={"plaque": "AB-123-CD"})
    assert export.headers["content-type"].startswith("text/csv")
    assert export.content.startswith(b"\xef\xbb\xbf")  # French Excel reads it as UTF-8
    lines = export.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Numéro;Date;Type;Département;")  # French, accents kept
    assert len(lines) == 2
    assert "32083" in lines[1]
    assert re.search(r";25/11/2026 10:40;LIC électronique;", lines[1])  # Paris time, day first
    assert ";Code authentique;" in lines[1]  # the verdict as a person reads it
    assert any(e.action == "export" for e in entries(engine))


def test_opening_a_control_is_written_in_the_audit_log(
    client: TestClient, demo_world: Path, engine: Engine
) -> None:
    control = recorded(client, demo_world, "01-conforme", "AB-123-CD")
    sign_in(client, "inspector")
    client.get(f"/controles/{control}")
    latest = entries(engine)[0]
    assert (latest.login, latest.action, latest.target) == (
        "inspector", "open-control", f"contrôle {control}",
    )  # fmt: skip
    client.post("/deconnexion", data={"csrf": csrf_of(client, "/controles")})
    sign_in(client, "admin")
    journal = html.unescape(client.get("/admin/journal").text)
    assert "Consultation d'un contrôle" in journal
    assert "open-control" not in journal
    exported = client.get("/admin/journal.csv").content.decode("utf-8-sig")
    assert "inspector;Consultation d'un contrôle;" in exported
    assert re.search(r"^\d\d/\d\d/\d{4} \d\d:\d\d;", exported.splitlines()[1])


def test_an_agent_of_another_unit_gets_404_not_403(
    client: TestClient, demo_world: Path, engine: Engine
) -> None:
    control = recorded(client, demo_world, "01-conforme", "AB-123-CD")
    add_user(engine, "ailleurs", "Agent Ailleurs", Role.AGENT, "another long password", "DREETS-38")
    token = csrf_of(client)
    client.post("/connexion", data={"login": "ailleurs", "password": "another long password",
                                    "csrf": token})  # fmt: skip
    assert client.get(f"/controles/{control}").status_code == 404
    assert client.get(f"/api/controls/{control}").status_code == 404
    assert "<strong>0</strong>" in client.get("/recherche").text


def test_the_xlsx_export_holds_the_same_rows(client: TestClient, demo_world: Path) -> None:
    import io

    from openpyxl import load_workbook

    recorded(client, demo_world, "06-nuit", "AB-123-CD")
    sign_in(client, "inspector")
    export = client.get("/recherche.xlsx", params={"plaque": "AB-123-CD"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Numéro", "Date", "Type", "Département")
    assert len(rows) == 2
    assert rows[1][6] == "AB-123-CD"
    assert "32083" in rows[1][11]


def test_the_company_page_lists_its_controls_and_tally(
    client: TestClient, demo_world: Path
) -> None:
    control = recorded(client, demo_world, "06-nuit", "AB-123-CD")
    sign_in(client, "inspector")
    page = html.unescape(client.get(f"/controles/{control}").text)
    siren = page.split("(SIREN ")[1][:9]
    company = html.unescape(client.get(f"/entreprises/{siren}").text)
    assert f"SIREN {siren}" in company
    assert "32083 × 1" in company
    assert f'href="/controles/{control}"' in company


def test_the_csv_export_announces_its_rows_for_the_progress_bar(
    client: TestClient, demo_world: Path
) -> None:
    recorded(client, demo_world, "06-nuit", "AB-123-CD")
    recorded(client, demo_world, "04-voyageurs", "EF-456-GH")
    sign_in(client, "inspector")
    response = client.get("/recherche.csv")
    assert response.headers["x-rows-total"] == "2"
    assert len(response.text.strip().splitlines()) == 1 + 2
