"""What an attack on the recording found, each refused with a French 4xx: a code field of
repeated prefixes, moments at the ends of the calendar, a non-ASCII token, English errors."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from control.services.checking import candidates
from tests.web.conftest import csrf_of

PLACE = {"occurred_at": "2026-11-25T10:40", "departement": "69", "commune": "Vénissieux"}


def test_a_code_of_repeated_prefixes_is_refused_or_read_in_a_few_tries(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    body = {**PLACE, "kind": "electronic", "code": "LIC1:" * 30_000}
    response = client.post("/api/controls", json=body, headers={"X-CSRF-Token": token})
    assert response.status_code == 422
    assert "trop long" in response.json()["fields"]["code"]
    page = client.post("/controles", data={**body, "csrf": token})
    assert page.status_code == 422
    under_the_cap = "LIC1:" * 3_000
    assert candidates(under_the_cap) == ["LIC1:", "LIC1:LIC1:", "LIC1:LIC1:LIC1:"]  # not 3 000
    answer = client.post(
        "/api/controls", json={**body, "code": under_the_cap}, headers={"X-CSRF-Token": token}
    )
    assert answer.status_code == 201
    assert answer.json()["verdict"] == "malformed"


@pytest.mark.parametrize(
    "moment",
    ["0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00", "9999-12-31T23:59:59-12:00",
     "9999-12-31T23:59:59", "2023-01-15T10:00"],
)  # fmt: skip
def test_a_moment_outside_the_kept_years_or_in_the_future_is_refused(
    agent: tuple[TestClient, str], moment: str
) -> None:
    client, token = agent
    body = {**PLACE, "kind": "paper", "occurred_at": moment}
    response = client.post("/api/controls", json=body, headers={"X-CSRF-Token": token})
    assert response.status_code == 422
    said = response.json()["fields"]["occurred_at"]
    assert said.startswith(("Date trop ancienne", "Date dans le futur", "Date impossible"))
    if moment.startswith("9999"):
        assert "ancienne" not in said
    assert client.get("/api/controls").json() == []


def test_a_non_ascii_token_is_a_403_not_a_500(client: TestClient) -> None:
    csrf_of(client)
    response = client.post("/verifier-bulletin", data={"csrf": "é", "code": "BDC1:"})
    assert response.status_code == 403
    signed = client.post("/connexion", data={"csrf": "é", "login": "a", "password": "b"})
    assert signed.status_code == 403


def test_starlettes_own_refusals_are_french(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    unknown = client.get("/api/nulle-part")
    assert unknown.json() == {"error": "Page introuvable."}
    fields = {"decided": [str(i) for i in range(1500)]}
    attachment = {"photo": ("p.txt", b"x", "text/plain")}  # multipart: Starlette counts fields
    crowded = client.post(
        "/controles", data=fields, files=attachment, headers={"X-CSRF-Token": token}
    )
    assert crowded.status_code == 400
    assert "formulaire trop long" in crowded.text


@pytest.mark.parametrize(("field", "expected"), [("notes", "avantaprès"), ("commune", "Vif")])
def test_a_nul_in_a_text_is_dropped(
    agent: tuple[TestClient, str], field: str, expected: str
) -> None:
    """PostgreSQL refuses a NUL in text: dropped, never a 500."""
    client, token = agent
    typed = {"notes": "avant\x00après", "commune": "V\x00if"}[field]
    body = {**PLACE, "kind": "paper", field: typed}
    response = client.post("/api/controls", json=body, headers={"X-CSRF-Token": token})
    assert response.status_code == 201
    assert response.json()[field] == expected


@pytest.mark.parametrize("path", ["/api/verify", "/api/controls"])
@pytest.mark.parametrize("depth", [1_000, 50_000])
def test_json_nested_too_deep_is_refused_in_french_and_the_server_goes_on(
    agent: tuple[TestClient, str], path: str, depth: int
) -> None:
    client, token = agent
    body = '{"text": "x", "kind": "electronic", "code": ' + "[" * depth + "]" * depth + "}"
    headers = {"X-CSRF-Token": token, "Content-Type": "application/json"}
    response = client.post(path, content=body.encode(), headers=headers)
    assert 400 <= response.status_code < 500
    assert response.json()["error"]
    assert "Erreur interne" not in response.json()["error"]
    after = client.post(
        path, json={"text": "LIC1:", **PLACE, "kind": "electronic", "code": ""}, headers=headers
    )
    assert after.status_code < 500
