"""Scanning: a code in, the verdict, the 28 days and the breaches out; bad input is a 4xx."""

from __future__ import annotations

import io
import json
from pathlib import Path

from fastapi.testclient import TestClient
from PIL import Image

from control.capture.simulate import scene_photo
from tests.web.conftest import demo_code

HTMX = {"HX-Request": "true"}


def test_a_genuine_code_shows_a_green_verdict_the_days_and_the_breaches(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    page = client.post("/verifier", data={"code": demo_code(demo_world, "06-nuit"), "csrf": token})
    assert page.status_code == 200
    assert "Code authentique" in page.text
    assert "fr-icon-checkbox-circle-fill" in page.text  # a tick, not only a word
    assert "NATINF 32083" in page.text
    assert page.text.count('class="jour') >= 28
    assert "<html" in page.text  # without htmx: the whole page


def test_htmx_gets_only_the_result_fragment(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    code = demo_code(demo_world, "01-conforme")
    fragment = client.post("/verifier", data={"code": code, "csrf": token}, headers=HTMX)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert "Code authentique" in fragment.text
    assert "HX-Request" in fragment.headers["vary"]


def test_a_tampered_code_is_red(agent: tuple[TestClient, str], demo_world: Path) -> None:
    client, token = agent
    code = demo_code(demo_world, "01-conforme")
    tampered = code[:-12] + ("A" if code[-12] != "A" else "B") + code[-11:]
    page = client.post("/verifier", data={"code": tampered, "csrf": token})
    assert page.status_code == 200
    assert 'class="verdict invalide"' in page.text
    assert "fr-icon-close-circle-fill" in page.text  # a cross, not the valid one's tick
    assert "fr-icon-checkbox-circle-fill" not in page.text


def test_the_scan_page_opens_with_no_field_focused_and_a_french_photo_button(
    agent: tuple[TestClient, str],
) -> None:
    """No autofocus: on a phone the keyboard would open and the page scroll down (scan.js
    focuses the field only where a hardware scanner is likely). The file field speaks
    French whatever the browser's language."""
    client, _ = agent
    page = client.get("/scan").text
    assert "autofocus" not in page
    assert "Prendre une photo" in page
    assert 'class="fr-sr-only fichier-champ" type="file" id="photo"' in page


def test_a_revoked_key_is_named(agent: tuple[TestClient, str], demo_world: Path) -> None:
    client, token = agent
    code = demo_code(demo_world, "12-cle-revoquee")
    assert (
        "Clé de signature révoquée"
        in client.post("/verifier", data={"code": code, "csrf": token}).text
    )


def test_an_empty_code_is_a_422_in_french(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    response = client.post("/verifier", data={"code": "  ", "csrf": token}, headers=HTMX)
    assert response.status_code == 422
    assert "collez un code" in response.text


def test_a_photo_of_the_code_is_verified(agent: tuple[TestClient, str], demo_world: Path) -> None:
    client, token = agent
    png = (demo_world / "codes" / "04-voyageurs.png").read_bytes()
    page = client.post(
        "/verifier", data={"csrf": token}, files={"photo": ("code.png", png, "image/png")}
    )
    assert page.status_code == 200
    assert "Code authentique" in page.text


def test_a_corrupt_photo_is_a_422_in_french(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    response = client.post(
        "/verifier",
        data={"csrf": token},
        files={"photo": ("code.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", "image/jpeg")},
    )
    assert response.status_code == 422
    assert "pas une image" in response.text or "endommagée" in response.text


def test_a_photo_without_a_code_says_so(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    blank = io.BytesIO()
    Image.new("L", (400, 300), 200).save(blank, "PNG")
    response = client.post(
        "/verifier", data={"csrf": token}, files={"photo": ("x.png", blank.getvalue(), "image/png")}
    )
    assert response.status_code == 422
    assert "Aucun QR code lisible" in response.text


def test_a_huge_upload_is_refused_with_413(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    response = client.post(
        "/verifier",
        data={"csrf": token},
        files={"photo": ("big.jpg", b"\0" * 3_000_000, "image/jpeg")},
    )
    assert response.status_code == 413
    assert "trop volumineux" in response.text


def test_a_camera_frame_is_decoded(agent: tuple[TestClient, str], demo_world: Path) -> None:
    client, token = agent
    png = (demo_world / "codes" / "01-conforme.png").read_bytes()
    response = client.post(
        "/api/decode",
        files={"frame": ("f.png", png, "image/png")},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 200
    assert response.json()["lic"] == demo_code(demo_world, "01-conforme")


def test_a_camera_frame_without_a_code_is_answered_empty(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    response = client.post(
        "/api/decode",
        files={"frame": ("f.jpg", scene_photo(4), "image/jpeg")},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 200
    assert response.json() == {"codes": [], "lic": None, "mobilic": None}


def test_the_api_verifies_a_text(agent: tuple[TestClient, str], demo_world: Path) -> None:
    client, token = agent
    response = client.post(
        "/api/verify",
        json={"text": demo_code(demo_world, "05-demenagement")},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["verdict"] == "valid"
    assert {f["rule"] for f in data["analysis"]["findings"]} == {"weekly-rest", "breaks"}
    assert data["seen_in_controls"] == []


def test_the_api_verifies_an_image(agent: tuple[TestClient, str], demo_world: Path) -> None:
    client, token = agent
    png = (demo_world / "codes" / "01-conforme.png").read_bytes()
    response = client.post(
        "/api/verify",
        files={"image": ("c.png", png, "image/png")},
        headers={"X-CSRF-Token": token},
    )
    assert response.json()["verdict"] == "valid"


def test_the_api_refuses_a_body_that_is_not_json(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    response = client.post(
        "/api/verify",
        content=b"{not json",
        headers={"X-CSRF-Token": token, "content-type": "application/json"},
    )
    assert response.status_code == 422
    assert "JSON" in response.json()["error"]


def test_the_api_is_documented(client: TestClient) -> None:
    paths = json.loads(client.get("/openapi.json").text)["paths"]
    assert {"/api/verify", "/api/controls", "/api/controls/{control_id}"} <= set(paths)


def test_everything_the_page_loads_is_served_by_the_app(
    agent: tuple[TestClient, str],
) -> None:
    client, _ = agent
    page = client.get("/scan").text
    assert "https://" not in page
    assert "http://" not in page
    for asset in ("/vendor/htmx/htmx.min.js", "/static/app.css", "/static/scan.js", "/sw.js"):
        assert client.get(asset).status_code == 200, asset
    assert client.get("/manifest.webmanifest").json()["lang"] == "fr"


def test_a_huge_api_upload_is_refused_as_json(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    response = client.post(
        "/api/verify",
        files={"image": ("big.jpg", b"\0" * 3_000_000, "image/jpeg")},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 413
    assert "trop volumineux" in response.json()["error"]
