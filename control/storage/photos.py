"""Photos of paper LIC pages kept with a control: files on disk, their place in the database.

Photos are evidence: a deleted one is only marked (who, when) and hidden everywhere, its
files kept until the retention purge; one annexed to an issued bulletin cannot be deleted."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from control.capture.pages import PageScan
from control.storage.crashpoints import reached
from control.storage.files import write_atomically
from control.storage.schema import controls, page_photos, paper_sheets

MAX_PHOTOS = 60


class PhotoLimitError(ValueError):
    """French: the control already holds the most photos allowed."""


class AnnexedPhotoError(ValueError):
    """French: the photo is annexed to an issued bulletin."""


LIVE = page_photos.c.deleted_at.is_(None)


@dataclass(frozen=True)
class PagePhoto:
    id: int
    control_id: int
    position: int
    path: Path
    original_path: Path
    sharpness: int
    width: int
    height: int
    annexed_to: int | None = None  # the issued bulletin whose annex holds it: kept for good


def _photo(row: Any) -> PagePhoto:
    return PagePhoto(
        row.id,
        row.control_id,
        row.position,
        Path(row.path),
        Path(row.original_path),
        row.sharpness,
        row.width,
        row.height,
        row.annexed_to,
    )


def count_photos(engine: Engine, control_id: int) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                select(func.count()).where(page_photos.c.control_id == control_id, LIVE)
            ).scalar_one()
        )


def photo_with_key(engine: Engine, control_id: int, key: str) -> PagePhoto | None:
    query = select(page_photos).where(
        page_photos.c.control_id == control_id, page_photos.c.idempotency_key == key
    )
    with engine.connect() as connection:
        row = connection.execute(query).first()
    return None if row is None else _photo(row)


def add_photo(
    engine: Engine, files: Path, control_id: int, scan: PageScan, key: str | None = None
) -> PagePhoto:
    """Keep the corrected scan and the untouched original, last in the control's order.
    With a tablet's idempotency `key`, a photo already kept under it is returned instead."""
    if key is not None and (earlier := photo_with_key(engine, control_id, key)) is not None:
        return earlier
    if count_photos(engine, control_id) >= MAX_PHOTOS:
        raise PhotoLimitError(f"{MAX_PHOTOS} photos au plus par contrôle.")
    folder = files / f"controle-{control_id}"
    stem = secrets.token_hex(8)
    path, original = folder / f"{stem}.jpg", folder / f"{stem}-original"
    write_atomically(path, scan.jpeg)
    write_atomically(original, scan.original)
    reached("photo:files-written")
    try:
        new_id, position = _insert(engine, control_id, path, original, scan, key)
    except IntegrityError:  # the same key sent twice at once: the other request kept it
        path.unlink(missing_ok=True)
        original.unlink(missing_ok=True)
        earlier = photo_with_key(engine, control_id, key) if key is not None else None
        if earlier is None:
            raise
        return earlier
    reached("photo:committed")
    return PagePhoto(
        new_id, control_id, position, path, original, round(scan.sharpness),
        scan.width, scan.height,
    )  # fmt: skip


def _insert(
    engine: Engine, control_id: int, path: Path, original: Path, scan: PageScan, key: str | None
) -> tuple[int, int]:
    """The photo goes last. Its place is taken within the INSERT, after the control's row is
    locked (PostgreSQL; SQLite's INSERT holds the write lock): photos arriving at the same
    moment (outbox items synced together, two devices) would otherwise read the same place."""
    last = (
        select(func.coalesce(func.max(page_photos.c.position), 0) + 1)
        .where(page_photos.c.control_id == control_id)
        .scalar_subquery()
    )
    with engine.begin() as connection:
        connection.execute(
            select(controls.c.id).where(controls.c.id == control_id).with_for_update()
        )
        row = connection.execute(
            insert(page_photos)
            .values(
                control_id=control_id,
                position=last,
                path=str(path),
                original_path=str(original),
                sharpness=round(scan.sharpness),
                width=scan.width,
                height=scan.height,
                created_at=datetime.now(UTC),
                idempotency_key=key,
            )
            .returning(page_photos.c.id, page_photos.c.position)
        ).one()
    return int(row.id), int(row.position)


def list_photos(engine: Engine, control_id: int) -> list[PagePhoto]:
    """The control's photos in their order, deleted ones left out."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(page_photos)
            .where(page_photos.c.control_id == control_id, LIVE)
            .order_by(page_photos.c.position, page_photos.c.id)
        )
        return [_photo(r) for r in rows]


def delete_photo(engine: Engine, control_id: int, photo_id: int, user_id: int) -> bool:
    """Mark the photo deleted by `user_id` (its files stay until the retention purge); False
    if there is no such photo. AnnexedPhotoError if an issued bulletin annexed it."""
    with engine.begin() as connection:
        row = connection.execute(
            select(page_photos.c.annexed_to)
            .where(page_photos.c.id == photo_id, page_photos.c.control_id == control_id, LIVE)
            .with_for_update()
        ).first()
        if row is None:
            return False
        if row.annexed_to is not None:
            raise AnnexedPhotoError(
                "Cette photo est annexée à un bulletin émis : elle ne peut pas être supprimée."
            )
        # a sheet transcribed from this photo stays, without its photo
        connection.execute(
            update(paper_sheets).where(paper_sheets.c.photo_id == photo_id).values(photo_id=None)
        )
        connection.execute(
            update(page_photos)
            .where(page_photos.c.id == photo_id)
            .values(deleted_at=datetime.now(UTC), deleted_by=user_id)
        )
    return True


def annex(engine: Engine, bulletin_id: int, photo_ids: list[int]) -> None:
    """These photos went into an issued bulletin's annex: from now on they are kept."""
    if not photo_ids:
        return
    with engine.begin() as connection:
        connection.execute(
            update(page_photos)
            .where(page_photos.c.id.in_(photo_ids), page_photos.c.annexed_to.is_(None))
            .values(annexed_to=bulletin_id)
        )


def reorder(engine: Engine, control_id: int, photo_ids: list[int]) -> None:
    """Put the photos in this order; ids of other controls are ignored."""
    with engine.begin() as connection:
        for position, photo_id in enumerate(photo_ids, start=1):
            connection.execute(
                update(page_photos)
                .where(page_photos.c.id == photo_id, page_photos.c.control_id == control_id)
                .values(position=position)
            )
