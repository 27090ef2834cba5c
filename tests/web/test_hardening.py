"""Sign-in lockout and rate limit, security headers, the strict CSP."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from control.storage.audit import entries
from control.storage.users import MAX_FAILURES, list_users
from tests.web.conftest import PASSWORDS, csrf_of, sign_in


def _try(client: TestClient, login: str, password: str) -> int:
    token = csrf_of(client)
    response = client.post("/connexion", data={"login": login, "password": password, "csrf": token})
    return response.status_code


def test_repeated_wrong_passwords_lock_the_account_without_saying_so(
    client: TestClient,
) -> None:
    for _ in range(MAX_FAILURES - 1):
        assert _try(client, "agent", "not the password") == 401
    token = csrf_of(client)
    locked = client.post(
        "/connexion", data={"login": "agent", "password": "not the password", "csrf": token}
    )
    assert locked.status_code == 401
    assert "ou compte verrouillé" in locked.text
    assert _try(client, "agent", PASSWORDS["agent"]) == 401


def test_failed_sign_ins_and_the_lock_are_in_the_audit_log(
    client: TestClient, app: FastAPI
) -> None:
    for _ in range(MAX_FAILURES + 1):
        _try(client, "agent", "not the password")
    _try(client, "nobody-at-all", "whatever")
    actions = [(e.login, e.action) for e in entries(app.state.context.engine)]
    assert actions.count(("agent", "login-failed")) == MAX_FAILURES - 1
    assert ("agent", "account-locked") in actions
    assert ("agent", "login-locked") in actions
    assert ("(inconnu)", "login-failed") in actions
    assert not any("nobody" in e.target for e in entries(app.state.context.engine))


def test_a_successful_sign_in_is_in_the_audit_log(client: TestClient, app: FastAPI) -> None:
    sign_in(client, "inspector")
    assert ("inspector", "login") in [
        (e.login, e.action) for e in entries(app.state.context.engine)
    ]


def test_one_machine_trying_many_accounts_is_slowed_down(client: TestClient) -> None:
    statuses = [_try(client, f"guess{n}", "whatever password") for n in range(21)]
    assert statuses[:20] == [401] * 20
    assert statuses[20] == 429
    token = csrf_of(client)
    refused = client.post(
        "/connexion", data={"login": "agent", "password": PASSWORDS["agent"], "csrf": token}
    )
    assert "Trop de tentatives" in refused.text


def test_pages_carry_a_strict_content_security_policy(client: TestClient) -> None:
    sign_in(client, "agent")
    csp = client.get("/scan").headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    # scripts from the app only; WebAssembly may be compiled (the offline QR reader), eval not
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp
    assert "'unsafe-eval'" not in csp


def test_responses_carry_the_security_headers(client: TestClient) -> None:
    headers = client.get("/connexion").headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    assert headers["cache-control"] == "no-store"


def test_static_files_carry_only_the_headers_that_apply_to_them(client: TestClient) -> None:
    """A first visit fetches some 120 static files: what governs documents is left off them."""
    headers = client.get("/static/app.js").headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cross-origin-resource-policy"] == "same-origin"
    assert "x-frame-options" not in headers
    assert "permissions-policy" not in headers
    answer = client.get("/api/verify").headers  # any other answer: framed by nobody
    assert answer["x-frame-options"] == "DENY"


def test_static_files_may_be_cached(client: TestClient) -> None:
    assert "no-store" not in client.get("/static/app.css").headers.get("cache-control", "")


def test_templates_hold_no_inline_script_or_style(client: TestClient) -> None:
    sign_in(client, "admin")
    for path in ("/scan", "/controles", "/recherche", "/admin/utilisateurs", "/demo"):
        page = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), path
        assert " style=" not in page, path
        assert "<style" not in page, path
        assert not re.search(r"\son[a-z]+=", page), path


def test_an_admin_sees_a_locked_account_and_unlocks_it(client: TestClient, app: FastAPI) -> None:
    for _ in range(MAX_FAILURES):
        _try(client, "agent", "not the password")
    token = sign_in(client, "admin")
    page = client.get("/admin/utilisateurs").text
    assert "verrouillé jusqu'à" in page
    agent_id = next(u.id for u in list_users(app.state.context.engine) if u.login == "agent")
    unlocked = client.post(
        f"/admin/utilisateurs/{agent_id}/actif", data={"actif": "true", "csrf": token}
    )
    assert unlocked.status_code == 303
    client.post("/deconnexion", data={"csrf": token})
    assert _try(client, "agent", PASSWORDS["agent"]) == 303


def test_an_admin_cannot_disable_his_own_account(client: TestClient, app: FastAPI) -> None:
    token = sign_in(client, "admin")
    admin_id = next(u.id for u in list_users(app.state.context.engine) if u.login == "admin")
    refused = client.post(
        f"/admin/utilisateurs/{admin_id}/actif", data={"actif": "false", "csrf": token}
    )
    assert refused.status_code == 403


def test_an_id_beyond_the_database_range_is_a_422_not_a_crash(client: TestClient) -> None:
    sign_in(client, "agent")
    for path in ("/controles/9223372036854775808", "/bulletins/99999999999999999999/pdf"):
        assert client.get(path).status_code == 422


def test_successful_sign_ins_do_not_count_against_the_address(client: TestClient) -> None:
    for _ in range(25):  # a station's agents signing in one after another
        assert _try(client, "agent", PASSWORDS["agent"]) == 303
        client.cookies.clear()
    assert _try(client, "agent", PASSWORDS["agent"]) == 303


def test_the_accounts_page_offers_no_button_to_disable_oneself(
    client: TestClient, app: FastAPI
) -> None:
    sign_in(client, "admin")
    admin_id = next(u.id for u in list_users(app.state.context.engine) if u.login == "admin")
    page = client.get("/admin/utilisateurs").text
    assert f"/admin/utilisateurs/{admin_id}/actif" not in page
    assert "/actif" in page  # the other accounts keep theirs
