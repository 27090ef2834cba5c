"""Sign-in: one answer whatever went wrong, limits every worker shares (two apps on one
database stand for two workers), and X-Forwarded-For believed only from a named proxy."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from control.settings import Settings
from control.storage.sign_in_limits import ADDRESS_LIMIT
from control.storage.users import MAX_FAILURES
from tests.web.conftest import PASSWORDS, csrf_of
from web.app import create_app

STATION = ("203.0.113.7", 40000)  # a station's NAT: all its agents share this address
PROXY = ("10.0.0.2", 40000)


def _attempt(client: TestClient, login: str, password: str, **headers: str) -> tuple[int, str]:
    data = {"login": login, "password": password, "csrf": csrf_of(client)}
    response = client.post("/connexion", data=data, headers=headers)
    return response.status_code, response.text


def _message(page: str) -> str:
    match = re.search(
        r'<div class="fr-alert fr-alert--error[^"]*" role="alert"><p>([^<]*)</p>', page
    )
    assert match, page
    return match.group(1)


@pytest.fixture
def second_worker(settings: Settings, app: FastAPI) -> Iterator[FastAPI]:
    """Another app process on the same database and secret: a second worker."""
    other = create_app(settings)
    yield other
    other.state.context.engine.dispose()


def test_wrong_password_unknown_login_and_locked_account_get_one_answer(
    client: TestClient,
) -> None:
    for _ in range(MAX_FAILURES):
        _attempt(client, "inspector", "not the password")
    answers = {
        "wrong": _attempt(client, "agent", "not the password"),
        "unknown": _attempt(client, "nobody-here", "not the password"),
        "locked": _attempt(client, "inspector", PASSWORDS["inspector"]),
    }
    assert {status for status, _ in answers.values()} == {401}
    assert len({_message(page) for _, page in answers.values()}) == 1


def test_the_per_login_lock_holds_across_workers(app: FastAPI, second_worker: FastAPI) -> None:
    one = TestClient(app, follow_redirects=False, client=("198.51.100.1", 1))
    two = TestClient(second_worker, follow_redirects=False, client=("198.51.100.2", 1))
    for n in range(MAX_FAILURES):
        _attempt(one if n % 2 else two, "agent", "not the password")
    assert _attempt(one, "agent", PASSWORDS["agent"])[0] == 401
    assert _attempt(two, "agent", PASSWORDS["agent"])[0] == 401


def test_the_per_address_limit_holds_across_workers(app: FastAPI, second_worker: FastAPI) -> None:
    workers = [
        TestClient(app, follow_redirects=False, client=STATION),
        TestClient(second_worker, follow_redirects=False, client=STATION),
    ]
    statuses = [_attempt(workers[n % 2], f"guess{n}", "whatever")[0] for n in range(ADDRESS_LIMIT)]
    assert statuses == [401] * ADDRESS_LIMIT
    status, page = _attempt(workers[0], "guess-again", "whatever")
    assert status == 429
    assert "Trop de tentatives" in page


def test_an_agent_on_her_own_tablet_is_not_shut_out_by_a_busy_address(app: FastAPI) -> None:
    tablet = TestClient(app, follow_redirects=False, client=STATION)
    assert _attempt(tablet, "agent", PASSWORDS["agent"])[0] == 303  # she signed in here before
    tablet.cookies.delete("lic_session")
    guesser = TestClient(app, follow_redirects=False, client=STATION)
    for n in range(ADDRESS_LIMIT):
        _attempt(guesser, f"guess{n}", "whatever")
    assert _attempt(guesser, "agent", PASSWORDS["agent"])[0] == 429
    assert _attempt(tablet, "agent", PASSWORDS["agent"])[0] == 303


def test_a_forwarded_address_is_ignored_without_a_trusted_proxy(app: FastAPI) -> None:
    """Loopback included: rotating X-Forwarded-For gives no fresh limit."""
    client = TestClient(app, follow_redirects=False, client=("127.0.0.1", 40000))
    for n in range(ADDRESS_LIMIT):
        _attempt(client, f"guess{n}", "whatever", **{"X-Forwarded-For": f"192.0.2.{n}"})
    rotated = {"X-Forwarded-For": "192.0.2.250"}
    assert _attempt(client, "guess", "whatever", **rotated)[0] == 429


def test_a_forwarded_address_is_believed_from_a_named_proxy(
    settings: Settings, app: FastAPI
) -> None:
    behind_proxy = create_app(settings.model_copy(update={"trusted_proxies": "10.0.0.0/24"}))
    client = TestClient(behind_proxy, follow_redirects=False, client=PROXY)
    try:
        guesser = {"X-Forwarded-For": "192.0.2.66"}
        for n in range(ADDRESS_LIMIT):
            _attempt(client, f"guess{n}", "whatever", **guesser)
        assert _attempt(client, "guess", "whatever", **guesser)[0] == 429
        # another client of the proxy; a spoofed first hop does not choose the address
        other = {"X-Forwarded-For": "192.0.2.66, 192.0.2.77"}
        assert _attempt(client, "agent", PASSWORDS["agent"], **other)[0] == 303
    finally:
        behind_proxy.state.context.engine.dispose()


def test_a_typo_in_the_trusted_proxies_stops_the_start(settings: Settings) -> None:
    with pytest.raises(ValueError, match=r"10\.0\.0\.300"):
        create_app(settings.model_copy(update={"trusted_proxies": "10.0.0.300"}))
