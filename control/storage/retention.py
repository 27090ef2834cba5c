"""Records are kept three years (arrêté of 6 March 2025): older controls go, with their
bulletins, photos and files. The audit log stays (it records accesses, not controls)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, delete, select

from control.storage.schema import (
    bulletin_drafts,
    bulletins,
    company_controls,
    company_files,
    control_natinf,
    controls,
    page_photos,
    paper_sheets,
    service_schedules,
)

log = logging.getLogger("lic_control.retention")
RETENTION_YEARS = 3


@dataclass(frozen=True)
class Purged:
    controls: int
    bulletins: int
    photos: int
    files: int
    company_controls: int = 0


def cutoff(now: datetime, years: int = RETENTION_YEARS) -> datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def purge(engine: Engine, before: datetime, *, dry_run: bool = False) -> Purged:
    """Delete every control that took place before `before`, and everything attached to it."""
    with engine.begin() as connection:
        old = select(controls.c.id).where(controls.c.occurred_at < before)
        ids = list(connection.execute(old).scalars())
        pdfs = list(
            connection.execute(
                select(bulletins.c.pdf_path).where(bulletins.c.control_id.in_(old))
            ).scalars()
        )
        photos = list(
            connection.execute(
                select(page_photos.c.path, page_photos.c.original_path).where(
                    page_photos.c.control_id.in_(old)
                )
            )
        )
        files = [Path(p) for p in pdfs] + [Path(p) for row in photos for p in row]
        old_companies = select(company_controls.c.id).where(company_controls.c.created_at < before)
        reports = list(
            connection.execute(
                select(company_controls.c.pdf_path, company_controls.c.xlsx_path).where(
                    company_controls.c.id.in_(old_companies)
                )
            )
        )
        files += [Path(p) for row in reports for p in row if p]
        result = Purged(
            len(ids), len(pdfs), len(photos), sum(f.exists() for f in files), len(reports)
        )
        if dry_run or not (ids or reports):
            log.info("retention %s: %s", "dry run" if dry_run else "nothing to purge", result)
            return result
        for table in (
            control_natinf,
            paper_sheets,
            service_schedules,
            page_photos,
            bulletin_drafts,
        ):
            connection.execute(delete(table).where(table.c.control_id.in_(old)))
        # versions reference their previous one: the newest first
        versions = bulletins.c.control_id.in_(old)
        for bulletin_id in connection.execute(
            select(bulletins.c.id).where(versions).order_by(bulletins.c.version.desc())
        ).scalars():
            connection.execute(delete(bulletins).where(bulletins.c.id == bulletin_id))
        connection.execute(delete(controls).where(controls.c.id.in_(ids)))
        connection.execute(
            delete(company_files).where(company_files.c.company_control_id.in_(old_companies))
        )
        connection.execute(delete(company_controls).where(company_controls.c.id.in_(old_companies)))
    for path in files:  # only once the rows are gone for good
        path.unlink(missing_ok=True)
    log.info("retention: purged controls before %s: %s", before.isoformat(), result)
    return result
