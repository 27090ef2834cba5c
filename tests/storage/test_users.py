"""Accounts: created with a role, signed in with an argon2-checked password."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from control.storage.users import (
    LOCKOUT,
    MAX_FAILURES,
    AccountError,
    Identity,
    Role,
    add_user,
    authenticate,
    change_password,
    count_users,
    get_user,
    list_users,
    reset_password,
    set_active,
    set_identity,
)

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def test_a_user_signs_in_with_the_right_password(engine: Engine) -> None:
    added = add_user(engine, "c.martin", "Claire Martin", Role.AGENT, "correct horse battery")
    user = authenticate(engine, "c.martin", "correct horse battery", NOW).user
    assert user == added
    assert user is not None
    assert user.role is Role.AGENT


def test_a_wrong_password_is_refused(engine: Engine) -> None:
    add_user(engine, "c.martin", "Claire Martin", Role.AGENT, "correct horse battery")
    assert authenticate(engine, "c.martin", "correct horse batterie", NOW).user is None


def test_an_unknown_login_is_refused(engine: Engine) -> None:
    assert authenticate(engine, "nobody", "whatever password", NOW).user is None


def test_logins_are_case_insensitive(engine: Engine) -> None:
    add_user(engine, "C.Martin", "Claire Martin", Role.AGENT, "correct horse battery")
    assert authenticate(engine, "c.martin", "correct horse battery", NOW).user is not None


def test_the_password_is_not_stored_in_clear(engine: Engine) -> None:
    from sqlalchemy import select

    from control.storage.schema import users

    add_user(engine, "c.martin", "Claire Martin", Role.AGENT, "correct horse battery")
    with engine.connect() as connection:
        stored = connection.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2")
    assert "correct horse" not in stored


def test_a_disabled_account_cannot_sign_in(engine: Engine) -> None:
    user = add_user(engine, "c.martin", "Claire Martin", Role.AGENT, "correct horse battery")
    set_active(engine, user.id, False)
    assert authenticate(engine, "c.martin", "correct horse battery", NOW).user is None


def test_a_login_is_unique(engine: Engine) -> None:
    add_user(engine, "c.martin", "Claire Martin", Role.AGENT, "correct horse battery")
    with pytest.raises(AccountError, match="existe déjà"):
        add_user(engine, "c.martin", "Autre", Role.ADMIN, "another long password")
    assert count_users(engine) == 1


@pytest.mark.parametrize(
    ("login", "password", "message"),
    [("", "long enough pass", "Identifiant"), ("ok", "short", "12 caractères")],
)
def test_bad_accounts_are_refused_in_french(
    engine: Engine, login: str, password: str, message: str
) -> None:
    with pytest.raises(AccountError, match=message):
        add_user(engine, login, "Nom", Role.AGENT, password)
    assert list_users(engine) == []


def _fail(engine: Engine, times: int, at: datetime = NOW) -> None:
    for _ in range(times):
        authenticate(engine, "c.martin", "wrong password", at)


def test_the_fifth_consecutive_failure_locks_the_account(engine: Engine) -> None:
    user = add_user(engine, "c.martin", "Claire Martin", Role.AGENT, "correct horse battery")
    _fail(engine, MAX_FAILURES - 1)
    fifth = authenticate(engine, "c.martin", "wrong password", NOW)
    assert fifth.newly_locked
    assert fifth.account_id == user.id
    assert fifth.locked_until == NOW + LOCKOUT


def test_a_locked_account_refuses_even_the_right_password(engine: Engine) -> None:
    add_user(engine, "c.martin", "Claire Martin", Role.AGENT, "correct horse battery")
    _fail(engine, MAX_FAILURES)
    attempt = authenticate(engine, "c.martin", "correct horse battery", NOW + timedelta(minutes=1))
    assert attempt.user is None
    assert attempt.locked_until == NOW + LOCKOUT
    assert not attempt.newly_locked


def test_the_lock_ends_after_fifteen_minutes(engine: Engine) -> None:
    add_user(engine, "c.martin", "Claire Martin", Role.AGENT, "correct horse battery")
    _fail(engine, MAX_FAILURES)
    later = NOW + LOCKOUT + timedelta(seconds=1)
    assert authenticate(engine, "c.martin", "correct horse battery", later).user is not None


def test_a_success_resets_the_count_of_failures(engine: Engine) -> None:
    add_user(engine, "c.martin", "Claire Martin", Role.AGENT, "correct horse battery")
    _fail(engine, MAX_FAILURES - 1)
    assert authenticate(engine, "c.martin", "correct horse battery", NOW).user is not None
    _fail(engine, MAX_FAILURES - 1)
    assert authenticate(engine, "c.martin", "correct horse battery", NOW).user is not None


def test_reactivating_an_account_lifts_its_lock(engine: Engine) -> None:
    user = add_user(engine, "c.martin", "Claire Martin", Role.AGENT, "correct horse battery")
    _fail(engine, MAX_FAILURES)
    set_active(engine, user.id, True)
    assert authenticate(engine, "c.martin", "correct horse battery", NOW).user is not None


def test_an_unknown_login_names_no_account(engine: Engine) -> None:
    attempt = authenticate(engine, "nobody", "whatever password", NOW)
    assert attempt.account_id is None
    assert attempt.locked_until is None


def test_a_password_change_checks_the_current_one_and_the_policy(engine: Engine) -> None:
    user = add_user(engine, "c.martin", "Claire Martin", Role.AGENT, "correct horse battery")
    with pytest.raises(AccountError, match="actuel est incorrect"):
        change_password(engine, user.id, "wrong", "a new long phrase", "a new long phrase", "")
    with pytest.raises(AccountError, match="uniquement d'espaces"):
        change_password(engine, user.id, "correct horse battery", " " * 12, " " * 12, "")
    change_password(
        engine, user.id, "correct horse battery", "a new long phrase", "a new long phrase", ""
    )
    assert authenticate(engine, "c.martin", "a new long phrase", NOW).user is not None


def test_a_reset_gives_a_temporary_password_to_change(engine: Engine) -> None:
    user = add_user(engine, "c.martin", "Claire Martin", Role.AGENT, "correct horse battery")
    temporary = reset_password(engine, user.id)
    assert authenticate(engine, "c.martin", "correct horse battery", NOW).user is None
    signed = authenticate(engine, "c.martin", temporary, NOW).user
    assert signed is not None
    assert signed.must_change_password
    change_password(engine, user.id, temporary, "a new long phrase", "a new long phrase", "")
    changed = authenticate(engine, "c.martin", "a new long phrase", NOW).user
    assert changed is not None
    assert not changed.must_change_password


def test_an_agents_identity_is_kept_beside_the_account(engine: Engine) -> None:
    added = add_user(engine, "c.martin", "Claire Martin", Role.AGENT, "correct horse battery")
    assert added.identity == Identity()
    identity = Identity(
        "Claire.Martin@Example.GOUV.fr", None, "11000201100044", "Claire", "Martin", "ab-1234"
    )
    set_identity(engine, added.id, identity)
    kept = get_user(engine, added.id)
    assert kept is not None
    assert kept.identity == Identity(
        "claire.martin@example.gouv.fr", None, "11000201100044", "Claire", "Martin", "AB-1234"
    )


@pytest.mark.parametrize(
    ("identity", "message"),
    [
        (Identity(email="claire"), "Adresse électronique invalide."),
        (Identity(siret="1100020110004"), "Le SIRET compte 14 chiffres."),
        (Identity(matricule="12 34"), "RIO / matricule invalide"),
        (Identity(family_name="x" * 101), "Le nom dépasse 100 caractères."),
    ],
)
def test_a_bad_identity_is_refused_in_french(
    engine: Engine, identity: Identity, message: str
) -> None:
    added = add_user(engine, "c.martin", "Claire Martin", Role.AGENT, "correct horse battery")
    with pytest.raises(AccountError, match=message):
        set_identity(engine, added.id, identity)
    assert get_user(engine, added.id) == added
