"""Recording controls: from the verdict, on paper, without a LIC; listed; bad forms refused."""

from __future__ import annotations

import html
from pathlib import Path

from fastapi.testclient import TestClient

from tests.web.conftest import demo_code, sign_in, verdict_choices

PLACE = {
    "occurred_at": "2026-11-25T10:40",
    "departement": "69",
    "commune": "Vénissieux",
    "place": "A7, aire de Solaize",
    "plate": "ab-123-cd",
}


def test_a_control_from_the_verdict_keeps_retained_and_discarded_findings(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    code = demo_code(demo_world, "02-longue-distance")
    decided = verdict_choices(client, token, code)["decided"]
    assert len(decided) >= 2
    data = {**PLACE, "kind": "electronic", "code": code, "csrf": token}
    data |= {"decided": decided, "retained": ["0"]}
    response = client.post("/controles", data=data)
    assert response.status_code == 303
    page = html.unescape(client.get(response.headers["location"]).text)
    assert "retenue" in page
    assert "écartée par l'agent" in page
    assert "AB-123-CD" in page
    listed = client.get("/controles").text
    assert "Vénissieux" in listed


def test_a_code_seen_in_an_earlier_control_is_flagged(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    code = demo_code(demo_world, "01-conforme")
    client.post("/controles", data={**PLACE, "kind": "electronic", "code": code, "csrf": token})
    page = html.unescape(client.post("/verifier", data={"code": code, "csrf": token}).text)
    assert "déjà été présenté lors d'un autre contrôle" in page


def test_a_control_without_a_lic_pre_records_23103(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    form = client.get("/controles/nouveau?type=none").text
    assert 'value="23103"' in form
    data = {
        **PLACE,
        "kind": "none",
        "driver_name": "Test Conducteur",
        "employer_siren": "111 111 118",
        "employer_name": "Transports Essai",
        "manual_natinf": "23103",
        "csrf": token,
    }
    response = client.post("/controles", data=data)
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "NATINF 23103" in page
    assert "111111118" in page


def test_a_bad_form_is_a_422_naming_the_fields_and_saves_nothing(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    data = {
        **PLACE,
        "kind": "paper",
        "departement": "99",
        "employer_siren": "12",
        "manual_natinf": "abc",
        "csrf": token,
    }
    response = client.post("/controles", data=data)
    assert response.status_code == 422
    assert "Département inconnu" in response.text
    assert "9 chiffres" in response.text
    assert "NATINF invalide" in response.text
    assert "Aucun contrôle" in client.get("/controles").text


def test_a_garbage_date_is_a_422(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    data = {**PLACE, "kind": "paper", "occurred_at": "yesterday", "csrf": token}
    response = client.post("/controles", data=data)
    assert response.status_code == 422
    assert "Date et heure invalides" in response.text


def test_an_unknown_kind_is_a_422(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    response = client.post("/controles", data={**PLACE, "kind": "other", "csrf": token})
    assert response.status_code == 422


def test_an_electronic_control_with_a_forged_code_is_refused(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    data = {**PLACE, "kind": "electronic", "code": "", "csrf": token}
    response = client.post("/controles", data=data)
    assert response.status_code == 422


def test_an_agent_sees_only_their_controls(
    client: TestClient, demo_world: Path, app: object
) -> None:
    token = sign_in(client, "agent")
    data = {**PLACE, "kind": "paper", "csrf": token}
    location = client.post("/controles", data=data).headers["location"]
    client.post("/deconnexion", data={"csrf": token})
    token = sign_in(client, "admin")
    other = client.post("/controles", data={**PLACE, "kind": "paper", "csrf": token})
    other_id = other.headers["location"].rsplit("/", 1)[1]
    client.post("/deconnexion", data={"csrf": token})
    sign_in(client, "agent")
    assert client.get(location).status_code == 200
    assert client.get(f"/controles/{other_id}").status_code == 404
    assert client.get(f"/api/controls/{other_id}").status_code == 404


def test_the_api_records_and_returns_a_control(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    body = {
        **PLACE,
        "kind": "electronic",
        "code": demo_code(demo_world, "06-nuit"),
        "retained": [0],
    }
    response = client.post("/api/controls", json=body, headers={"X-CSRF-Token": token})
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["verdict"] == "valid"
    assert created["findings"][0]["natinf"] == "32083"
    assert created["findings"][0]["retained"] is True
    assert client.get(f"/api/controls/{created['id']}").json() == created
    assert [c["id"] for c in client.get("/api/controls").json()] == [created["id"]]


def test_the_api_names_the_bad_fields(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    body = {**PLACE, "kind": "paper", "departement": "0"}
    response = client.post("/api/controls", json=body, headers={"X-CSRF-Token": token})
    assert response.status_code == 422
    assert "departement" in response.json()["fields"]


def test_an_inspector_reads_controls_but_cannot_record(client: TestClient) -> None:
    token = sign_in(client, "inspector")
    assert client.get("/controles").status_code == 200
    response = client.post("/controles", data={**PLACE, "kind": "paper", "csrf": token})
    assert response.status_code == 403


def test_a_siren_with_a_wrong_key_is_refused_as_the_bulletin_would(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    data = {**PLACE, "kind": "paper", "employer_siren": "123 456 789", "csrf": token}
    response = client.post("/controles", data=data)
    assert response.status_code == 422
    assert "la clé de contrôle ne correspond pas" in html.unescape(response.text)
    assert 'value="123 456 789"' in response.text  # kept, to correct one digit
