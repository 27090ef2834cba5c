"""A control's record as tachograph driver card files (C1B), for TACHOSCAN and the like.

Only a control where a LIC code was verified has a record worth a file: its days are the
ones the driver's software signed. Visibility is the one rule of every control page; each
export is written to the audit log (by control number, never a name).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import Engine

from control.exports.c1b.download import C1BFile, c1b_files, file_stem
from control.exports.c1b.files import Card
from control.record.invariants import RecordError
from control.record.json_form import record_from_json
from control.services.errors import RefusedError
from control.services.visibility import can_see
from control.storage.audit import about_control
from control.storage.audit import record as audit
from control.storage.controls import get_control
from control.storage.users import User

NOT_ELECTRONIC = (
    "Pas de fichier C1B pour ce contrôle : il ne se fait qu'à partir d'un LIC électronique "
    "dont le QR code a été reconnu authentique (valide ou expiré) et l'historique de 28 jours "
    "conservé."
)
UNREADABLE = "L'historique conservé avec ce contrôle est illisible : pas de fichier C1B."
NOTICE = (
    "Ces fichiers sont signés par Contrôle LIC, pas par une carte de conducteur : leurs "
    "signatures ne sont pas certifiées par l'ERCA, et un logiciel d'analyse peut les signaler "
    "comme non authentiques. Ils reproduisent fidèlement les 28 jours du LIC vérifié."
)


@dataclass(frozen=True)
class Download:
    """What the browser receives: the one file, or a zip of the driver's and employer's."""

    name: str
    content: bytes
    media_type: str


def control_c1b(
    engine: Engine, key: rsa.RSAPrivateKey, user: User, control_id: int
) -> Download | None:
    """The control's C1B files as the browser gets them; None when `user` may not see the
    control (answered as not found)."""
    control = get_control(engine, control_id)
    if control is None or not can_see(engine, user, control_id):
        return None
    if not control.record_authentic() or control.record is None:  # (None: for the type)
        raise RefusedError(NOT_ELECTRONIC)
    try:
        record = record_from_json(control.record)
    except RecordError:  # kept by an older version, or altered in the database
        raise RefusedError(UNREADABLE) from None
    made = control.code_iat or control.occurred_at  # the card "downloaded" when the code was made
    card = Card(record.driver, made, made, record.window_start, control.occurred_at, control.plate)
    files = c1b_files(record, card, control.id, key)
    audit(engine, user.id, "export-c1b", about_control(control.id, f"({len(files)} fichier(s))"))
    return as_download(files, file_stem(record.driver.id, control.id))


def as_download(files: list[C1BFile], stem: str) -> Download:
    """One file as itself (TACHOSCAN opens it as is); two in a zip, as Mobilic hands out
    several C1B files: one answer can carry one file only."""
    if len(files) == 1:
        return Download(files[0].name, files[0].content, "application/octet-stream")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for file in files:
            entry = zipfile.ZipInfo(file.name, (1980, 1, 1, 0, 0, 0))
            archive.writestr(entry, file.content, compress_type=zipfile.ZIP_DEFLATED)
    return Download(f"{stem}.zip", out.getvalue(), "application/zip")
