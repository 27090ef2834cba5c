"""Accounts: created with a role, signed in with an argon2-checked password."""

import pytest
from sqlalchemy import Engine

from control.storage.users import (
    AccountError,
    Role,
    add_user,
    authenticate,
    count_users,
    list_users,
    set_active,
)


def test_a_user_signs_in_with_the_right_password(engine: Engine) -> None:
    added = add_user(engine, "c.martin", "Claire Martin", Role.AGENT, "correct horse battery")
    user = authenticate(engine, "c.martin", "correct horse battery")
    assert user == added
    assert user.role is Role.AGENT


def test_a_wrong_password_is_refused(engine: Engine) -> None:
    add_user(engine, "c.martin", "Claire Martin", Role.AGENT, "correct horse battery")
    assert authenticate(engine, "c.martin", "correct horse batterie") is None


def test_an_unknown_login_is_refused(engine: Engine) -> None:
    assert authenticate(engine, "nobody", "whatever password") is None


def test_logins_are_case_insensitive(engine: Engine) -> None:
    add_user(engine, "C.Martin", "Claire Martin", Role.AGENT, "correct horse battery")
    assert authenticate(engine, "c.martin", "correct horse battery") is not None


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
    assert authenticate(engine, "c.martin", "correct horse battery") is None


def test_a_login_is_unique(engine: Engine) -> None:
    add_user(engine, "c.martin", "Claire Martin", Role.AGENT, "correct horse battery")
    with pytest.raises(AccountError, match="existe déjà"):
        add_user(engine, "c.martin", "Autre", Role.ADMIN, "another long password")
    assert count_users(engine) == 1


@pytest.mark.parametrize(
    ("login", "password", "message"),
    [("", "long enough pass", "Identifiant"), ("ok", "short", "10 caractères")],
)
def test_bad_accounts_are_refused_in_french(
    engine: Engine, login: str, password: str, message: str
) -> None:
    with pytest.raises(AccountError, match=message):
        add_user(engine, login, "Nom", Role.AGENT, password)
    assert list_users(engine) == []
