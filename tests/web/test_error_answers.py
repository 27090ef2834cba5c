"""Every error answers in French: JSON on the API's paths, a page elsewhere; a crash shows no
traceback."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of, sign_in


def test_an_unknown_api_path_is_a_french_json_404(client: TestClient) -> None:
    answer = client.get("/api/nope")
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json() == {"error": "Page introuvable."}


def test_a_method_an_api_route_does_not_take_is_a_french_json_405(client: TestClient) -> None:
    sign_in(client, "agent")
    for method, path in (("POST", "/api/controls/1"), ("DELETE", "/api/controls"),
                         ("PUT", "/api/verify")):  # fmt: skip
        answer = client.request(method, path)
        assert answer.status_code == 405, path
        assert answer.json() == {"error": "Action non permise ici."}


def test_an_unknown_page_is_a_french_page(client: TestClient) -> None:
    page = client.get("/nulle-part")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Page introuvable." in page.text
    refused = client.delete("/connexion")
    assert refused.status_code == 405
    assert "Action non permise ici." in refused.text


def test_a_crash_is_a_french_500_without_its_traceback(app: FastAPI) -> None:
    def crash() -> None:
        raise RuntimeError("secret detail /srv/lic/control/storage.py line 42")

    app.add_api_route("/api/crash", crash)
    app.add_api_route("/crash", crash)
    client = TestClient(app, raise_server_exceptions=False)
    answer = client.get("/api/crash")
    assert answer.status_code == 500
    assert answer.json() == {"error": "Erreur interne du serveur : réessayez plus tard."}
    page = client.get("/crash")
    assert page.status_code == 500
    assert page.headers["content-type"].startswith("text/html")
    assert "Erreur interne du serveur" in page.text
    for shown in (answer.text, page.text):
        assert "secret detail" not in shown
        assert "Traceback" not in shown


def test_a_nul_where_the_database_takes_no_nul_is_a_french_400(client: TestClient) -> None:
    """PostgreSQL refuses a NUL (0x00) in text, as a value or a search term, before anything
    is written; SQLite takes it. Either way, never a 500."""
    sign_in(client, "inspector")
    for url in ("/recherche?natinf=1%002", "/recherche.xlsx?plaque=%00", "/entreprises/1%002"):
        response = client.get(url)
        assert response.status_code in (200, 400), url
        if response.status_code == 400:
            assert "Caractère nul" in response.text, url
    client.cookies.clear()
    token = csrf_of(client)
    signing_in = client.post(
        "/connexion", data={"login": "ag\x00ent", "password": "x", "csrf": token}
    )
    assert signing_in.status_code in (400, 401)
