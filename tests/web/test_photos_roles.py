"""An inspector reads a paper LIC's pages but is offered no button that edits them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import sign_in
from tests.web.test_bulletins import page_photo_bytes, paper_control


def test_an_inspector_sees_the_pages_without_move_or_delete(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    files = [("photos", (f"p{n}.jpg", page_photo_bytes(n), "image/jpeg")) for n in range(2)]
    client.post(f"/controles/{control_id}/photos", data={"csrf": token}, files=files)
    agent_page = client.get(f"/controles/{control_id}").text
    assert agent_page.count(">Supprimer</button>") == 2
    client.post("/deconnexion", data={"csrf": token})
    sign_in(client, "inspector")
    page = client.get(f"/controles/{control_id}").text
    assert page.count("/photos/") >= 2  # the pages are there
    assert "Supprimer</button>" not in page
    assert "Déplacer" not in page
    assert "Aucun bulletin émis." in page
