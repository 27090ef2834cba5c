"""The password policy at every door of the web app: an admin's new account, a change."""

from __future__ import annotations

from html import unescape

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORDS, csrf_in, sign_in

WEAK = [
    (" " * 14, "uniquement d'espaces"),
    ("azertyuiop123", "trop courant"),
    ("Password2026!", "trop courant"),
    ("court-court", "12 caractères"),
]


@pytest.mark.parametrize(("password", "why"), WEAK)
def test_an_admin_cannot_give_a_weak_password(client: TestClient, password: str, why: str) -> None:
    token = sign_in(client, "admin")
    data = {"login": "x.y", "name": "X", "role": "agent", "password": password, "csrf": token}
    refused = client.post("/admin/utilisateurs", data=data)
    assert refused.status_code == 422
    assert why in unescape(refused.text)
    assert "x.y" not in client.get("/admin/utilisateurs").text


def test_an_admin_cannot_give_the_login_as_password(client: TestClient) -> None:
    token = sign_in(client, "admin")
    data = {"login": "nina.durand.69", "name": "N", "role": "agent", "csrf": token}
    refused = client.post("/admin/utilisateurs", data=data | {"password": "Nina.Durand.69"})
    assert refused.status_code == 422
    assert "l'identifiant" in unescape(refused.text)


@pytest.mark.parametrize(("password", "why"), [*WEAK, ("agent", "12 caractères")])
def test_a_user_cannot_change_to_a_weak_password(
    client: TestClient, password: str, why: str
) -> None:
    sign_in(client, "agent")
    token = csrf_in(client.get("/compte").text, "/compte")
    data = {"current": PASSWORDS["agent"], "new": password, "confirmation": password}
    refused = client.post("/compte/mot-de-passe", data=data | {"csrf": token})
    assert refused.status_code == 422
    assert why in unescape(refused.text)
