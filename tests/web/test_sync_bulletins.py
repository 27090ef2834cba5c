"""A bulletin filled on a tablet without network is issued when the tablet syncs: once,
however many times the sync sends it; a control that has one already is a conflict, and a
bulletin the server refuses is kept as the control's draft."""

from __future__ import annotations

import io
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from pypdf import PdfReader

from control.typed_time import CLOCK_HINT
from tests.at_once import at_once
from tests.web.test_sync import BODY, KEY, send

FIELDS = {
    "family_name": "Morel",
    "given_name": "Étienne",
    "siren": "298412974",
    "company_name": "Fret Vercors",
    "plate": "AB-123-CD",
    "start_time": "10:40",
    "end_time": "11:05",
    "observations": "Bulletin rempli hors ligne.",
}
BULLETIN_KEY = f"{KEY}-b"


def send_bulletin(
    client: TestClient, token: str, control_id: int, fields: dict[str, object], key: str
) -> Response:
    return client.post(
        f"/api/controls/{control_id}/bulletin",
        json=fields,
        headers={"X-CSRF-Token": token, "Idempotency-Key": key},
    )


def issued_online(client: TestClient, token: str) -> tuple[int, dict[str, Any]]:
    """A control whose bulletin was issued from another device while the tablet's waited."""
    control_id = send(client, token, BODY).json()["id"]
    online = send_bulletin(client, token, control_id, FIELDS, "issued-online-0001").json()
    return control_id, online


def test_a_bulletin_synced_twice_is_issued_once(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = send(client, token, BODY).json()["id"]
    first = send_bulletin(client, token, control_id, FIELDS, BULLETIN_KEY)
    again = send_bulletin(client, token, control_id, FIELDS, BULLETIN_KEY)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    pdf = client.get(first.json()["pdf"])
    assert pdf.headers["content-type"] == "application/pdf"
    page = client.get(f"/controles/{control_id}").text
    assert page.count(first.json()["number"]) >= 1


def test_the_bulletin_holds_what_was_typed_and_what_the_control_knew(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    control_id = send(client, token, BODY).json()["id"]
    issued = send_bulletin(client, token, control_id, FIELDS, BULLETIN_KEY).json()
    pdf = PdfReader(io.BytesIO(client.get(issued["pdf"]).content))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Bulletin rempli hors ligne." in text
    assert "Vif" in text  # the commune, from the control: not sent again


def test_a_control_with_a_bulletin_already_is_a_conflict(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id, online = issued_online(client, token)
    conflict = send_bulletin(client, token, control_id, FIELDS, BULLETIN_KEY)
    assert conflict.status_code == 409
    assert online["number"] in conflict.json()["error"]
    assert conflict.json()["bulletin"]["id"] == online["id"]


def test_a_refused_bulletin_is_kept_as_the_controls_draft(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = send(client, token, BODY).json()["id"]
    response = send_bulletin(
        client, token, control_id, {**FIELDS, "start_time": "25:99"}, BULLETIN_KEY
    )
    assert response.status_code == 422
    assert response.json()["fields"]["start_time"] == f"Heure invalide. {CLOCK_HINT}."
    assert 'value="25:99"' in client.get(f"/controles/{control_id}/bulletin").text
    step_three = client.get(f"/controles/{control_id}/bulletin?etape=3").text
    assert "Bulletin rempli hors ligne." in step_three


def test_a_malformed_key_issues_nothing(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = send(client, token, BODY).json()["id"]
    response = send_bulletin(client, token, control_id, FIELDS, "a b")
    assert response.status_code == 422
    assert "Clé d'idempotence invalide" in response.json()["error"]
    assert "Bulletin n°" not in client.get(f"/controles/{control_id}").text  # none issued


def test_a_finding_the_control_does_not_have_is_refused_not_dropped(
    agent: tuple[TestClient, str],
) -> None:
    """A bulletin issued without the infraction the tablet meant would say less than the
    agent decided: an unknown finding's key is refused, and the fields kept as the draft."""
    client, token = agent
    control_id = send(client, token, BODY).json()["id"]  # a paper LIC with no sheet yet
    fields = {**FIELDS, "kept": ["qr-0"]}
    response = send_bulletin(client, token, control_id, fields, BULLETIN_KEY)
    assert response.status_code == 422
    assert response.json()["fields"]["kept"] == (
        "Infraction inconnue pour ce contrôle : rechargez le contrôle et choisissez à nouveau "
        "les infractions."
    )
    assert "Bulletin n°" not in client.get(f"/controles/{control_id}").text  # none issued
    step_three = client.get(f"/controles/{control_id}/bulletin?etape=3").text
    assert "Bulletin rempli hors ligne." in step_three


def test_an_unknown_field_is_refused(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = send(client, token, BODY).json()["id"]
    response = send_bulletin(client, token, control_id, {"numero": "1"}, BULLETIN_KEY)
    assert response.status_code == 422
    assert client.get(f"/controles/{control_id}/bulletin").status_code == 200


def test_a_conflict_is_resolved_by_sending_the_fields_as_a_correction(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    control_id, online = issued_online(client, token)
    fields = {**FIELDS, "corrects": online["id"]}
    corrected = send_bulletin(client, token, control_id, fields, f"{BULLETIN_KEY}-c")
    assert corrected.status_code == 201
    assert corrected.json()["number"] == online["number"]
    assert corrected.json()["version"] == 2


def test_a_correction_of_a_version_since_replaced_is_a_conflict(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    control_id = send(client, token, BODY).json()["id"]
    first = send_bulletin(client, token, control_id, FIELDS, "issued-online-0001").json()
    send_bulletin(client, token, control_id, {**FIELDS, "corrects": first["id"]}, "second-0001")
    stale = send_bulletin(
        client, token, control_id, {**FIELDS, "corrects": first["id"]}, BULLETIN_KEY
    )
    assert stale.status_code == 409
    assert stale.json()["bulletin"]["version"] == 2


def test_a_conflict_is_resolved_by_issuing_another_bulletin(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    control_id, online = issued_online(client, token)
    fields = {**FIELDS, "another": True}
    another = send_bulletin(client, token, control_id, fields, f"{BULLETIN_KEY}-a")
    assert another.status_code == 201
    assert another.json()["number"] != online["number"]
    assert another.json()["version"] == 1


def test_replays_sent_at_once_answer_201_once_and_200_with_the_same_bulletin(
    agent: tuple[TestClient, str], app: FastAPI
) -> None:
    """A tablet retrying while its first request still runs: four requests under one key
    arrive together; one issues the bulletin, the others answer with it as replays."""
    client, token = agent
    control_id = send(client, token, BODY).json()["id"]
    tablets = [TestClient(app, cookies=dict(client.cookies)) for _ in range(4)]
    turn = iter(tablets)
    answers, errors = at_once(
        lambda: send_bulletin(next(turn), token, control_id, FIELDS, BULLETIN_KEY)
    )
    assert errors == []
    assert sorted(a.status_code for a in answers) == [200, 200, 200, 201]
    assert len({a.json()["id"] for a in answers}) == 1
    assert all(
        a.headers.get("Idempotent-Replayed") == "true" for a in answers if a.status_code == 200
    )
    listed = client.get(f"/controles/{control_id}").text
    assert listed.count(answers[0].json()["number"]) >= 1
