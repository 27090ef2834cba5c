"""A Mobilic code at the roadside: named as such, its claimed dates shown without any claim
that it is genuine, a link rebuilt to open it in Mobilic, and a control of its own kind
recorded with only its generation date; other agents and units never see it."""

from __future__ import annotations

import html
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from control.storage.users import Role, add_user
from tests.mobilic_codes import mobilic_claims, mobilic_png, mobilic_url
from tests.web.conftest import csrf_of, demo_code, sign_in
from web.rendering import french_datetime

HTMX = {"HX-Request": "true"}
GENERATED = datetime(2026, 12, 6, 6, 30, tzinfo=UTC)  # 07 h 30 in Paris
PLACE = {"occurred_at": "06/12/2026 08h00", "departement": "38", "commune": "Voreppe"}


def test_a_mobilic_code_gets_an_information_banner_not_a_verdict(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    url = mobilic_url(GENERATED)
    page = client.post("/verifier", data={"code": url, "csrf": token}, headers=HTMX)
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Code Mobilic : à consulter dans Mobilic" in text
    assert "ne peut pas vérifier ce code" in text
    assert "HS256" in text
    assert "06/12/2026 à 07 h 30" in text  # the generation date, Paris time
    assert 'class="verdict neutre"' in page.text
    for claim in ("Code authentique", "verdict valide", "Ce n'est pas un code LIC"):
        assert claim not in text
    link = page.text[page.text.index('id="ouvrir-mobilic"') :].split(">", 1)[0]
    assert f'href="{html.escape(url)}"' in link
    assert 'rel="noopener noreferrer"' in link
    assert 'name="kind" value="mobilic"' in page.text


def test_the_link_is_rebuilt_never_the_scanned_text(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    url = mobilic_url(GENERATED)
    scanned = f'"><script>alert(1)</script> LIC1:XYZ {url}  \n'
    page = client.post("/verifier", data={"code": scanned, "csrf": token}, headers=HTMX)
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;" not in page.text  # not even escaped: the text itself is not shown
    assert page.text.count(html.escape(url)) == 2  # the link and the form's hidden code


def test_an_expiry_in_the_code_is_shown_and_an_expired_one_said(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    now = datetime.now(UTC)
    for expires, expired in ((now - timedelta(hours=1), True), (now + timedelta(hours=1), False)):
        claims = {**mobilic_claims(now - timedelta(hours=2)), "exp": expires.timestamp()}
        page = client.post(
            "/verifier", data={"code": mobilic_url(claims=claims), "csrf": token}, headers=HTMX
        )
        text = html.unescape(page.text)
        assert "Expiration (selon le code)" in text
        assert french_datetime(expires) in text
        assert ("date d'expiration dépassée" in text) is expired
    without = client.post(
        "/verifier", data={"code": mobilic_url(now), "csrf": token}, headers=HTMX
    ).text
    assert "Expiration" not in without
    assert "plus de 24 heures" not in without
    old = client.post(
        "/verifier",
        data={"code": mobilic_url(now - timedelta(hours=25)), "csrf": token},
        headers=HTMX,
    ).text
    assert "Code généré il y a plus de 24 heures." in html.unescape(old)
    assert "génération dans le futur" not in html.unescape(old + without)
    for ahead, flagged in ((timedelta(minutes=4), False), (timedelta(days=365 * 70), True)):
        future = client.post(
            "/verifier", data={"code": mobilic_url(now + ahead), "csrf": token}, headers=HTMX
        ).text
        assert ("génération dans le futur" in html.unescape(future)) is flagged


def test_hostile_look_alikes_are_not_mobilic_codes(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    url = mobilic_url(GENERATED)
    for text in (
        url.replace("https://", "http://"),
        url.replace("gouv.fr/", "gouv.fr.evil.example/"),
        url + "&redirect=https://evil.example",
        url.replace("controlToken=", "controlToken=x"),
        url + "&ts=" + "9" * 19_000,
    ):
        page = client.post("/verifier", data={"code": text, "csrf": token}, headers=HTMX)
        assert page.status_code in (200, 422)
        assert "Code Mobilic" not in page.text
        assert "ouvrir-mobilic" not in page.text


def test_a_photo_of_a_mobilic_code_is_recognised(
    agent: tuple[TestClient, str], tmp_path: Path
) -> None:
    client, token = agent
    url = mobilic_url(GENERATED)
    png = mobilic_png(url, tmp_path / "mobilic.png").read_bytes()
    page = client.post(
        "/verifier",
        data={"csrf": token},
        files={"photo": ("mobilic.png", io.BytesIO(png), "image/png")},
        headers=HTMX,
    )
    assert page.status_code == 200
    assert "Code Mobilic : à consulter dans Mobilic" in html.unescape(page.text)
    frame = client.post(
        "/api/decode",
        files={"frame": ("frame.png", io.BytesIO(png), "image/png")},
        headers={"X-CSRF-Token": token},
    )
    assert frame.json()["mobilic"] == url
    assert frame.json()["lic"] is None


def test_a_mobilic_control_is_recorded_with_its_generation_date_only(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    url = mobilic_url(GENERATED)
    data = {
        **PLACE,
        "kind": "mobilic",
        "code": url,
        "plate": "AB-123-CD",
        "notes": "vu",
        "csrf": token,
    }
    created = client.post("/controles", data=data)
    assert created.status_code == 303
    page = client.get(created.headers["location"])
    text = html.unescape(page.text)
    assert "Mobilic (consultation en ligne)" in text
    assert "généré le 06/12/2026 à 07 h 30 selon le code" in text
    assert "AB-123-CD" in text
    token_part = url.split("token=")[1].split("&")[0]
    jwt_part = url.split("controlToken=")[1]
    control = client.get("/api/controls").json()[-1]
    assert control["kind"] == "mobilic"
    assert control["verdict"] is None
    assert control["plate"] == "AB-123-CD"
    listing = client.get("/controles").text
    assert "Mobilic (consultation en ligne)" in html.unescape(listing)
    paper = {**PLACE, "kind": "paper", "plate": "PA-999-PR", "csrf": token}
    assert client.post("/controles", data=paper).status_code == 303
    found = client.get("/recherche", params={"type": "mobilic"}).text
    assert "AB-123-CD" in found
    assert "PA-999-PR" not in found
    assert "PA-999-PR" in client.get("/recherche", params={"type": "paper"}).text
    engine = client.app.state.context.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT * FROM controls").fetchall()
        audit = connection.exec_driver_sql("SELECT * FROM audit_log").fetchall()
    stored = repr(rows) + repr(audit)
    assert token_part not in stored
    assert jwt_part.split(".")[1] not in stored  # neither bearer token is kept


def test_a_mobilic_control_without_a_mobilic_code_is_refused_with_its_fields_kept(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    for code in ("", demo_code(demo_world, "01-conforme"), "https://mobilic.beta.gouv.fr/x"):
        data = {**PLACE, "kind": "mobilic", "code": code, "csrf": token}
        refused = client.post("/controles", data=data)
        assert refused.status_code == 422
        assert "Ce n'est pas un code Mobilic" in html.unescape(refused.text)
    again = client.post(
        "/controles",
        data={
            **PLACE,
            "commune": "",
            "kind": "mobilic",
            "code": mobilic_url(GENERATED),
            "csrf": token,
        },
    )
    assert again.status_code == 422
    assert "Code Mobilic : à consulter" in html.unescape(again.text)
    assert "Indiquez la commune" in html.unescape(again.text)
    assert client.get("/api/controls").json() == []


def test_a_mobilic_control_synced_twice_is_recorded_once(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    body = {
        **PLACE,
        "occurred_at": "2026-12-06T08:00",
        "kind": "mobilic",
        "code": mobilic_url(GENERATED),
    }
    headers = {"X-CSRF-Token": token, "Idempotency-Key": "mobilic-0001-abcd"}
    first = client.post("/api/controls", json=body, headers=headers)
    again = client.post("/api/controls", json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert first.json()["kind"] == "mobilic"
    forged = {**body, "code": body["code"].replace("controlToken=", "controlToken=.")}
    refused = client.post("/api/controls", json=forged, headers={"X-CSRF-Token": token})
    assert refused.status_code == 422
    assert len(client.get("/api/controls").json()) == 1


def test_another_unit_and_an_inspector_cannot_record_or_see_it(
    app: FastAPI, client: TestClient
) -> None:
    token = sign_in(client, "agent")
    data = {**PLACE, "kind": "mobilic", "code": mobilic_url(GENERATED), "csrf": token}
    location = client.post("/controles", data=data).headers["location"]
    control_id = location.rsplit("/", 1)[1]
    client.post("/deconnexion", data={"csrf": token})
    add_user(
        app.state.context.engine,
        "isere",
        "Agent Isère",
        Role.AGENT,
        "isere-password-1",
        unit="DREETS-38",
    )
    other = TestClient(app, follow_redirects=False)
    csrf = csrf_of(other)
    other.post("/connexion", data={"login": "isere", "password": "isere-password-1", "csrf": csrf})
    assert other.get(location).status_code == 404
    assert other.get(f"/api/controls/{control_id}").status_code == 404
    assert "Mobilic" not in html.unescape(other.get("/controles").text.split("<main", 1)[1])
    inspector = TestClient(app, follow_redirects=False)
    csrf = sign_in(inspector, "inspector")
    refused = inspector.post("/controles", data={**data, "csrf": csrf})
    assert refused.status_code == 403


def test_the_api_names_a_mobilic_code_without_verifying_it(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    url = mobilic_url(GENERATED)
    answer = client.post("/api/verify", json={"text": url}, headers={"X-CSRF-Token": token})
    assert answer.status_code == 200
    document = answer.json()
    assert document["verdict"] == "not-a-lic-code"
    assert document["mobilic"] == {
        "verified": False,
        "url": url,
        "generated_at": "2026-12-06T06:30:00+00:00",
        "expires_at": None,
    }
    other = client.post("/api/verify", json={"text": url[:-1]}, headers={"X-CSRF-Token": token})
    assert other.json()["mobilic"] is None


def test_a_mobilic_control_gets_its_bulletin_like_any_other(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    data = {**PLACE, "kind": "mobilic", "code": mobilic_url(GENERATED), "csrf": token}
    location = client.post("/controles", data=data).headers["location"]
    page = client.get(location)
    assert "Établir le bulletin" in html.unescape(page.text)
    assert client.get(f"{location}/bulletin", follow_redirects=True).status_code == 200


def test_a_mobilic_code_shown_again_is_flagged(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    moment = datetime(2026, 12, 6, 6, 30, 0, 250_000, tzinfo=UTC)
    url = mobilic_url(moment)
    data = {**PLACE, "kind": "mobilic", "code": url, "csrf": token}
    control_id = client.post("/controles", data=data).headers["location"].rsplit("/", 1)[1]
    again = html.unescape(client.post("/verifier", data={"code": url, "csrf": token}).text)
    assert f"Ce code a déjà été présenté lors d'un autre contrôle (n° {control_id})." in again
    same_second = mobilic_url(moment.replace(microsecond=750_000))
    other = html.unescape(client.post("/verifier", data={"code": same_second, "csrf": token}).text)
    assert "déjà été présenté" not in other
