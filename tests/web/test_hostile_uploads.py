"""Hostile files on every upload path: a 4xx with a French message, never a 5xx; valid
images carrying a payload are kept only re-encoded; what was saved before stays."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from control.capture.hostile import PAYLOAD, HostileFile, hostile_files
from tests.web.test_bulletins import page_photo_bytes, paper_control

FILES = hostile_files()
REFUSED = [f for f in FILES if f.refused]
PAYLOADED = [f for f in FILES if not f.refused]


def _ids(files: list[HostileFile]) -> list[str]:
    return [f.name for f in files]


def _post(client: TestClient, path: str, field: str, token: str, file: HostileFile) -> int:
    files = {field: (f"{file.name}.jpg", file.data, file.content_type)}
    headers = {"X-CSRF-Token": token}
    response = client.post(path, data={"csrf": token}, files=files, headers=headers)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:  # a message for the agent: JSON "error", or an alert
        if response.headers["content-type"].startswith("application/json"):
            assert response.json()["error"]
        else:
            assert any(
                alert in response.text for alert in ('class="alerte', "fr-alert", "problemes")
            ), response.text
    assert "Traceback" not in response.text
    return response.status_code


@pytest.mark.parametrize("file", REFUSED, ids=_ids(REFUSED))
def test_the_camera_frame_endpoint_refuses(
    agent: tuple[TestClient, str], file: HostileFile
) -> None:
    client, token = agent
    assert 400 <= _post(client, "/api/decode", "frame", token, file) < 500


@pytest.mark.parametrize("file", FILES, ids=_ids(FILES))
def test_the_photo_of_a_code_finds_no_code(
    agent: tuple[TestClient, str], file: HostileFile
) -> None:
    client, token = agent
    assert _post(client, "/verifier", "photo", token, file) == 422


@pytest.mark.parametrize("file", FILES, ids=_ids(FILES))
def test_the_bulletin_check_refuses_what_is_not_a_pdf(
    agent: tuple[TestClient, str], file: HostileFile
) -> None:
    client, token = agent
    expected = 200 if file.data.startswith(b"%PDF") else 422  # a PDF: the verdict says invalid
    assert _post(client, "/verifier-bulletin", "pdf", token, file) == expected


def test_a_damaged_pdf_is_declared_invalid(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    files = {"pdf": ("b.pdf", b"%PDF-1.7\n" + PAYLOAD, "application/pdf")}
    page = client.post("/verifier-bulletin", data={"csrf": token}, files=files).text
    assert "Fichier PDF endommagé ou illisible" in html.unescape(page)
    assert PAYLOAD.decode() not in page


@pytest.mark.parametrize("file", REFUSED, ids=_ids(REFUSED))
def test_a_page_photo_is_refused_and_the_saved_ones_stay(
    agent: tuple[TestClient, str], file: HostileFile
) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    good = {"photos": ("page.jpg", page_photo_bytes(3), "image/jpeg")}
    client.post(f"/controles/{control_id}/photos", data={"csrf": token}, files=good)
    assert _post(client, f"/controles/{control_id}/photos", "photos", token, file) == 422
    page = client.get(f"/controles/{control_id}").text
    assert len(re.findall(r'/photos/\d+\.jpg"', page)) == 1


@pytest.mark.parametrize("file", PAYLOADED, ids=_ids(PAYLOADED))
def test_a_page_photo_carrying_a_payload_is_kept_re_encoded_without_it(
    agent: tuple[TestClient, str], file: HostileFile
) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    assert _post(client, f"/controles/{control_id}/photos", "photos", token, file) == 303
    page = client.get(f"/controles/{control_id}").text
    served = client.get(re.findall(r'src="(/controles/\d+/photos/\d+\.jpg)"', page)[0])
    assert served.headers["content-type"] == "image/jpeg"
    assert served.content[:2] == b"\xff\xd8"
    assert PAYLOAD not in served.content
