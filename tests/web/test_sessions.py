"""Sessions live on the server: signing out, a deactivation, a password change or an
administrator's reset end them, whoever holds a copy of the cookie; so does idleness."""

from __future__ import annotations

import html
from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

from control.storage.audit import entries
from control.storage.schema import sessions
from control.storage.users import list_users
from tests.web.conftest import PASSWORDS, csrf_in, sign_in

NEW_PASSWORD = "Une phrase de passe neuve"

TEMPORARY = 'Mot de passe temporaire de agent : <strong class="mot-de-passe">'


def _copy(app: FastAPI, client: TestClient) -> TestClient:
    """Another browser holding a copy of `client`'s session cookie."""
    return TestClient(
        app, follow_redirects=False, cookies={"lic_session": client.cookies["lic_session"]}
    )


def _signed_in(client: TestClient) -> bool:
    return client.get("/scan").status_code == 200


def _id_of(app: FastAPI, login: str) -> int:
    return next(u.id for u in list_users(app.state.context.engine) if u.login == login)


def test_a_copied_cookie_is_refused_after_logout(app: FastAPI, client: TestClient) -> None:
    token = sign_in(client, "agent")
    copy = _copy(app, client)
    assert _signed_in(copy)
    client.post("/deconnexion", data={"csrf": token})
    assert copy.get("/scan").headers["location"] == "/connexion?suivant=/scan"
    assert copy.get("/api/controls").status_code == 401


def test_a_copied_cookie_is_refused_after_deactivation_then_reactivation(
    app: FastAPI, client: TestClient
) -> None:
    sign_in(client, "agent")
    copy = _copy(app, client)
    admin = TestClient(app, follow_redirects=False)
    token = sign_in(admin, "admin")
    agent_id = _id_of(app, "agent")
    for active in ("false", "true"):
        path = f"/admin/utilisateurs/{agent_id}/actif"
        assert admin.post(path, data={"actif": active, "csrf": token}).status_code == 303
    assert not _signed_in(client)
    assert not _signed_in(copy)


def _change(client: TestClient, current: str, new: str, confirmation: str = "") -> int:
    token = csrf_in(client.get("/compte").text, "/compte")
    data = {"current": current, "new": new, "confirmation": confirmation or new, "csrf": token}
    return client.post("/compte/mot-de-passe", data=data).status_code


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(
    app: FastAPI, client: TestClient
) -> None:
    sign_in(client, "agent")
    tablet = TestClient(app, follow_redirects=False)
    sign_in(tablet, "agent")
    assert _change(client, PASSWORDS["agent"], NEW_PASSWORD) == 303
    assert _signed_in(client)
    assert not _signed_in(tablet)
    actions = [(e.login, e.action) for e in entries(app.state.context.engine)]
    assert ("agent", "password-changed") in actions


def test_the_new_password_signs_in_and_the_old_one_no_longer(
    app: FastAPI, client: TestClient
) -> None:
    token = sign_in(client, "agent")
    assert _change(client, PASSWORDS["agent"], NEW_PASSWORD) == 303
    client.post("/deconnexion", data={"csrf": token})
    other = TestClient(app, follow_redirects=False)
    page = other.get("/connexion").text
    data = {"login": "agent", "password": PASSWORDS["agent"], "csrf": csrf_in(page, "/")}
    assert other.post("/connexion", data=data).status_code == 401
    data |= {"password": NEW_PASSWORD, "csrf": csrf_in(other.get("/connexion").text, "/")}
    assert other.post("/connexion", data=data).status_code == 303


def test_a_change_needs_the_current_password_and_a_matching_confirmation(
    client: TestClient,
) -> None:
    sign_in(client, "agent")
    assert _change(client, "not the password", NEW_PASSWORD) == 422
    token = csrf_in(client.get("/compte").text, "/compte")
    refused = client.post(
        "/compte/mot-de-passe",
        data={
            "current": PASSWORDS["agent"],
            "new": NEW_PASSWORD,
            "confirmation": NEW_PASSWORD + "x",
            "csrf": token,
        },
    )
    assert refused.status_code == 422
    assert "La confirmation ne correspond pas" in refused.text


def _age(engine: Engine, **moments: timedelta) -> None:
    """Move every session's moments back (a clock that moved on, without waiting)."""
    with engine.begin() as connection:
        for row in connection.execute(select(sessions)).all():
            values = {name: getattr(row, name) - delta for name, delta in moments.items()}
            connection.execute(update(sessions).where(sessions.c.id == row.id).values(values))


def test_a_session_ends_after_an_hour_without_a_request(app: FastAPI, client: TestClient) -> None:
    sign_in(client, "agent")
    engine = app.state.context.engine
    _age(engine, last_seen_at=timedelta(minutes=50))
    assert _signed_in(client)  # a request within the hour: the clock starts again
    _age(engine, last_seen_at=timedelta(minutes=61))
    assert not _signed_in(client)


def test_a_session_ends_at_its_lifetime_however_busy(app: FastAPI, client: TestClient) -> None:
    sign_in(client, "agent")
    _age(app.state.context.engine, expires_at=timedelta(hours=12, seconds=1))
    assert not _signed_in(client)


def test_the_database_keeps_no_usable_session_id(app: FastAPI, client: TestClient) -> None:
    sign_in(client, "agent")
    with app.state.context.engine.connect() as connection:
        stored = connection.execute(select(sessions.c.token_hash)).scalar_one()
    assert stored not in client.cookies["lic_session"]
    assert len(stored) == 64  # a sha256


def test_an_admin_reset_ends_the_sessions_and_forces_a_change(
    app: FastAPI, client: TestClient
) -> None:
    sign_in(client, "agent")
    admin = TestClient(app, follow_redirects=False)
    token = sign_in(admin, "admin")
    page = admin.post(
        f"/admin/utilisateurs/{_id_of(app, 'agent')}/mot-de-passe", data={"csrf": token}
    )
    assert page.status_code == 200
    temporary = page.text.split('Mot de passe temporaire de agent : <strong class="mot-de-passe">')[
        1
    ].split("<")[0]
    assert not _signed_in(client)
    assert "Mot de passe temporaire" not in admin.get("/admin/utilisateurs").text  # shown once
    agent = TestClient(app, follow_redirects=False)
    data = {
        "login": "agent",
        "password": temporary,
        "csrf": csrf_in(agent.get("/connexion").text, "/"),
    }
    signed = agent.post("/connexion", data=data)
    assert signed.headers["location"] == "/compte"
    assert agent.get("/scan").headers["location"] == "/compte"
    assert agent.get("/api/controls").status_code == 403
    assert _change(agent, temporary, NEW_PASSWORD) == 303
    assert _signed_in(agent)
    actions = [(e.login, e.action, e.target) for e in entries(app.state.context.engine)]
    assert ("admin", "password-reset", "agent") in actions


def test_a_reset_sent_again_keeps_the_temporary_password_already_given(
    app: FastAPI, client: TestClient
) -> None:
    """Reloading the answer of a reset sends its form again: refused, so the password the
    admin has already handed to the agent still works."""
    token = sign_in(client, "admin")
    listed = client.get("/admin/utilisateurs").text
    agent_id = _id_of(app, "agent")
    form = listed.split(f'action="/admin/utilisateurs/{agent_id}/mot-de-passe"')[1]
    sent = {"csrf": token, "empreinte": form.split('name="empreinte" value="')[1].split('"')[0]}
    first = client.post(f"/admin/utilisateurs/{agent_id}/mot-de-passe", data=sent)
    temporary = first.text.split(
        'Mot de passe temporaire de agent : <strong class="mot-de-passe">'
    )[1].split("<")[0]
    again = client.post(f"/admin/utilisateurs/{agent_id}/mot-de-passe", data=sent)
    assert again.status_code == 409
    assert "a déjà été réinitialisé" in html.unescape(again.text)
    agent = TestClient(app, follow_redirects=False)
    data = {
        "login": "agent",
        "password": temporary,
        "csrf": csrf_in(agent.get("/connexion").text, "/"),
    }
    assert agent.post("/connexion", data=data).headers["location"] == "/compte"


def test_the_account_changes_are_in_the_audit_log(app: FastAPI, client: TestClient) -> None:
    token = sign_in(client, "admin")
    client.post(
        "/admin/utilisateurs",
        data={
            "login": "n.durand",
            "name": "Nina Durand",
            "role": "agent",
            "password": "a long enough pass",
            "csrf": token,
        },
    )
    client.post(f"/admin/utilisateurs/{_id_of(app, 'n.durand')}/actif", data={"csrf": token})
    logged = entries(app.state.context.engine)
    assert [(e.action, e.target) for e in logged][:2] == [
        ("account-disabled", "n.durand"),
        ("account-created", "n.durand agent"),
    ]
    assert not any("Nina" in e.target or "Durand" in e.target for e in logged)
