"""The audit log is append-only, enforced by the database itself (triggers), not only by the
absence of an update function."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, delete, update
from sqlalchemy.exc import DBAPIError

from control.storage.audit import entries, record, record_many
from control.storage.schema import audit_log
from control.storage.users import Role, add_user


@pytest.fixture
def logged(engine: Engine) -> Engine:
    user = add_user(engine, "i.durand", "Inès Durand", Role.INSPECTOR, "long enough password")
    record(engine, user.id, "open-control", "controle 1")
    return engine


def test_an_audit_row_cannot_be_changed(logged: Engine) -> None:
    with pytest.raises(DBAPIError, match="append-only"), logged.begin() as connection:
        connection.execute(update(audit_log).values(action="nothing"))
    assert entries(logged)[0].action == "open-control"


def test_an_audit_row_cannot_be_deleted(logged: Engine) -> None:
    with pytest.raises(DBAPIError, match="append-only"), logged.begin() as connection:
        connection.execute(delete(audit_log))
    assert len(entries(logged)) == 1


def test_a_failed_sign_in_of_an_unknown_login_is_logged_without_a_user(engine: Engine) -> None:
    record(engine, None, "login-failed", "mot de passe refusé")
    assert entries(engine)[0].login == "(inconnu)"


def test_many_targets_are_one_row_each_cut_to_the_column(engine: Engine) -> None:
    user = add_user(engine, "a.martin", "Agent Martin", Role.AGENT, "long enough password")
    record_many(engine, user.id, "export-greco", ["controle 1", "controle 2", "x" * 300])
    record_many(engine, user.id, "export-greco", [])
    rows = entries(engine)
    assert [r.target for r in rows] == ["x" * 100, "controle 2", "controle 1"]
    assert {r.action for r in rows} == {"export-greco"}
