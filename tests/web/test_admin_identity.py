"""The administrator's account page: the agent's identity (ProConnect's email, SIRET, names,
RIO / matricule for GRECO), whether ProConnect is bound, and unbinding it."""

from __future__ import annotations

import re
from html import unescape

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from control.storage.audit import entries
from control.storage.users import Identity, bind_proconnect, get_user, list_users, set_identity
from tests.web.conftest import sign_in


def _id(engine: Engine, login: str) -> int:
    return next(u.id for u in list_users(engine) if u.login == login)


IDENTITY = {
    "email": "Camille.Essai@interieur.test",
    "siret": "110 000 000 000 11",
    "given_name": "Camille",
    "family_name": "Essai",
    "matricule": "ab-1234",
}


def test_an_admin_sets_an_agents_identity_audited(client: TestClient, engine: Engine) -> None:
    token = sign_in(client, "admin")
    agent = _id(engine, "agent")
    assert f'href="/admin/utilisateurs/{agent}"' in client.get("/admin/utilisateurs").text
    page = client.get(f"/admin/utilisateurs/{agent}")
    assert page.status_code == 200
    assert "pas encore lié" in page.text
    saved = client.post(f"/admin/utilisateurs/{agent}/identite", data={**IDENTITY, "csrf": token})
    assert saved.status_code == 200
    assert "Identité enregistrée." in saved.text
    identity = get_user(engine, agent).identity  # type: ignore[union-attr]
    assert identity == Identity(
        "camille.essai@interieur.test", None, "11000000000011", "Camille", "Essai", "AB-1234"
    )
    assert (entries(engine)[0].action, entries(engine)[0].target) == ("account-identity", "agent")


def test_a_wrong_field_is_told_under_it_and_nothing_is_saved(
    client: TestClient, engine: Engine
) -> None:
    token = sign_in(client, "admin")
    agent = _id(engine, "agent")
    for field, value, message in (
        ("siret", "1234", "Le SIRET compte 14 chiffres."),
        ("email", "pas-une-adresse", "Adresse électronique invalide."),
        ("matricule", "RIO 12/3", "RIO / matricule invalide"),
    ):
        sent = {**IDENTITY, field: value, "csrf": token}
        page = client.post(f"/admin/utilisateurs/{agent}/identite", data=sent)
        assert page.status_code == 422
        under = re.search(rf'id="{field}-messages"[^>]*>\s*<p[^>]*>([^<]+)</p>', page.text)
        assert under, field
        assert message in unescape(under[1])
        assert f'value="{value}"' in page.text  # what was typed stays, to be corrected
    assert get_user(engine, agent).identity == Identity()  # type: ignore[union-attr]
    too_long = client.post(
        f"/admin/utilisateurs/{agent}/identite", data={"email": "a" * 300, "csrf": token}
    )
    assert too_long.status_code == 422


def test_an_email_given_to_another_account_is_refused(client: TestClient, engine: Engine) -> None:
    token = sign_in(client, "admin")
    set_identity(engine, _id(engine, "inspector"), Identity(email="camille.essai@interieur.test"))
    page = client.post(
        f"/admin/utilisateurs/{_id(engine, 'agent')}/identite", data={**IDENTITY, "csrf": token}
    )
    assert page.status_code == 422
    assert "déjà celle du compte inspector" in unescape(page.text)


def test_unbinding_proconnect_asks_first_ends_sessions_and_is_audited(
    client: TestClient, engine: Engine, app: object
) -> None:
    agent_client = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    sign_in(agent_client, "agent")
    agent = _id(engine, "agent")
    assert bind_proconnect(engine, agent, "sub-1", Identity())
    assert not bind_proconnect(engine, agent, "sub-2", Identity())  # bound already: kept
    token = sign_in(client, "admin")
    assert "ProConnect</span>" in client.get("/admin/utilisateurs").text
    page = client.get(f"/admin/utilisateurs/{agent}").text
    assert "lié à ProConnect" in page
    form = re.search(r'<form[^>]*action="/admin/utilisateurs/\d+/proconnect"[^>]*>', page)
    assert form
    assert "data-confirmer=" in form[0]
    done = client.post(f"/admin/utilisateurs/{agent}/proconnect", data={"csrf": token})
    assert done.status_code == 303
    assert get_user(engine, agent).identity.proconnect_sub is None  # type: ignore[union-attr]
    assert agent_client.get("/controles").status_code == 303  # signed out
    assert (entries(engine)[0].action, entries(engine)[0].target) == ("proconnect-unbound", "agent")


def test_an_agent_cannot_set_identities(client: TestClient, engine: Engine) -> None:
    token = sign_in(client, "agent")
    inspector = _id(engine, "inspector")
    assert client.get(f"/admin/utilisateurs/{inspector}").status_code == 403
    sent = {**IDENTITY, "csrf": token}
    assert client.post(f"/admin/utilisateurs/{inspector}/identite", data=sent).status_code == 403
    assert get_user(engine, inspector).identity == Identity()  # type: ignore[union-attr]
    admin_token = sign_in(client, "admin")
    assert client.get("/admin/utilisateurs/999999").status_code == 404
    gone = client.post("/admin/utilisateurs/999999/identite", data={"csrf": admin_token})
    assert gone.status_code == 404
