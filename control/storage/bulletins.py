"""Issued bulletins: numbered, never changed in place (a correction is a new version)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from control.bulletins.canonical import digest
from control.bulletins.model import Bulletin, check
from control.bulletins.pdf import issue_pdf
from control.bulletins.serialize import from_json, to_json
from control.bulletins.signing import sign_bulletin
from control.pades.certs import SigningIdentity
from control.storage.crashpoints import reached
from control.storage.files import write_atomically
from control.storage.schema import bulletin_drafts, bulletins
from control.verify.keys import PrivateKey

DRIVER_LINK_DAYS = 30


@dataclass(frozen=True)
class StoredBulletin:
    id: int
    control_id: int
    bulletin: Bulletin
    code: str
    pdf_path: Path
    previous_id: int | None
    driver_token: str
    driver_token_expires: datetime


def _stored(row: Any) -> StoredBulletin:
    expires = row.driver_token_expires
    if expires is not None and expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    return StoredBulletin(
        row.id,
        row.control_id,
        from_json(row.content),
        row.code,
        Path(row.pdf_path),
        row.previous_id,
        row.driver_token,
        expires,
    )


def next_number(engine: Engine, agent_code: str, year: int) -> str:
    suffix = f"-{year}-{agent_code}"
    with engine.connect() as connection:
        numbers = connection.execute(
            select(bulletins.c.number).where(bulletins.c.number.like(f"%{suffix}"))
        ).scalars()
        used = [int(n.split("-")[0]) for n in numbers]
    return f"{max(used, default=0) + 1:06d}{suffix}"


def issue(
    engine: Engine,
    files: Path,
    key: PrivateKey,
    control_id: int,
    agent_id: int,
    draft: Bulletin,
    previous: StoredBulletin | None = None,
    idempotency_key: str | None = None,
    verify_url: str = "",
    *,
    identity: SigningIdentity,
) -> StoredBulletin:
    """Number, sign, render and keep a bulletin; BulletinError if a field is wrong.
    `verify_url`: the public check page the PDF's notice gives the driver; `key` signs the
    printed code, `identity` the PDF.

    With a tablet's `idempotency_key`, a bulletin already issued under it for the control is
    returned instead (two syncs at once: the second finds the first's)."""
    return issue_once(
        engine,
        files,
        key,
        control_id,
        agent_id,
        draft,
        previous,
        idempotency_key,
        verify_url,
        identity=identity,
    )[0]


def issue_once(
    engine: Engine,
    files: Path,
    key: PrivateKey,
    control_id: int,
    agent_id: int,
    draft: Bulletin,
    previous: StoredBulletin | None = None,
    idempotency_key: str | None = None,
    verify_url: str = "",
    *,
    identity: SigningIdentity,
) -> tuple[StoredBulletin, bool]:
    """`issue`, and whether this call issued it (False: a replay under the same key, even one
    running at the same time, found the bulletin another issued; the database's unique key on
    the control and the idempotency key decides which)."""
    if idempotency_key is not None and (found := by_key(engine, control_id, idempotency_key)):
        return found, False
    now = datetime.now(UTC).replace(microsecond=0)
    for _attempt in range(3):  # another agent may take the same number at the same moment
        if previous is None:
            number = next_number(engine, draft.agent, now.year)
            bulletin = replace(
                draft, number=number, version=1, previous_version=None, issued_at=now
            )
        else:
            bulletin = replace(
                draft,
                number=previous.bulletin.number,
                version=previous.bulletin.version + 1,
                previous_version=previous.bulletin.version,
                issued_at=now,
            )
        check(bulletin)
        code = sign_bulletin(bulletin, key)
        pdf = issue_pdf(
            bulletin, code, identity, with_photos=bool(bulletin.photos), verify_url=verify_url
        )
        token = secrets.token_urlsafe(24)
        # a unique name: a PDF orphaned by a crash before the commit is never reused
        path = files / f"bulletin-{bulletin.number}-v{bulletin.version}-{token[:8]}.pdf"
        try:
            with engine.begin() as connection:
                new_id = connection.execute(
                    insert(bulletins).values(
                        control_id=control_id,
                        number=bulletin.number,
                        version=bulletin.version,
                        previous_id=None if previous is None else previous.id,
                        agent_id=agent_id,
                        issued_at=now,
                        content=to_json(bulletin),
                        code=code,
                        sha256=digest(bulletin).hex(),
                        pdf_path=str(path),
                        driver_token=token,
                        driver_token_expires=now + timedelta(days=DRIVER_LINK_DAYS),
                        idempotency_key=idempotency_key,
                    )
                ).inserted_primary_key[0]  # type: ignore[index]
                write_atomically(path, pdf)
                reached("bulletin:pdf-written")
                connection.execute(
                    delete(bulletin_drafts).where(bulletin_drafts.c.control_id == control_id)
                )
            reached("bulletin:committed")
        except IntegrityError:
            if idempotency_key is not None and (
                found := by_key(engine, control_id, idempotency_key)
            ):
                return found, False  # the same bulletin, issued by a sync running at the same time
            if not _taken(engine, bulletin.number, bulletin.version):
                raise  # not a numbering race: a real error
            continue
        stored = get_bulletin(engine, int(new_id))
        assert stored is not None
        return stored, True
    raise RuntimeError("could not number the bulletin: too many simultaneous issues")


def by_key(engine: Engine, control_id: int, key: str) -> StoredBulletin | None:
    with engine.connect() as connection:
        row = connection.execute(
            select(bulletins).where(
                bulletins.c.control_id == control_id, bulletins.c.idempotency_key == key
            )
        ).first()
    return None if row is None else _stored(row)


def latest_version(engine: Engine, number: str) -> int | None:
    """The last version issued under a bulletin's number (a correction supersedes the one it
    corrects); None for a number this service has not issued."""
    with engine.connect() as connection:
        found = connection.execute(
            select(func.max(bulletins.c.version)).where(bulletins.c.number == number)
        ).scalar()
    return None if found is None else int(found)


def _taken(engine: Engine, number: str, version: int) -> bool:
    with engine.connect() as connection:
        return (
            connection.execute(
                select(bulletins.c.id).where(
                    bulletins.c.number == number, bulletins.c.version == version
                )
            ).first()
            is not None
        )


def get_bulletin(engine: Engine, bulletin_id: int) -> StoredBulletin | None:
    with engine.connect() as connection:
        row = connection.execute(select(bulletins).where(bulletins.c.id == bulletin_id)).first()
    return None if row is None else _stored(row)


def by_token(engine: Engine, token: str, now: datetime) -> StoredBulletin | None:
    with engine.connect() as connection:
        row = connection.execute(select(bulletins).where(bulletins.c.driver_token == token)).first()
    if row is None:
        return None
    stored = _stored(row)
    return stored if stored.driver_token_expires > now else None


def for_control(engine: Engine, control_id: int) -> list[StoredBulletin]:
    """Every version of every bulletin of a control, oldest first (the history)."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(bulletins)
            .where(bulletins.c.control_id == control_id)
            .order_by(bulletins.c.number, bulletins.c.version)
        )
        return [_stored(r) for r in rows]


def load_draft(engine: Engine, control_id: int) -> dict[str, Any]:
    with engine.connect() as connection:
        data = connection.execute(
            select(bulletin_drafts.c.data).where(bulletin_drafts.c.control_id == control_id)
        ).scalar()
    return dict(data or {})


def save_draft(engine: Engine, control_id: int, data: dict[str, Any]) -> None:
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(
            delete(bulletin_drafts).where(bulletin_drafts.c.control_id == control_id)
        )
        connection.execute(
            insert(bulletin_drafts).values(control_id=control_id, data=data, updated_at=now)
        )
