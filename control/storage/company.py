"""Company controls kept: the drivers' files as given, and the report files built from them.

A usable file is kept as given (the code or the JSON), so that the report can be built again
against the trust list of the day; a file set aside keeps only its name and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select, update

from control.company.files import DriverFile
from control.storage.files import write_atomically
from control.storage.schema import company_controls, company_files

MAX_FILES = 2000  # a large company's drivers, with room for corrections


class CompanyFileLimitError(ValueError):
    """Too many files for one company control."""


@dataclass(frozen=True)
class CompanyControl:
    id: int
    inspector_id: int
    created_at: datetime
    siren: str
    name: str
    report_at: datetime | None
    summary: dict[str, Any] | None
    pdf_path: Path | None
    xlsx_path: Path | None


@dataclass(frozen=True)
class StoredFile:
    id: int
    name: str
    content: str | None
    driver_name: str
    problem: str | None
    added_at: datetime


def _utc(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)  # SQLite drops the zone
    return value


def _control(row: Any) -> CompanyControl:
    return CompanyControl(
        row.id,
        row.inspector_id,
        _utc(row.created_at) or row.created_at,
        row.siren,
        row.name,
        _utc(row.report_at),
        row.summary,
        Path(row.pdf_path) if row.pdf_path else None,
        Path(row.xlsx_path) if row.xlsx_path else None,
    )


def create_company_control(engine: Engine, inspector_id: int, siren: str, name: str) -> int:
    values = {"inspector_id": inspector_id, "created_at": datetime.now(UTC)}
    with engine.begin() as connection:
        statement = insert(company_controls).values(**values, siren=siren, name=name)
        return int(connection.execute(statement).inserted_primary_key[0])  # type: ignore[index]


def get_company_control(engine: Engine, control_id: int) -> CompanyControl | None:
    query = select(company_controls).where(company_controls.c.id == control_id)
    with engine.connect() as connection:
        row = connection.execute(query).first()
    return None if row is None else _control(row)


def list_company_controls(engine: Engine, inspector_id: int | None) -> list[CompanyControl]:
    """The inspector's company controls (everyone's for None), newest first."""
    query = select(company_controls).order_by(company_controls.c.id.desc()).limit(200)
    if inspector_id is not None:
        query = query.where(company_controls.c.inspector_id == inspector_id)
    with engine.connect() as connection:
        return [_control(row) for row in connection.execute(query)]


def add_files(engine: Engine, control_id: int, read: list[tuple[DriverFile, str]]) -> None:
    """Keep each file as read: (result, the text given). All or none, under MAX_FILES."""
    now = datetime.now(UTC)
    rows = [
        {
            "company_control_id": control_id,
            "name": file.name[:255],
            "content": None if file.problem else text,
            "driver_name": _driver_name(file)[:200],
            "problem": file.problem,
            "added_at": now,
        }
        for file, text in read
    ]
    with engine.begin() as connection:
        count = connection.execute(
            select(func.count())
            .select_from(company_files)
            .where(company_files.c.company_control_id == control_id)
        ).scalar_one()
        if count + len(rows) > MAX_FILES:
            raise CompanyFileLimitError(
                f"Au plus {MAX_FILES} fichiers par contrôle en entreprise ({count} déjà importés)."
            )
        if rows:
            connection.execute(insert(company_files), rows)


def _driver_name(file: DriverFile) -> str:
    if file.record is None:
        return ""
    driver = file.record.driver
    return f"{driver.family_name.upper()} {driver.given_name}"


def list_files(engine: Engine, control_id: int) -> list[StoredFile]:
    query = (
        select(company_files)
        .where(company_files.c.company_control_id == control_id)
        .order_by(company_files.c.id)
    )
    with engine.connect() as connection:
        return [
            StoredFile(
                r.id,
                r.name,
                r.content,
                r.driver_name,
                r.problem,
                _utc(r.added_at) or r.added_at,
            )
            for r in connection.execute(query)
        ]


def save_report(
    engine: Engine,
    files: Path,
    control_id: int,
    at: datetime,
    summary: dict[str, Any],
    pdf: bytes,
    xlsx: bytes,
) -> None:
    """Write the report files, then point the control at them (a crash between the two
    leaves the previous report in force)."""
    folder = files / f"entreprise-{control_id}"
    stamp = at.strftime("%Y%m%dT%H%M%S%f")
    pdf_path, xlsx_path = folder / f"rapport-{stamp}.pdf", folder / f"rapport-{stamp}.xlsx"
    write_atomically(pdf_path, pdf)
    write_atomically(xlsx_path, xlsx)
    previous = get_company_control(engine, control_id)
    with engine.begin() as connection:
        connection.execute(
            update(company_controls)
            .where(company_controls.c.id == control_id)
            .values(
                report_at=at,
                summary=summary,
                pdf_path=str(pdf_path),
                xlsx_path=str(xlsx_path),
            )
        )
    if previous is not None:
        for old in (previous.pdf_path, previous.xlsx_path):
            if old is not None:
                old.unlink(missing_ok=True)
