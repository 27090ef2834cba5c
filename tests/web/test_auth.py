"""Signing in, roles and CSRF."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORDS, csrf_of, sign_in


def test_the_sign_in_page_is_french(client: TestClient) -> None:
    page = client.get("/connexion")
    assert page.status_code == 200
    assert "Identifiant" in page.text
    assert 'lang="fr"' in page.text


def test_a_wrong_password_is_refused_with_a_french_message(client: TestClient) -> None:
    token = csrf_of(client)
    response = client.post(
        "/connexion", data={"login": "agent", "password": "not the password", "csrf": token}
    )
    assert response.status_code == 401
    assert "Identifiant ou mot de passe incorrect" in response.text
    assert client.get("/scan").status_code == 303


def test_signing_in_opens_the_scan_page(client: TestClient) -> None:
    sign_in(client, "agent")
    page = client.get("/scan")
    assert page.status_code == 200
    assert "Scanner le QR code du conducteur" in page.text


def test_the_session_cookie_is_http_only_and_strict(client: TestClient) -> None:
    token = csrf_of(client)
    response = client.post(
        "/connexion", data={"login": "agent", "password": PASSWORDS["agent"], "csrf": token}
    )
    cookie = response.headers["set-cookie"]
    assert "httponly" in cookie.lower()
    assert "samesite=strict" in cookie.lower()


def test_a_page_asks_for_sign_in_first(client: TestClient) -> None:
    response = client.get("/scan")
    assert response.status_code == 303
    assert response.headers["location"] == "/connexion?suivant=/scan"


def test_a_search_asked_for_signed_out_opens_with_its_filters_after_sign_in(
    client: TestClient,
) -> None:
    asked = client.get("/recherche/greco.zip", params={"q": "Roux & fils", "plaque": "AB-1"})
    assert asked.headers["location"] == (
        "/connexion?suivant=/recherche/greco.zip%3Fq%3DRoux%2B%2526%2Bfils%26plaque%3DAB-1"
    )
    target = "/recherche/greco.zip?q=Roux+%26+fils&plaque=AB-1"
    assert f'value="{target.replace("&", "&amp;")}"' in client.get(asked.headers["location"]).text
    too_long = client.get("/recherche", params={"q": "x" * 400})
    assert too_long.headers["location"] == "/connexion?suivant=/recherche"  # the path alone
    token = csrf_of(client)
    signed = client.post(
        "/connexion",
        data={"login": "agent", "password": PASSWORDS["agent"], "csrf": token, "suivant": target},
    )
    assert signed.headers["location"] == target


def test_the_api_answers_401_without_a_session(client: TestClient) -> None:
    response = client.get("/api/controls")
    assert response.status_code == 401
    assert response.json() == {"error": "Connexion requise."}


def test_an_agent_cannot_reach_the_admin_pages(client: TestClient) -> None:
    sign_in(client, "agent")
    response = client.get("/admin/utilisateurs")
    assert response.status_code == 403
    assert "réservée" in response.text


def test_an_admin_adds_an_account(client: TestClient) -> None:
    token = sign_in(client, "admin")
    response = client.post(
        "/admin/utilisateurs",
        data={
            "login": "n.durand",
            "name": "Nina Durand",
            "role": "agent",
            "password": "a long enough pass",
            "csrf": token,
        },
    )
    assert response.status_code == 303
    assert "n.durand" in client.get("/admin/utilisateurs").text


def test_an_admin_form_with_a_short_password_says_why(client: TestClient) -> None:
    token = sign_in(client, "admin")
    response = client.post(
        "/admin/utilisateurs",
        data={"login": "x.y", "name": "X", "role": "agent", "password": "short", "csrf": token},
    )
    assert response.status_code == 422
    assert "12 caractères" in response.text


def test_a_form_without_its_csrf_token_is_refused(client: TestClient) -> None:
    sign_in(client, "agent")
    response = client.post("/verifier", data={"code": "LIC1:ABC"})
    assert response.status_code == 403
    assert "Formulaire expiré" in response.text


def test_signing_out_ends_the_session(client: TestClient) -> None:
    token = sign_in(client, "agent")
    assert client.post("/deconnexion", data={"csrf": token}).status_code == 303
    assert client.get("/scan").status_code == 303


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example", "https://evil.example"])
def test_sign_in_never_redirects_to_another_site(client: TestClient, target: str) -> None:
    token = csrf_of(client)
    response = client.post(
        "/connexion",
        data={
            "login": "agent",
            "password": PASSWORDS["agent"],
            "csrf": token,
            "suivant": target,
        },
    )
    assert response.headers["location"] == "/"  # then the role's own start page
