"""Every text and list a request may carry is bounded, refused in French over its bound: what
one request stores, every list and export carries for good."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from tests.own_loop import run
from web.app import BodyLimit

PLACE = {"occurred_at": "2026-11-25T10:40", "departement": "69", "commune": "Vénissieux"}


def post(client: TestClient, token: str, body: object) -> tuple[int, dict[str, object]]:
    response = client.post(
        "/api/controls",
        content=json.dumps(body),
        headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
    )
    return response.status_code, response.json()


def test_two_million_natinf_are_refused_before_being_read(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    status, answer = post(
        client, token, {**PLACE, "kind": "paper", "manual_natinf": ["32083"] * 2_000_000}
    )
    assert status == 413
    assert answer["error"] == "Envoi trop volumineux (1 Mo au plus)."
    assert client.get("/api/controls").json() == []


def test_a_second_content_type_does_not_lift_the_bound() -> None:
    """The parser reads the first Content-Type: a multipart one sent after it gets no upload
    limit (HTTP clients join repeated headers, so the ASGI scope is built by hand)."""
    reached: list[bool] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        reached.append(True)

    answers: list[Message] = []

    async def send(message: Message) -> None:
        answers.append(message)

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {
        "type": "http",
        "path": "/api/controls",
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-type", b"multipart/form-data; boundary=x"),
            (b"content-length", b"8000000"),
        ],
    }
    run(BodyLimit(app, 15_000_000, 1_000_000)(scope, receive, send))
    assert reached == []
    assert answers[0]["status"] == 413


def test_many_natinf_in_one_field_are_refused(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    one_field = ",".join(["32083"] * 13)
    status, answer = post(client, token, {**PLACE, "kind": "paper", "manual_natinf": [one_field]})
    assert status == 422
    assert answer["fields"] == {"manual_natinf": "Trop de NATINF ajoutés (12 au plus)."}
    page = client.post(
        "/controles",
        data={**PLACE, "kind": "paper", "csrf": token, "manual_natinf": one_field},
    )
    assert page.status_code == 422
    assert "Trop de NATINF ajoutés (12 au plus)." in page.text
    long_field = ",".join(["32083"] * 20_000)
    status, answer = post(client, token, {**PLACE, "kind": "paper", "manual_natinf": [long_field]})
    assert status == 422
    assert "NATINF" in str(answer["fields"])
    assert client.get("/api/controls").json() == []


def test_each_text_of_the_control_has_its_bound_said_in_french(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    for field, bound in (("notes", "2 000"), ("driver_name", "200"), ("commune", "100"),
                         ("employer_name", "200"), ("departement", "10")):  # fmt: skip
        status, answer = post(client, token, {**PLACE, "kind": "paper", field: "x" * 5000})
        assert status == 422, field
        assert answer["fields"] == {field: f"Texte trop long ({bound} caractères au plus)."}


def test_a_bulletin_with_an_endless_finding_key_is_refused(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    status, created = post(client, token, {**PLACE, "kind": "paper"})
    assert status == 201
    response = client.post(
        f"/api/controls/{created['id']}/bulletin",
        json={"kept": ["k" * 100_000]},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {"kept": "Texte trop long (100 caractères au plus)."}


def test_a_plain_form_body_has_the_same_bound_as_json(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    page = client.post("/controles", data={**PLACE, "kind": "paper", "csrf": token,
                                           "notes": "x" * 1_100_000})  # fmt: skip
    assert page.status_code == 413
    assert "Envoi trop volumineux (1 Mo au plus)." in page.text


def test_the_most_natinf_a_control_may_carry_are_stored_and_found(
    agent: tuple[TestClient, str],
) -> None:
    """Twelve codes of their own beside the retained findings' fit the search's copy of
    them (on PostgreSQL, a longer one was a 500)."""
    client, token = agent
    codes = [str(20000 + n) for n in range(12)]
    status, created = post(client, token, {**PLACE, "kind": "paper", "manual_natinf": codes})
    assert status == 201
    assert created["manual_natinf"] == codes
