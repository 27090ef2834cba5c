"""The server side of the offline outbox: a control sent with the device's key is recorded
once, however many times the sync sends it."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from httpx import Response

from control.demo.records import Profile, make_record
from control.issue import issue_code
from control.record.model import Sector
from control.rules.timeline import PARIS
from control.verify.keys import load_private
from tests.web.test_bulletins import page_photo_bytes

BODY = {"kind": "paper", "occurred_at": "2026-11-25T10:40", "departement": "38", "commune": "Vif"}
KEY = "7f3a9c1e-5b2d-4c8e-9a01-3d4f5e6a7b8c"


def send(client: TestClient, token: str, body: dict[str, str], key: str = KEY) -> Response:
    return client.post(
        "/api/controls", json=body, headers={"X-CSRF-Token": token, "Idempotency-Key": key}
    )


def test_a_control_synced_twice_is_recorded_once(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    first = send(client, token, BODY)
    again = send(client, token, BODY)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert len(client.get("/api/controls").json()) == 1


def test_a_key_sent_again_with_another_control_is_refused(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    send(client, token, BODY)
    response = send(client, token, {**BODY, "commune": "Voiron"})
    assert response.status_code == 409
    assert "avec un autre contenu" in response.json()["error"]
    assert len(client.get("/api/controls").json()) == 1


def test_a_malformed_key_is_refused(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    response = send(client, token, BODY, key="a b")
    assert response.status_code == 422
    assert "Clé d'idempotence invalide" in response.json()["error"]
    assert client.get("/api/controls").json() == []


def test_without_a_key_each_request_records_a_control(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    for _ in range(2):
        client.post("/api/controls", json=BODY, headers={"X-CSRF-Token": token})
    assert len(client.get("/api/controls").json()) == 2


def expired_code(demo_world: Path, issued: datetime) -> str:
    """A code of the demo's Mobilic key, generated at `issued`, valid 24 hours."""
    key = load_private(demo_world / "issuers" / "mobilic-2026.jwk")
    record = make_record(Profile("synchro", Sector.GOODS_REGIONAL), issued, seed=5)
    return issue_code(record, key, iat=issued, exp=issued + timedelta(hours=24)).text


def test_a_control_synced_later_has_the_servers_verdict_and_the_tablets_beside(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    """Sent with a device's key and a moment 29 hours back, when the code was valid: an
    expired code is not recorded as valid. The verdict is the server's at reception; the
    verdict as of the tablet's moment is kept beside it, flagged, and shown as such."""
    client, token = agent
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    code = expired_code(demo_world, now - timedelta(hours=30))
    moment = now - timedelta(hours=29)
    then = moment.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")
    body = {**BODY, "kind": "electronic", "code": code, "occurred_at": then}
    synced = send(client, token, body)
    assert synced.status_code == 201
    control = synced.json()
    assert control["verdict"] == "expired"
    assert control["offline_verdict"] == "valid"
    assert datetime.fromisoformat(control["offline_checked_at"]) == moment
    page = html.unescape(client.get(f"/controles/{control['id']}").text)
    local = moment.astimezone(PARIS)
    assert f"vérifié sur la tablette le {local:%d/%m/%Y}" in page
    assert "(hors ligne) : Code authentique" in page
    online = client.post("/api/controls", json=body, headers={"X-CSRF-Token": token})
    assert online.json()["verdict"] == "expired"  # recorded now, without the device's key
    assert online.json()["offline_verdict"] is None


def test_a_photo_key_goes_with_one_photo_only(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = send(client, token, BODY).json()["id"]
    files = [("photos", (f"p{n}.jpg", page_photo_bytes(n), "image/jpeg")) for n in (1, 2)]
    response = client.post(
        f"/controles/{control_id}/photos",
        files=files,
        headers={"X-CSRF-Token": token, "Idempotency-Key": f"{KEY}-p0"},
    )
    assert response.status_code == 422
    assert "une seule photo" in response.text


def test_a_photo_synced_twice_is_kept_once(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = send(client, token, BODY).json()["id"]
    for _ in range(2):
        client.post(
            f"/controles/{control_id}/photos",
            files=[("photos", ("p.jpg", page_photo_bytes(1), "image/jpeg"))],
            headers={"X-CSRF-Token": token, "Idempotency-Key": f"{KEY}-p0", "HX-Request": "true"},
        )
    page = client.get(f"/controles/{control_id}").text
    assert len(set(re.findall(r"/photos/(\d+)\.jpg", page))) == 1


def my_id(client: TestClient) -> str:
    """The signed-in user's id, as the pages give it to the outbox (`data-agent`)."""
    found = re.search(r'<body[^>]* data-agent="(\d+)"', client.get("/scan").text)
    assert found, "the page does not say whose session it is"
    return found.group(1)


def test_a_control_kept_by_another_agent_is_refused(agent: tuple[TestClient, str]) -> None:
    """A tablet's outbox declares the agent who recorded the control: under another agent's
    session the server records nothing (an older script sent it under whoever signed in)."""
    client, token = agent
    other = str(int(my_id(client)) + 1)
    response = client.post(
        "/api/controls",
        json=BODY,
        headers={"X-CSRF-Token": token, "Idempotency-Key": KEY, "X-LIC-Agent": other},
    )
    assert response.status_code == 409
    assert response.json()["error"].startswith("Ce contrôle a été saisi par un autre agent")
    assert client.get("/api/controls").json() == []


def test_a_control_sent_with_its_own_agent_is_recorded(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    mine = my_id(client)
    response = client.post(
        "/api/controls",
        json=BODY,
        headers={"X-CSRF-Token": token, "Idempotency-Key": KEY, "X-LIC-Agent": mine},
    )
    assert response.status_code == 201
    assert str(response.json()["agent_id"]) == mine


def test_photos_and_bulletin_of_another_agents_item_are_refused(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    control_id = send(client, token, BODY).json()["id"]
    other = {"X-CSRF-Token": token, "X-LIC-Agent": str(int(my_id(client)) + 1)}
    photo = client.post(
        f"/controles/{control_id}/photos",
        files=[("photos", ("p.jpg", page_photo_bytes(1), "image/jpeg"))],
        headers={**other, "Idempotency-Key": f"{KEY}-p0", "HX-Request": "true"},
    )
    bulletin = client.post(
        f"/api/controls/{control_id}/bulletin",
        json={},
        headers={**other, "Idempotency-Key": f"{KEY}-b"},
    )
    assert photo.status_code == 409
    assert "autre agent" in photo.text
    assert bulletin.status_code == 409
    assert "autre agent" in bulletin.json()["error"]
    assert "/photos/" not in client.get(f"/controles/{control_id}").text
