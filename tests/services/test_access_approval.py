"""An administrator approves a ProConnect access request: one account, whole, bound to the
requester's `sub`, whatever the double submits, the races and the shapes of what ProConnect
gave; a failed approval leaves the request listed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from control.services.proconnect_accounts import approve
from control.storage.access_requests import list_requests, request_access
from control.storage.users import AccountError, Identity, Role, add_user, list_users
from tests.at_once import at_once

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
ASKED = Identity("claude.essai@interieur.test", "pc-sub-3", "11000000000011", "Claude", "Essai")


def asked(engine: Engine, identity: Identity = ASKED) -> tuple[int, str]:
    request_access(engine, identity, NOW)
    (request,) = list_requests(engine)
    return request.id, request.fingerprint


def test_an_approval_makes_one_whole_account_bound_to_the_requester(engine: Engine) -> None:
    number, fingerprint = asked(engine)
    made = approve(engine, number, fingerprint, "claude", "Claude Essai", Role.AGENT, "U-1")
    assert made.identity == ASKED
    assert (made.login, made.unit, made.active) == ("claude", "U-1", True)
    assert list_requests(engine) == []


def test_a_second_answer_finds_the_request_gone(engine: Engine) -> None:
    number, fingerprint = asked(engine)
    approve(engine, number, fingerprint, "claude", "Claude Essai", Role.AGENT)
    with pytest.raises(AccountError, match="a déjà reçu une réponse"):
        approve(engine, number, fingerprint, "claude2", "Claude Essai", Role.AGENT)
    assert [u.login for u in list_users(engine)] == ["claude"]


def test_approvals_at_once_make_one_account(engine: Engine) -> None:
    number, fingerprint = asked(engine)
    logins = iter(f"race{i}" for i in range(4))
    made, refused = at_once(
        lambda: approve(engine, number, fingerprint, next(logins), "Claude", Role.AGENT)
    )
    assert len(made) == 1
    assert len(refused) == 3
    assert all("a déjà reçu une réponse" in r for r in refused)
    assert [u.identity.proconnect_sub for u in list_users(engine)] == ["pc-sub-3"]


def test_a_number_given_again_to_another_requester_is_not_approved(engine: Engine) -> None:
    number, _ = asked(engine)
    stale = "0" * 32  # the form of the request that had this number before
    with pytest.raises(AccountError, match="a déjà reçu une réponse"):
        approve(engine, number, stale, "claude", "Claude Essai", Role.AGENT)
    assert len(list_requests(engine)) == 1
    assert list_users(engine) == []


def test_a_login_taken_leaves_the_request_listed_and_no_account(engine: Engine) -> None:
    add_user(engine, "claude", "Claude Autre", Role.AGENT, "a long enough password")
    number, fingerprint = asked(engine)
    with pytest.raises(AccountError, match="existe déjà"):
        approve(engine, number, fingerprint, "claude", "Claude Essai", Role.AGENT)
    (still,) = list_requests(engine)
    assert still.identity == ASKED
    assert [u.login for u in list_users(engine)] == ["claude"]
    again = approve(engine, still.id, still.fingerprint, "c.essai", "Claude Essai", Role.AGENT)
    assert again.identity.proconnect_sub == "pc-sub-3"


@pytest.mark.parametrize(
    ("email", "siret"),
    [
        ("x" * 70 + "@interieur.gouv.fr", "11000000000011"),
        ('a"><script>x@y.fr', "１１０００００００００００１１"),  # full-width digits
    ],
)
def test_what_the_rules_refuse_is_left_blank_not_a_failed_approval(
    engine: Engine, email: str, siret: str
) -> None:
    number, fingerprint = asked(engine, Identity(email, "pc-sub-5", siret, "Alix", "Essai"))
    made = approve(engine, number, fingerprint, "alix", "Alix Essai", Role.AGENT)
    assert made.identity.email == ""
    assert made.identity.proconnect_sub == "pc-sub-5"
    assert made.identity.siret in ("", "11000000000011")


def test_an_email_another_account_has_leaves_the_request_listed(engine: Engine) -> None:
    holder = Identity(email=ASKED.email)
    add_user(engine, "claude", "Claude", Role.AGENT, "a long enough password", identity=holder)
    number, fingerprint = asked(engine)
    with pytest.raises(AccountError, match="déjà celle du compte claude"):
        approve(engine, number, fingerprint, "c.essai", "Claude Essai", Role.AGENT)
    assert len(list_requests(engine)) == 1
    assert [u.login for u in list_users(engine)] == ["claude"]
