"""The service worker: named after the static files it caches, so a change reaches tablets."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from control.settings import Settings
from control.verify import Verdict
from web.app import create_app


def test_the_service_worker_cache_is_named_after_the_static_files(client: TestClient) -> None:
    worker = client.get("/sw.js")
    assert worker.headers["cache-control"] == "no-cache"
    assert re.search(r'const CACHE = "lic-shell-[0-9a-f]{12}"', worker.text)
    assert "lic-shell-v1" not in worker.text


def test_the_service_worker_caches_every_script_the_pages_load(client: TestClient) -> None:
    worker = client.get("/sw.js").text
    for script in ("app.js", "scan.js", "export.js", "trust.js"):
        assert client.app.state.assets.url(f"/static/{script}") in worker  # type: ignore[attr-defined]


def test_the_trust_list_is_served_as_signed_for_the_tablet_to_keep(
    client: TestClient, settings: Settings
) -> None:
    response = client.get("/liste-de-confiance.json")  # public keys only: no sign-in
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"
    assert settings.trust_list is not None
    assert response.content == settings.trust_list.read_bytes()
    assert set(response.json()) == {"protected", "payload", "signature"}


def test_the_service_worker_keeps_the_trust_list(client: TestClient) -> None:
    assert 'const TRUST = "/liste-de-confiance.json"' in client.get("/sw.js").text


def test_without_a_valid_trust_list_the_server_says_so(settings: Settings, engine: Engine) -> None:
    broken = settings.model_copy(update={"trust_list": settings.data_dir / "absente.json"})
    app = create_app(broken)
    try:
        response = TestClient(app).get("/liste-de-confiance.json")
    finally:
        app.state.context.engine.dispose()
    assert response.status_code == 503
    assert "Aucune liste de confiance valide" in response.text


def test_the_root_key_is_served_public_only(client: TestClient, settings: Settings) -> None:
    response = client.get("/cle-racine.json")
    assert response.status_code == 200
    key = response.json()
    assert set(key) == {"kty", "crv", "x", "kid"}  # never "d"
    assert settings.root_key is not None
    assert key["x"] == json.loads(settings.root_key.read_text())["x"]


def test_the_service_worker_keeps_the_browser_verifier_and_cborg(client: TestClient) -> None:
    worker = client.get("/sw.js").text
    modules = json.loads(re.search(r"const MODULES = (\[.*?\]);", worker)[1])  # type: ignore[index]
    url = client.app.state.assets.url  # type: ignore[attr-defined]
    assert url("/static/verify/verifier.js") in modules
    assert url("/vendor/cborg/cborg.js") in modules
    for module in modules:  # every module the worker keeps is served
        assert client.get(module).status_code == 200, module


def test_the_wording_of_every_verdict_is_kept_for_the_tablet(client: TestClient) -> None:
    verdicts = client.get("/libelles-hors-ligne.json").json()["verdicts"]
    assert set(verdicts) == {v.value for v in Verdict}
    assert verdicts["bad-signature"][0] == "Signature invalide : code falsifié"
    assert "/libelles-hors-ligne.json" in client.get("/sw.js").text


def test_the_offline_page_kept_by_the_tablet_carries_no_session(
    agent: tuple[TestClient, str],
) -> None:
    """The service worker precaches /hors-ligne on whoever's session: the copy a shared
    tablet keeps must name no agent nor hold a token."""
    client, token = agent
    page = client.get("/hors-ligne").text
    assert "Agent Test" not in page
    assert token not in page
    assert "Déconnexion" not in page
