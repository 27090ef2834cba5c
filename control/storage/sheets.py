"""Transcribed paper sheets kept with their control: one per day, optionally from a photo.

A deleted sheet is only marked (who, when) and hidden everywhere: the day may be transcribed
again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from control.paper.json_form import SheetError, from_json, to_json
from control.paper.sheet import DailySheet
from control.record.model import Sector
from control.storage.schema import paper_sheets

LIVE = paper_sheets.c.deleted_at.is_(None)


@dataclass(frozen=True)
class StoredSheet:
    id: int
    control_id: int
    photo_id: int | None
    sheet: DailySheet
    sector: Sector  # the employer's, as the agent chose it: the rules' limits depend on it


def _stored(row: Any) -> StoredSheet:
    data = dict(row.data)
    sector = Sector(data.pop("sector", Sector.GOODS_REGIONAL.value))
    return StoredSheet(row.id, row.control_id, row.photo_id, from_json(data), sector)


def list_sheets(engine: Engine, control_id: int) -> list[StoredSheet]:
    """The control's sheets by day."""
    query = (
        select(paper_sheets)
        .where(paper_sheets.c.control_id == control_id, LIVE)
        .order_by(paper_sheets.c.day)
    )
    with engine.connect() as connection:
        return [_stored(row) for row in connection.execute(query)]


def get_sheet(engine: Engine, control_id: int, sheet_id: int) -> StoredSheet | None:
    query = select(paper_sheets).where(
        paper_sheets.c.id == sheet_id, paper_sheets.c.control_id == control_id, LIVE
    )
    with engine.connect() as connection:
        row = connection.execute(query).first()
    return None if row is None else _stored(row)


def save_sheet(
    engine: Engine,
    control_id: int,
    sheet: DailySheet,
    agent_id: int,
    photo_id: int | None = None,
    sheet_id: int | None = None,
    sector: Sector = Sector.GOODS_REGIONAL,
) -> int:
    """Add a sheet, or replace sheet `sheet_id`; a second sheet for one day is refused."""
    values = {
        "day": sheet.day,
        "data": {**to_json(sheet), "sector": sector.value},
        "agent_id": agent_id,
        "updated_at": datetime.now(UTC),
    }
    try:
        with engine.begin() as connection:
            if sheet_id is None:
                statement = insert(paper_sheets).values(
                    control_id=control_id, photo_id=photo_id, **values
                )
                return int(connection.execute(statement).inserted_primary_key[0])  # type: ignore[index]
            connection.execute(
                update(paper_sheets)
                .where(paper_sheets.c.id == sheet_id, paper_sheets.c.control_id == control_id, LIVE)
                .values(**values)
            )
            return sheet_id
    except IntegrityError:
        raise SheetError(
            f"Une feuille du {sheet.day:%d/%m/%Y} est déjà transcrite pour ce contrôle."
        ) from None


def delete_sheet(engine: Engine, control_id: int, sheet_id: int, user_id: int) -> bool:
    """Mark the sheet deleted by `user_id`; False if there is no such sheet."""
    with engine.begin() as connection:
        done = connection.execute(
            update(paper_sheets)
            .where(paper_sheets.c.id == sheet_id, paper_sheets.c.control_id == control_id, LIVE)
            .values(deleted_at=datetime.now(UTC), deleted_by=user_id)
        )
    return bool(done.rowcount)
