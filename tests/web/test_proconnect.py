"""ProConnect sign-in against a real OpenID provider (tests/oidc/provider.mjs), on SQLite and
PostgreSQL: the agent's browser at the provider is httpx, the app is the test client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from control.settings import Settings
from control.storage.access_requests import list_requests
from control.storage.audit import entries
from control.storage.schema import audit_log
from control.storage.users import Identity, get_user, list_users, set_active, set_identity
from tests.oidc.fixtures import TEST_CLIENT_ORIGIN
from tests.oidc.fixtures import oidc_provider as oidc_provider  # a fixture
from tests.oidc.fixtures import proconnect_port as proconnect_port  # a fixture
from tests.oidc.provider import AGENT, DISABLED, UNKNOWN, WEAK, Provider, ProviderBrowser
from tests.web.conftest import PASSWORDS, csrf_of, sign_in
from web.app import create_app
from web.rendering import french_datetime


@pytest.fixture
def settings(settings: Settings, oidc_provider: Provider) -> Settings:
    return settings.model_copy(update=oidc_provider.settings())


@pytest.fixture
def at_provider(oidc_provider: Provider) -> Iterator[ProviderBrowser]:
    browser = ProviderBrowser(oidc_provider)
    yield browser
    browser.close()


def _account(engine: Engine, login: str) -> int:
    return next(u.id for u in list_users(engine) if u.login == login)


@pytest.fixture
def agent_id(app: object, engine: Engine) -> int:
    """The test agent's account, which an admin gave the provider's email of AGENT."""
    user_id = _account(engine, "agent")
    set_identity(engine, user_id, Identity(email=AGENT.email.upper()))  # case does not matter
    return user_id


def start(client: TestClient, suivant: str = "/") -> str:
    response = client.get("/connexion/proconnect", params={"suivant": suivant})
    assert response.status_code == 303, response.text
    return response.headers["location"]


def come_back(client: TestClient, url: str) -> httpx.Response:
    assert url.startswith(f"{TEST_CLIENT_ORIGIN}/connexion/proconnect/retour?"), url
    return client.get(url.removeprefix(TEST_CLIENT_ORIGIN))


def sign_in_with(
    client: TestClient, at_provider: ProviderBrowser, email: str, suivant: str = "/"
) -> httpx.Response:
    return come_back(client, at_provider.sign_in(start(client, suivant), email))


def signed_in(client: TestClient) -> bool:
    return client.get("/controles").status_code == 200


def actions(engine: Engine) -> list[str]:
    """The sign-in actions of the audit log, oldest first."""
    with engine.connect() as connection:
        logged = connection.execute(select(audit_log.c.action).order_by(audit_log.c.id))
        return [a for a in logged.scalars() if a.startswith(("login", "proconnect"))]


def test_the_authorization_request_asks_for_pkce_state_nonce_and_eidas1(
    client: TestClient, oidc_provider: Provider
) -> None:
    url = start(client)
    assert url.startswith(f"{oidc_provider.issuer}/")
    query = parse_qs(urlsplit(url).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert len(query["state"][0]) >= 32
    assert len(query["nonce"][0]) >= 32
    assert query["acr_values"] == ["eidas1"]
    assert query["scope"][0].split()[:5] == ["openid", "email", "given_name", "usual_name", "siret"]
    assert query["redirect_uri"] == [f"{TEST_CLIENT_ORIGIN}/connexion/proconnect/retour"]
    assert set(query).isdisjoint({"code_verifier", "client_secret"})


def test_first_sign_in_binds_the_account_by_email_then_by_sub_only(
    client: TestClient, at_provider: ProviderBrowser, engine: Engine, agent_id: int
) -> None:
    page = sign_in_with(client, at_provider, AGENT.email, suivant="/controles")
    assert page.status_code == 200, page.text
    assert '<meta http-equiv="refresh" content="0; url=/controles">' in page.text
    assert "lic_proconnect=" in page.headers["set-cookie"]  # the flow cookie is spent
    assert signed_in(client)
    account = get_user(engine, agent_id)
    assert account is not None
    assert account.identity.proconnect_sub == AGENT.id
    assert account.identity.siret == AGENT.siret  # blank fields filled from ProConnect
    assert account.identity.family_name == AGENT.usual_name
    assert actions(engine)[-2:] == ["proconnect-bound", "login-proconnect"]
    logged = " ".join(e.target for e in entries(engine))
    assert AGENT.email not in logged
    assert AGENT.usual_name not in logged

    # the email changes here: the bound sub still opens the account, the email alone no more
    set_identity(engine, agent_id, Identity(email="autre.adresse@interieur.test"))
    client.cookies.clear()
    assert sign_in_with(client, at_provider, AGENT.email).status_code == 200
    assert signed_in(client)


def test_an_unknown_identity_is_told_whom_to_ask(
    client: TestClient, at_provider: ProviderBrowser, engine: Engine, agent_id: int
) -> None:
    page = sign_in_with(client, at_provider, UNKNOWN.email)
    assert page.status_code == 403
    assert "administrateur de Contrôle LIC de votre unité ou de votre service" in unescape(
        page.text
    )
    assert UNKNOWN.email in page.text
    assert not signed_in(client)
    assert actions(engine)[-1] == "login-proconnect-unknown"
    client.cookies.clear()
    assert sign_in_with(client, at_provider, UNKNOWN.email).status_code == 403
    (asked,) = list_requests(engine)  # one request per identity, however often she tries
    assert asked.identity == Identity(
        UNKNOWN.email, UNKNOWN.id, UNKNOWN.siret, UNKNOWN.given_name, UNKNOWN.usual_name
    )
    assert f"ProConnect : demande n°{asked.id}" in {e.target for e in entries(engine)}


def test_an_approved_access_request_opens_the_account_it_made(
    client: TestClient, at_provider: ProviderBrowser, engine: Engine, app: object
) -> None:
    assert sign_in_with(client, at_provider, UNKNOWN.email).status_code == 403
    (asked,) = list_requests(engine)
    admin = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    token = sign_in(admin, "admin")
    listed = admin.get("/admin/utilisateurs").text
    assert UNKNOWN.email in listed
    assert f'action="/admin/demandes/{asked.id}/refuser" data-confirmer=' in listed
    assert f'name="empreinte" value="{asked.fingerprint}"' in listed
    asked_on = french_datetime(asked.requested_at)  # the day too: a request may wait weeks
    assert f"demande du {asked_on}" in listed
    assert "effacée 90 jours après la dernière identification" in unescape(listed)
    sent = {"login": "claude", "name": "Claude Essai", "role": "agent", "unit": "U-1"}
    sent["empreinte"] = asked.fingerprint
    wrong = admin.post(
        f"/admin/demandes/{asked.id}/approuver", data={**sent, "role": "", "csrf": token}
    )
    assert wrong.status_code == 422
    assert "Choisissez un profil." in wrong.text
    done = admin.post(f"/admin/demandes/{asked.id}/approuver", data={**sent, "csrf": token})
    assert done.status_code == 303
    assert list_requests(engine) == []
    made = next(u for u in list_users(engine) if u.login == "claude")
    assert (made.unit, made.identity.proconnect_sub) == ("U-1", UNKNOWN.id)
    again = admin.post(f"/admin/demandes/{asked.id}/approuver", data={**sent, "csrf": token})
    assert again.status_code == 422  # answered already, and the page says so
    assert "Cette demande d'accès a déjà reçu une réponse." in unescape(again.text)
    client.cookies.clear()
    assert sign_in_with(client, at_provider, UNKNOWN.email).status_code == 200
    assert signed_in(client)


def test_a_refused_access_request_is_deleted_and_audited(
    client: TestClient, at_provider: ProviderBrowser, engine: Engine, app: object
) -> None:
    sign_in_with(client, at_provider, UNKNOWN.email)
    (asked,) = list_requests(engine)
    agent = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    agent_token = sign_in(agent, "agent")
    refused = agent.post(f"/admin/demandes/{asked.id}/refuser", data={"csrf": agent_token})
    assert refused.status_code == 403
    assert list_requests(engine) == [asked]
    admin = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    token = sign_in(admin, "admin")
    assert (
        admin.post(f"/admin/demandes/{asked.id}/refuser", data={"csrf": token}).status_code == 303
    )
    assert list_requests(engine) == []
    assert (entries(engine)[0].action, entries(engine)[0].target) == (
        "access-refused",
        f"demande n°{asked.id}",
    )


def test_a_disabled_account_is_refused(
    client: TestClient, at_provider: ProviderBrowser, engine: Engine, agent_id: int
) -> None:
    off = _account(engine, "inspector")
    set_identity(engine, off, Identity(email=DISABLED.email))
    set_active(engine, off, False)
    page = sign_in_with(client, at_provider, DISABLED.email)
    assert page.status_code == 403
    assert "Votre compte Contrôle LIC est désactivé" in page.text
    assert not signed_in(client)
    assert get_user(engine, off).identity.proconnect_sub is None  # type: ignore[union-attr]
    assert actions(engine)[-1] == "login-proconnect-disabled"

    # bound earlier, then disabled: refused by sub too
    set_active(engine, off, True)
    client.cookies.clear()
    assert sign_in_with(client, at_provider, DISABLED.email).status_code == 200
    set_active(engine, off, False)
    client.cookies.clear()
    assert sign_in_with(client, at_provider, DISABLED.email).status_code == 403
    assert not signed_in(client)


@pytest.mark.parametrize(
    "mode", ["tamper", "nonce", "expired", "hs256", "userinfo-json", "userinfo-sub"]
)
def test_a_spoiled_id_token_or_userinfo_is_refused(
    client: TestClient,
    at_provider: ProviderBrowser,
    oidc_provider: Provider,
    engine: Engine,
    agent_id: int,
    mode: str,
) -> None:
    oidc_provider.spoil_next_token(mode)
    page = sign_in_with(client, at_provider, AGENT.email)
    assert page.status_code == 401, page.text
    assert "La réponse de ProConnect n'a pas pu être vérifiée" in unescape(page.text)
    assert not signed_in(client)
    assert get_user(engine, agent_id).identity.proconnect_sub is None  # type: ignore[union-attr]
    assert actions(engine)[-1] == "login-proconnect-failed"


def test_a_weaker_authentication_than_eidas1_is_refused(
    client: TestClient, at_provider: ProviderBrowser, engine: Engine
) -> None:
    set_identity(engine, _account(engine, "agent"), Identity(email=WEAK.email))
    page = sign_in_with(client, at_provider, WEAK.email)
    assert page.status_code == 403
    assert "Niveau d'authentification insuffisant" in unescape(page.text)
    assert not signed_in(client)


def test_a_state_mismatch_and_a_replayed_return_are_refused(
    client: TestClient, at_provider: ProviderBrowser, agent_id: int
) -> None:
    back = at_provider.sign_in(start(client), AGENT.email)
    forged = back.replace("state=", "state=x")
    page = come_back(client, forged)
    assert page.status_code == 400
    assert "Retour de ProConnect inattendu" in page.text
    assert not signed_in(client)

    # the flow cookie was spent: the genuine return, replayed now, finds no flow
    page = come_back(client, back)
    assert page.status_code == 400
    assert "Aucune connexion ProConnect en cours" in page.text

    # a return with its flow cookie, replayed after it served: the code is spent
    flow = client.get("/connexion/proconnect").headers["set-cookie"]
    cookie = flow.split(";")[0].split("=", 1)[1]
    back = at_provider.sign_in(client.get("/connexion/proconnect").headers["location"], AGENT.email)
    kept = client.cookies.get("lic_proconnect")
    assert come_back(client, back).status_code == 200
    client.cookies.set("lic_proconnect", kept or cookie, path="/connexion/proconnect")
    again = come_back(client, back)
    assert again.status_code == 400
    assert "a expiré ou a déjà servi" in again.text


def test_a_return_without_a_flow_or_cancelled_is_a_french_4xx(client: TestClient) -> None:
    page = client.get("/connexion/proconnect/retour?code=abc&state=def")
    assert page.status_code == 400
    assert "Aucune connexion ProConnect en cours" in page.text
    start(client)
    page = client.get("/connexion/proconnect/retour?error=access_denied&state=x")
    assert page.status_code == 400
    assert "Connexion ProConnect interrompue" in page.text
    client.cookies.set("lic_proconnect", "forged.value.here", path="/connexion/proconnect")
    assert client.get("/connexion/proconnect/retour?code=a&state=b").status_code == 400
    assert client.get("/connexion/proconnect/retour?code=" + "a" * 3000).status_code == 422


@pytest.mark.parametrize("target", ["//evil.test/x", "/\\evil.test", "https://evil.test", "/\n"])
def test_the_page_asked_for_is_never_another_site(
    client: TestClient, at_provider: ProviderBrowser, agent_id: int, target: str
) -> None:
    page = sign_in_with(client, at_provider, AGENT.email, suivant=target)
    assert '<meta http-equiv="refresh" content="0; url=/">' in page.text


def test_logout_ends_the_session_here_and_at_the_provider(
    client: TestClient, at_provider: ProviderBrowser, oidc_provider: Provider, agent_id: int
) -> None:
    assert sign_in_with(client, at_provider, AGENT.email).status_code == 200
    token = csrf_of(client, "/controles")
    out = client.post("/deconnexion", data={"csrf": token})
    assert out.status_code == 303
    assert out.headers["location"] == "/connexion"
    assert not signed_in(client)  # ours ended before the provider's
    end = client.get("/connexion").headers["location"]
    assert end.startswith(f"{oidc_provider.issuer}/")
    query = parse_qs(urlsplit(end).query)
    assert query["post_logout_redirect_uri"] == [f"{TEST_CLIENT_ORIGIN}/connexion"]
    assert query["id_token_hint"][0].count(".") == 2
    assert len(query["state"][0]) >= 32
    assert client.get("/connexion").status_code == 200  # the provider's logout, visited once

    assert at_provider.sign_out(end).startswith(f"{TEST_CLIENT_ORIGIN}/connexion")
    # the provider asks for the agent again: its session ended too
    reached = at_provider.walk(start(client))
    assert isinstance(reached, httpx.Response)
    assert 'name="email"' in reached.text


def test_signing_in_again_while_the_provider_remembers_needs_no_form(
    client: TestClient, at_provider: ProviderBrowser, agent_id: int
) -> None:
    """The provider's own session (SSO) sends the agent straight back: still verified."""
    assert sign_in_with(client, at_provider, AGENT.email).status_code == 200
    client.cookies.clear()
    back = at_provider.walk(start(client))
    assert isinstance(back, str)
    assert come_back(client, back).status_code == 200
    assert signed_in(client)


def token(client: TestClient) -> str:
    """The sign-in form's token; none when the page has no password form."""
    page = client.get("/connexion").text
    return csrf_of(client) if 'name="csrf"' in page else ""


def test_passwords_turned_off_leave_only_the_button(
    settings: Settings, engine: Engine, app: object
) -> None:
    for mode, agent_status, admin_status in (("none", 403, 403), ("admins", 401, 303)):
        application = create_app(settings.model_copy(update={"local_sign_in": mode}))
        client = TestClient(application, follow_redirects=False)
        page = client.get("/connexion").text
        assert "S’identifier avec" in page
        assert ('name="password"' in page) is (mode == "admins")
        for role, status in (("agent", agent_status), ("admin", admin_status)):
            client.cookies.clear()
            answer = client.post(
                "/connexion",
                data={"login": role, "password": PASSWORDS[role], "csrf": token(client)},
            )
            assert answer.status_code == status, (mode, role)
            if status != 303:
                assert "connectez-vous avec ProConnect" in answer.text
            if mode == "admins" and role == "agent":  # her right password, a wrong one's answer
                wrong = client.post(
                    "/connexion",
                    data={"login": role, "password": "not hers at all", "csrf": token(client)},
                )
                assert (wrong.status_code, _error(wrong.text)) == (401, _error(answer.text))
        application.state.context.close()


def _error(page: str) -> str:
    found = re.search(r'role="alert"><p>(.*?)</p>', page, re.S)
    assert found, "no error shown"
    return unescape(found[1]).strip()


def test_the_sign_in_page_offers_proconnect_only_when_configured(
    client: TestClient, settings: Settings
) -> None:
    assert "fr-connect--pro" in client.get("/connexion").text
    assert (
        settings.proconnect_origins()[0]
        in client.get("/connexion").headers["content-security-policy"]
    )
    without = create_app(settings.model_copy(update={"proconnect_issuer": ""}))
    plain = TestClient(without, follow_redirects=False)
    assert "fr-connect" not in plain.get("/connexion").text
    assert plain.get("/connexion/proconnect").status_code == 404
    assert plain.get("/connexion/proconnect/retour?code=a&state=b").status_code == 404
    without.state.context.close()
    with pytest.raises(ValueError, match="ProConnect"):
        Settings(local_sign_in="none").check_sign_in()
    with pytest.raises(ValueError, match="https"):
        settings.model_copy(update={"proconnect_issuer": "http://idp.test"}).check_sign_in()


def test_a_provider_down_or_answering_for_another_issuer_is_a_french_502(
    settings: Settings, oidc_provider: Provider, app: object
) -> None:
    port = urlsplit(oidc_provider.issuer).port
    for issuer, message in (
        ("http://127.0.0.1:9", "ProConnect ne répond pas"),  # nothing listens there
        (f"http://localhost:{port}", "n'a pas pu être vérifiée"),  # its document names another
    ):
        application = create_app(settings.model_copy(update={"proconnect_issuer": issuer}))
        answer = TestClient(application, follow_redirects=False).get("/connexion/proconnect")
        assert answer.status_code == 502
        assert message in unescape(answer.text)
        assert "lic_proconnect" not in answer.headers.get("set-cookie", "")
        application.state.context.close()
