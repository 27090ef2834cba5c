"""Every route of the app × anonymous / agent / inspector / admin gets the expected answer.

Routes are read from the app's router: a new route fails `test_every_route_has_an_access_rule`
until it is given a rule here, so none escapes the matrix.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute

from control.storage.users import Role, add_user, list_users
from tests.web.conftest import PASSWORDS, csrf_of, demo_code, sign_in
from tests.web.test_bulletins import (
    PLACE,
    electronic_control,
    issue_bulletin,
    page_photo_bytes,
    paper_control,
)

PUBLIC, SIGNED_IN, AGENT, INSPECTOR, ADMIN = "public", "signed-in", "agent", "inspector", "admin"
ALLOWED = {
    PUBLIC: {"anonymous", "agent", "inspector", "admin"},
    SIGNED_IN: {"agent", "inspector", "admin"},
    AGENT: {"agent", "admin"},  # recording controls: roadside agents (admins stand in)
    INSPECTOR: {"inspector", "admin"},  # company controls: labour inspectors
    ADMIN: {"admin"},
}
# (method, path) -> who may use it. Inspectors read and search; they never record.
RULES: dict[tuple[str, str], str] = {
    ("GET", "/connexion"): PUBLIC,
    ("GET", "/vendor/dsfr-styles.css"): PUBLIC,  # the design system's styles, as /vendor
    ("POST", "/connexion"): PUBLIC,
    ("GET", "/connexion/proconnect"): PUBLIC,  # 404 where ProConnect is not configured
    ("GET", "/connexion/proconnect/retour"): PUBLIC,
    ("POST", "/deconnexion"): PUBLIC,  # signing out without a session is harmless
    ("GET", "/"): PUBLIC,  # sends each one to his start page
    ("GET", "/scan"): AGENT,
    ("POST", "/verifier"): AGENT,
    ("POST", "/api/decode"): AGENT,
    ("GET", "/controles/nouveau"): AGENT,
    ("POST", "/controles"): AGENT,
    ("GET", "/controles"): SIGNED_IN,
    ("GET", "/controles/{control_id}"): SIGNED_IN,
    ("GET", "/controles/{control_id}/bulletin"): AGENT,
    ("GET", "/controles/{control_id}/c1b"): SIGNED_IN,  # the record as driver card files
    ("POST", "/controles/{control_id}/bulletin"): AGENT,
    ("GET", "/bulletins/{bulletin_id}"): SIGNED_IN,
    ("GET", "/bulletins/{bulletin_id}/pdf"): SIGNED_IN,
    ("POST", "/bulletins/{bulletin_id}/corriger"): AGENT,
    ("GET", "/b/{token}"): PUBLIC,  # the driver's copy: the unguessable token is the key
    ("GET", "/verifier-bulletin"): PUBLIC,  # anyone may check a bulletin's signature
    ("POST", "/verifier-bulletin"): PUBLIC,
    ("POST", "/controles/{control_id}/photos"): AGENT,
    ("GET", "/controles/{control_id}/photos/{photo_id}.jpg"): SIGNED_IN,
    ("POST", "/controles/{control_id}/photos/{photo_id}/supprimer"): AGENT,
    ("POST", "/controles/{control_id}/photos/ordre"): AGENT,
    ("GET", "/controles/{control_id}/feuilles/nouvelle"): AGENT,
    ("POST", "/controles/{control_id}/feuilles"): AGENT,
    ("GET", "/controles/{control_id}/feuilles/{sheet_id}"): AGENT,
    ("POST", "/controles/{control_id}/feuilles/{sheet_id}"): AGENT,
    ("POST", "/controles/{control_id}/feuilles/{sheet_id}/supprimer"): AGENT,
    ("GET", "/controles/{control_id}/horaire"): AGENT,
    ("GET", "/controles-entreprise"): INSPECTOR,
    ("POST", "/controles-entreprise"): INSPECTOR,
    ("GET", "/controles-entreprise/{control_id}"): INSPECTOR,
    ("POST", "/controles-entreprise/{control_id}/fichiers"): INSPECTOR,
    ("POST", "/controles-entreprise/{control_id}/rapport"): INSPECTOR,
    ("GET", "/controles-entreprise/{control_id}/rapport.{extension}"): INSPECTOR,
    ("POST", "/controles/{control_id}/horaire"): AGENT,
    ("GET", "/recherche"): SIGNED_IN,
    ("GET", "/recherche.csv"): SIGNED_IN,
    ("GET", "/recherche.xlsx"): SIGNED_IN,
    ("GET", "/recherche/greco.zip"): SIGNED_IN,
    ("GET", "/controles/{control_id}/greco.xml"): SIGNED_IN,
    ("GET", "/entreprises/{siren}"): SIGNED_IN,
    ("GET", "/admin/journal"): ADMIN,
    ("GET", "/admin/journal.csv"): ADMIN,
    ("GET", "/admin/utilisateurs"): ADMIN,
    ("POST", "/admin/utilisateurs"): ADMIN,
    ("POST", "/admin/utilisateurs/{user_id}/actif"): ADMIN,
    ("POST", "/admin/utilisateurs/{user_id}/region"): ADMIN,
    ("POST", "/admin/utilisateurs/{user_id}/mot-de-passe"): ADMIN,
    ("GET", "/admin/utilisateurs/{user_id}"): ADMIN,
    ("POST", "/admin/utilisateurs/{user_id}/identite"): ADMIN,
    ("POST", "/admin/utilisateurs/{user_id}/proconnect"): ADMIN,
    ("POST", "/admin/demandes/{request_id}/approuver"): ADMIN,  # 422/303 on an unknown one
    ("POST", "/admin/demandes/{request_id}/refuser"): ADMIN,
    ("GET", "/compte"): SIGNED_IN,  # one's own account: the password change
    ("POST", "/compte/mot-de-passe"): SIGNED_IN,
    ("GET", "/demo"): PUBLIC,  # synthetic codes to try the scanner
    ("GET", "/demo/codes/{stem}.png"): PUBLIC,
    ("POST", "/api/verify"): AGENT,
    ("GET", "/api/controls"): SIGNED_IN,
    ("POST", "/api/controls"): AGENT,
    ("GET", "/api/controls/{control_id}"): SIGNED_IN,
    ("POST", "/api/controls/{control_id}/bulletin"): AGENT,
    ("GET", "/manifest.webmanifest"): PUBLIC,
    ("GET", "/sw.js"): PUBLIC,
    ("GET", "/liste-de-confiance.json"): PUBLIC,
    ("GET", "/cle-racine.json"): PUBLIC,
    ("GET", "/libelles-hors-ligne.json"): PUBLIC,
    ("GET", "/regles.json"): PUBLIC,
    ("GET", "/hors-ligne"): PUBLIC,
    ("GET", "/en-attente"): AGENT,
    ("GET", "/openapi.json"): PUBLIC,  # the API's schema holds no data
}
LAST = ("POST", "/deconnexion")  # ends the session: run it after the others


def api_routes(routes: list[BaseRoute]) -> Iterator[APIRoute]:
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from api_routes(included.routes)
        elif isinstance(route, APIRoute):
            yield route


def app_routes(app: FastAPI) -> list[tuple[str, str]]:
    pairs = {(m, r.path) for r in api_routes(app.routes) for m in r.methods if m != "HEAD"}
    pairs |= {("GET", "/openapi.json")} if app.openapi_url else set()
    return sorted(pairs, key=lambda pair: pair == LAST)


def test_every_route_has_an_access_rule(app: FastAPI) -> None:
    assert set(app_routes(app)) == set(RULES)


def test_no_interactive_docs_loaded_from_a_cdn(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


@dataclass
class World:
    """One object of each kind, made by the agent, for the path parameters."""

    values: dict[str, str]

    def path(self, template: str) -> str:
        if "/photos" in template or "/feuilles" in template:  # the paper control's
            template = template.replace("{control_id}", "{paper_id}")
        if "/horaire" in template:  # the schedule control's
            template = template.replace("{control_id}", "{schedule_id}")
        if template.startswith("/controles-entreprise/"):  # the inspector's company control
            template = template.replace("{control_id}", "{company_id}")
        return re.sub(r"{(\w+)}", lambda m: self.values[m[1]], template)


@pytest.fixture
def world(app: FastAPI, demo_world: Path) -> World:
    client = TestClient(app, follow_redirects=False)
    token = sign_in(client, "agent")
    control_id = electronic_control(client, token, demo_code(demo_world, "06-nuit"))
    bulletin = issue_bulletin(client, token, control_id)
    link = re.search(r"<code>http://testserver/b/([^<]+)</code>", client.get(bulletin).text)
    assert link
    paper_id = paper_control(client, token)
    files = {"photos": ("page.jpg", page_photo_bytes(1), "image/jpeg")}
    client.post(f"/controles/{paper_id}/photos", data={"csrf": token}, files=files)
    photo = re.search(
        rf"/controles/{paper_id}/photos/(\d+)\.jpg", client.get(f"/controles/{paper_id}").text
    )
    assert photo
    client.post(
        f"/controles/{paper_id}/feuilles",
        data={
            "csrf": token,
            "day": "2026-11-24",
            "sector": "goods-regional",
            "periodes": "A 06:00 09:00",
        },
    )
    sheet = re.search(
        rf"/controles/{paper_id}/feuilles/(\d+)\"", client.get(f"/controles/{paper_id}").text
    )
    assert sheet
    made = client.post("/controles", data={**PLACE, "kind": "schedule", "csrf": token})
    schedule_id = made.headers["location"].rsplit("/", 1)[1]
    inspector = TestClient(app, follow_redirects=False)
    made = inspector.post("/controles-entreprise", data={"csrf": sign_in(inspector, "inspector")})
    company_id = made.headers["location"].rsplit("/", 1)[1]
    users = {u.login: u.id for u in list_users(app.state.context.engine)}
    siren = re.search(r"/entreprises/(\d{9})", client.get(f"/controles/{control_id}").text)
    return World(
        {
            "control_id": str(control_id),
            "paper_id": str(paper_id),
            "bulletin_id": bulletin.rsplit("/", 1)[1],
            "token": link[1],
            "photo_id": photo[1],
            "sheet_id": sheet[1],
            "schedule_id": schedule_id,
            "company_id": company_id,
            "extension": "pdf",
            "user_id": str(users["inspector"]),
            "request_id": "1",
            "siren": siren[1] if siren else "123456782",
            "stem": "06-nuit",
        }
    )


def _request(client: TestClient, method: str, path: str, csrf: str) -> int:
    if method == "GET":
        return client.get(path).status_code
    if path.startswith("/api/"):
        return client.post(path, json={}, headers={"X-CSRF-Token": csrf}).status_code
    if path.endswith("/photos"):  # a real upload, so that only access can refuse it
        files = {"photos": ("page.jpg", page_photo_bytes(2), "image/jpeg")}
        return client.post(path, data={"csrf": csrf}, files=files).status_code
    return client.post(path, data={"csrf": csrf}).status_code


@pytest.mark.parametrize("role", ["anonymous", "agent", "inspector", "admin"])
def test_each_route_answers_each_role_as_its_rule_says(
    app: FastAPI, world: World, role: str
) -> None:
    client = TestClient(app, follow_redirects=False)
    csrf = sign_in(client, role) if role != "anonymous" else ""
    wrong = []
    for method, template in app_routes(app):
        path = world.path(template)
        if role == "anonymous" and method == "POST":
            # a fresh token each time: an earlier POST (a sign-in attempt) may have renewed
            # the session, and a stale token would be refused (403) before access (401) is
            # tested; routes are visited in set order, which changes from run to run
            csrf = csrf_of(client)  # anonymous forms carry one too: the sign-in page's
        status = _request(client, method, path, csrf)
        allowed = role in ALLOWED[RULES[(method, template)]]
        if allowed:  # 401 from the sign-in form itself is a refused password, not access
            refusals = (403,) if template == "/connexion" else (401, 403)
            ok = status < 500 and status not in refusals
        elif role == "anonymous":
            ok = status == (401 if path.startswith("/api/") else 303)
        else:
            ok = status == 403
        if not ok:
            wrong.append(f"{method} {path}: {status}")
    assert not wrong, f"{role}: {wrong}"
    print(f"{role}: {len(app_routes(app))} routes checked")


OBJECT_PARAMS = ("{control_id}", "{bulletin_id}", "{photo_id}")


def test_an_agent_of_another_unit_gets_404_on_every_object_of_the_unit(
    app: FastAPI, world: World
) -> None:
    """Not 403: a refusal would tell him the control exists."""
    add_user(app.state.context.engine, "autre", "Autre Unité", Role.AGENT, "autre-password-1")
    client = TestClient(app, follow_redirects=False)
    csrf = csrf_of(client)
    signed = client.post(
        "/connexion", data={"login": "autre", "password": "autre-password-1", "csrf": csrf}
    )
    assert signed.status_code == 303
    csrf = csrf_of(client, "/scan")
    templates = [
        (method, template)
        for method, template in app_routes(app)
        if any(param in template for param in OBJECT_PARAMS)
        and "agent" in ALLOWED[RULES[(method, template)]]
    ]
    assert len(templates) == 21  # every route naming a control, bulletin, photo, sheet, schedule
    wrong = [
        f"{method} {template}: {status}"
        for method, template in templates
        if (status := _request(client, method, world.path(template), csrf)) != 404
    ]
    assert not wrong


def test_every_state_changing_route_refuses_a_request_without_its_csrf_token(
    app: FastAPI, world: World
) -> None:
    client = TestClient(app, follow_redirects=False)
    sign_in(client, "admin")
    posts = [template for method, template in app_routes(app) if method == "POST"]
    assert len(posts) >= 15
    accepted = [
        f"POST {template}: {status}"
        for template in posts
        if (status := client.post(world.path(template), data={"csrf": "forged"}).status_code) != 403
    ]
    assert not accepted


def test_the_session_lasts_the_configured_hours(client: TestClient, app: FastAPI) -> None:
    token = csrf_of(client)
    response = client.post(
        "/connexion", data={"login": "agent", "password": PASSWORDS["agent"], "csrf": token}
    )
    hours = app.state.context.settings.session_hours
    assert f"Max-Age={hours * 3600}" in response.headers["set-cookie"]
