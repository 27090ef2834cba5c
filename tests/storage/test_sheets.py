"""Transcribed paper sheets: one per day of a control, kept beside its photos, purged with it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from control.capture.pages import PageScan
from control.paper.json_form import SheetError
from control.paper.sheet import DailySheet, Mark, WrittenTotals, grid_from_periods
from control.storage.controls import ControlKind, NewControl, save_control
from control.storage.photos import add_photo, delete_photo
from control.storage.retention import purge
from control.storage.sheets import delete_sheet, get_sheet, list_sheets, save_sheet
from control.storage.users import Role, User, add_user

NOW = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
GRID = grid_from_periods(
    [
        (Mark.REST, time(0), time(7)),
        (Mark.DRIVING, time(7), time(12)),
        (Mark.REST, time(12), time(0)),
    ]
)


def sheet(day: date, driving: int | None = None) -> DailySheet:
    return DailySheet(day, GRID, WrittenTotals(driving=driving), plate="AB-123-CD")


@pytest.fixture
def agent(engine: Engine) -> User:
    return add_user(engine, "agent1", "Agent Un", Role.AGENT, "a long password")


@pytest.fixture
def control_id(engine: Engine, agent: User) -> int:
    return save_control(engine, NewControl(agent.id, ControlKind.PAPER, NOW, "69", "Lyon"))


def test_sheets_are_listed_by_day(engine: Engine, agent: User, control_id: int) -> None:
    save_sheet(engine, control_id, sheet(date(2026, 11, 17)), agent.id)
    save_sheet(engine, control_id, sheet(date(2026, 11, 15)), agent.id)
    kept = list_sheets(engine, control_id)
    assert [s.sheet.day for s in kept] == [date(2026, 11, 15), date(2026, 11, 17)]
    assert kept[0].sheet == sheet(date(2026, 11, 15))


def test_a_sheet_is_corrected_in_place(engine: Engine, agent: User, control_id: int) -> None:
    sheet_id = save_sheet(engine, control_id, sheet(date(2026, 11, 17)), agent.id)
    save_sheet(engine, control_id, sheet(date(2026, 11, 17), 300), agent.id, sheet_id=sheet_id)
    stored = get_sheet(engine, control_id, sheet_id)
    assert stored is not None
    assert stored.sheet.totals.driving == 300
    assert len(list_sheets(engine, control_id)) == 1


def test_a_second_sheet_for_one_day_is_refused(
    engine: Engine, agent: User, control_id: int
) -> None:
    save_sheet(engine, control_id, sheet(date(2026, 11, 17)), agent.id)
    with pytest.raises(SheetError, match="17/11/2026"):
        save_sheet(engine, control_id, sheet(date(2026, 11, 17), 300), agent.id)
    assert [s.sheet.totals.driving for s in list_sheets(engine, control_id)] == [None]


def test_a_sheet_is_not_found_through_another_control(
    engine: Engine, agent: User, control_id: int
) -> None:
    other = save_control(engine, NewControl(agent.id, ControlKind.PAPER, NOW, "69", "Lyon"))
    sheet_id = save_sheet(engine, control_id, sheet(date(2026, 11, 17)), agent.id)
    assert get_sheet(engine, other, sheet_id) is None
    delete_sheet(engine, other, sheet_id, agent.id)
    assert get_sheet(engine, control_id, sheet_id) is not None


def test_deleting_the_photo_keeps_its_transcription(
    engine: Engine, agent: User, control_id: int, tmp_path: Path
) -> None:
    photo = add_photo(engine, tmp_path, control_id, PageScan(b"jpeg", 10, 10, 9.0, None, b"o"))
    sheet_id = save_sheet(engine, control_id, sheet(date(2026, 11, 17)), agent.id, photo.id)
    delete_photo(engine, control_id, photo.id, agent.id)
    stored = get_sheet(engine, control_id, sheet_id)
    assert stored is not None
    assert stored.photo_id is None


def test_sheets_are_purged_with_their_control(engine: Engine, agent: User, control_id: int) -> None:
    save_sheet(engine, control_id, sheet(date(2026, 11, 17)), agent.id)
    purge(engine, NOW + timedelta(seconds=1))
    assert list_sheets(engine, control_id) == []


def test_a_deleted_sheet_is_hidden_and_its_day_may_be_transcribed_again(
    engine: Engine, agent: User, control_id: int
) -> None:
    day = date(2026, 11, 17)
    first = save_sheet(engine, control_id, sheet(day), agent.id)
    assert delete_sheet(engine, control_id, first, agent.id)
    assert get_sheet(engine, control_id, first) is None
    assert list_sheets(engine, control_id) == []
    again = save_sheet(engine, control_id, sheet(day), agent.id)
    assert [s.id for s in list_sheets(engine, control_id)] == [again]
    with pytest.raises(SheetError, match="déjà transcrite"):
        save_sheet(engine, control_id, sheet(day), agent.id)  # one a day among the others
