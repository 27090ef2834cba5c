"""GRECO exports: one control's XML, or a zip of a search's controls, for whoever may see
them (control/services/visibility), each export written to the audit log."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from sqlalchemy import Engine

from control.exports.greco import file_name, greco_control
from control.exports.greco_xml import document
from control.services.errors import RefusedError
from control.services.visibility import can_see
from control.storage.audit import about_control, record_many
from control.storage.bulletins import for_control
from control.storage.controls import Control, get_control
from control.storage.search import SearchQuery, count, iterate
from control.storage.users import Identity, User, get_user

MAX_SELECTION = 200  # controls in one zip: beyond, the agent narrows the search
TOO_MANY = (
    "Export GRECO limité à {limit} contrôles à la fois : cette recherche en trouve davantage. "
    "Affinez-la (dates, département, SIREN…) puis relancez l'export."
)
NOTHING = "Aucun contrôle ne correspond à cette recherche : rien à exporter vers GRECO."
README = "LISEZMOI.txt"
AUDIT_ACTION = "export-greco"


@dataclass(frozen=True)
class GrecoFile:
    name: str
    content: bytes
    media_type: str


def control_file(engine: Engine, viewer: User, control_id: int) -> GrecoFile | None:
    """The control's GRECO document; None when `viewer` may not see it (or it does not
    exist); RefusedError when GRECO could not take it, saying why."""
    control = get_control(engine, control_id)
    if control is None or not can_see(engine, viewer, control_id):
        return None
    name, content = _xml(engine, control)
    record_many(engine, viewer.id, AUDIT_ACTION, [about_control(control_id)])
    return GrecoFile(name, content, "application/xml")


def _xml(engine: Engine, control: Control) -> tuple[str, bytes]:
    agent = get_user(engine, control.agent_id)
    issued = for_control(engine, control.id)
    latest = max(issued, key=lambda b: b.id).bulletin.number if issued else ""
    values = greco_control(control, agent.identity if agent else Identity(), latest)
    return file_name(values), document(values)


def selection_file(engine: Engine, viewer: User, query: SearchQuery) -> GrecoFile:
    """A zip of one document per control the search finds (what `viewer` may see), at most
    MAX_SELECTION; those GRECO cannot take are listed in LISEZMOI.txt with the reason, so
    that the others are not held back by one incomplete control."""
    found = count(engine, query, viewer, MAX_SELECTION + 1)
    if found > MAX_SELECTION:
        raise RefusedError(TOO_MANY.format(limit=MAX_SELECTION))
    if found == 0:
        raise RefusedError(NOTHING)
    written: list[tuple[int, str]] = []
    refused: list[tuple[int, str]] = []
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        names: set[str] = set()
        for control in iterate(engine, query, viewer, MAX_SELECTION):
            try:
                name, content = _xml(engine, control)
            except RefusedError as problem:
                refused.append((control.id, problem.message))
                continue
            if name in names:  # same controller, minute and plate: told apart by the number
                name = name.removesuffix(".xml") + f"-{control.id}.xml"
            names.add(name)
            bundle.writestr(name, content)
            written.append((control.id, name))
        bundle.writestr(README, readme(written, refused))
    record_many(engine, viewer.id, AUDIT_ACTION, [about_control(c, "(lot)") for c, _ in written])
    return GrecoFile("controles-greco.zip", out.getvalue(), "application/zip")


def readme(written: list[tuple[int, str]], refused: list[tuple[int, str]]) -> str:
    """What the zip holds and which controls it leaves out, with the reason (in French)."""
    lines = [
        "Export GRECO — Contrôle LIC",
        "",
        f"{len(written)} contrôle(s) exporté(s), un fichier XML chacun :",
        *[f"  - contrôle n° {c} : {name}" for c, name in written],
        "",
        f"{len(refused)} contrôle(s) non exporté(s) :",
        *[f"  - contrôle n° {c} : {reason}" for c, reason in refused],
        "",
    ]
    return "\r\n".join(lines)
