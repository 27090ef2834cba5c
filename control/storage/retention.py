"""Records are kept three years (arrêté of 6 March 2025): older controls go, with their
bulletins, photos and files. The audit log stays (it records accesses, not controls).

The same daily pass sweeps orphans: files a crash left without their row (a file is written
before the transaction that refers to it commits, control/storage/files.py), and access
requests left unanswered (control/storage/access_requests.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, delete, select

from control.storage.access_requests import drop_stale_requests
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
    orphans: int = 0  # files no row refers to, swept
    access_requests: int = 0  # left unanswered too long


def cutoff(now: datetime, years: int = RETENTION_YEARS) -> datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def purge(
    engine: Engine,
    before: datetime,
    *,
    dry_run: bool = False,
    files_dir: Path | None = None,
    now: datetime | None = None,
) -> Purged:
    """Delete every control that took place before `before`, and everything attached to it;
    the access requests left unanswered as of `now`; with `files_dir`, the orphan files in it
    too (`sweep_orphans`, as of `now`)."""
    now = now or datetime.now(before.tzinfo)
    orphans = 0
    if files_dir is not None:
        orphans = sweep_orphans(engine, files_dir, now, dry_run)
    requests = drop_stale_requests(engine, now, dry_run=dry_run)
    if requests:
        log.info("retention: %s unanswered access requests %s", requests,
                 "found" if dry_run else "deleted")  # fmt: skip
    return replace(_purge_old(engine, before, dry_run), orphans=orphans, access_requests=requests)


ORPHAN_GRACE = timedelta(hours=1)  # an upload in flight: its file written, its row not yet


def sweep_orphans(engine: Engine, files_dir: Path, now: datetime, dry_run: bool = False) -> int:
    """Delete the files under `files_dir` that no row refers to and that are older than
    ORPHAN_GRACE: a crash between a file's write and its row's commit, or a `.partial` file
    of a write cut short. Matched by name (every name the app gives is unique, and a stored
    path may be relative to another working directory): a name any row holds is kept."""
    if not files_dir.is_dir():
        return 0
    limit = (now - ORPHAN_GRACE).timestamp()
    found = [p for p in files_dir.rglob("*") if p.is_file() and not p.is_symlink()]
    columns = (bulletins.c.pdf_path, page_photos.c.path, page_photos.c.original_path,
               company_controls.c.pdf_path, company_controls.c.xlsx_path)  # fmt: skip
    with engine.connect() as connection:  # after the listing: a row committed since is seen
        kept = {
            Path(path).name
            for column in columns
            for path in connection.execute(select(column)).scalars()
            if path
        }
    orphans = [p for p in found if p.name not in kept and p.stat().st_mtime < limit]
    if not dry_run:
        for path in orphans:
            path.unlink(missing_ok=True)
    if orphans:
        log.info("retention: %s orphan files %s", len(orphans), "found" if dry_run else "swept")
    return len(orphans)


def _purge_old(engine: Engine, before: datetime, dry_run: bool) -> Purged:
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
