"""Each role lands on its own start page: at sign-in, from the app's icon, from an error."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORDS, csrf_of

STARTS = {"agent": "/scan", "inspector": "/recherche", "admin": "/admin/utilisateurs"}


@pytest.mark.parametrize("role", sorted(STARTS))
def test_sign_in_lands_on_the_roles_own_page_which_opens(client: TestClient, role: str) -> None:
    token = csrf_of(client)
    signed = client.post(
        "/connexion", data={"login": role, "password": PASSWORDS[role], "csrf": token}
    )
    assert signed.status_code == 303
    home = client.get(signed.headers["location"])
    assert home.status_code == 303
    assert home.headers["location"] == STARTS[role]
    assert client.get(STARTS[role]).status_code == 200


def test_the_apps_icon_opens_the_start_page(client: TestClient) -> None:
    assert client.get("/manifest.webmanifest").json()["start_url"] == "/"
    assert client.get("/").headers["location"] == "/connexion"


def test_an_inspectors_way_home_from_a_refused_page_is_not_the_same_refusal(
    client: TestClient,
) -> None:
    token = csrf_of(client)
    client.post(
        "/connexion", data={"login": "inspector", "password": PASSWORDS["inspector"], "csrf": token}
    )
    refused = client.get("/scan")
    assert refused.status_code == 403
    assert 'href="/"' in refused.text
    assert client.get("/", follow_redirects=True).status_code == 200


@pytest.mark.parametrize("kind", ["paper", "none", "schedule"])
def test_the_control_forms_title_is_text(agent: tuple[TestClient, str], kind: str) -> None:
    client, _ = agent
    page = client.get(f"/controles/nouveau?type={kind}").text
    title = page.split("<title>")[1].split("</title>")[0]
    assert "<" not in title
