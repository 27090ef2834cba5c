"""Company controls kept: files as given, the report files replaced, everything purged in time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

import control.storage.company as company
from control.company.files import DriverFile, Source
from control.record.model import Record
from control.storage.company import (
    CompanyFileLimitError,
    add_files,
    create_company_control,
    get_company_control,
    list_files,
    save_report,
)
from control.storage.retention import purge
from control.storage.users import Role, User, add_user


@pytest.fixture
def inspector(engine: Engine) -> User:
    return add_user(engine, "inspecteur1", "Inspecteur Un", Role.INSPECTOR, "a long password")


@pytest.fixture
def control_id(engine: Engine, inspector: User) -> int:
    return create_company_control(engine, inspector.id, "", "")


def test_a_usable_file_keeps_its_text_and_a_bad_one_only_its_reason(
    engine: Engine, control_id: int, record: Record
) -> None:
    good = DriverFile("a.json", record, Source.UNSIGNED)
    bad = DriverFile("b.bin", problem="fichier vide.")
    add_files(engine, control_id, [(good, '{"driver": 1}'), (bad, "ignored")])
    kept = list_files(engine, control_id)
    assert [(f.name, f.content, f.problem) for f in kept] == [
        ("a.json", '{"driver": 1}', None),
        ("b.bin", None, "fichier vide."),
    ]
    assert kept[0].driver_name  # family name in capitals, given name


def test_files_beyond_the_limit_are_refused_all_together(
    engine: Engine, control_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(company, "MAX_FILES", 3)
    bad = DriverFile("x", problem="fichier vide.")
    add_files(engine, control_id, [(bad, "")] * 2)
    with pytest.raises(CompanyFileLimitError, match="Au plus 3 fichiers"):
        add_files(engine, control_id, [(bad, "")] * 2)
    assert len(list_files(engine, control_id)) == 2


def test_a_new_report_replaces_the_previous_files(
    engine: Engine, control_id: int, tmp_path: Path
) -> None:
    first = datetime(2026, 12, 1, 9, tzinfo=UTC)
    save_report(engine, tmp_path, control_id, first, {"drivers": 1}, b"%PDF-1", b"PK1")
    old = get_company_control(engine, control_id)
    assert old is not None
    assert old.pdf_path is not None
    assert old.pdf_path.read_bytes() == b"%PDF-1"
    save_report(
        engine, tmp_path, control_id, first + timedelta(hours=1), {"drivers": 2}, b"%PDF-2", b"PK2"
    )
    new = get_company_control(engine, control_id)
    assert new is not None
    assert new.summary == {"drivers": 2}
    assert new.pdf_path is not None
    assert new.pdf_path.read_bytes() == b"%PDF-2"
    assert not old.pdf_path.exists()
    assert old.xlsx_path is not None
    assert not old.xlsx_path.exists()


def test_a_company_control_past_retention_is_purged_with_its_files(
    engine: Engine, control_id: int, tmp_path: Path
) -> None:
    add_files(engine, control_id, [(DriverFile("x", problem="fichier vide."), "")])
    save_report(engine, tmp_path, control_id, datetime.now(UTC), {}, b"%PDF", b"PK")
    kept = get_company_control(engine, control_id)
    assert kept is not None
    assert kept.pdf_path is not None
    assert purge(engine, datetime.now(UTC) - timedelta(days=1)).company_controls == 0
    result = purge(engine, datetime.now(UTC) + timedelta(days=1))
    assert result.company_controls == 1
    assert get_company_control(engine, control_id) is None
    assert list_files(engine, control_id) == []
    assert not kept.pdf_path.exists()
