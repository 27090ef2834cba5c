"""One driver's file of a company control: a `LIC1:` code or a record in JSON, read and checked.

Labour inspectors collect the records of every driver of a company, as QR texts saved by the
issuer's software or as JSON exports. Each file is judged alone: a bad one is named with the
reason and set aside, the others go on into the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from control.record.invariants import RecordError
from control.record.json_form import record_from_text
from control.record.model import Record
from control.rules.french import day as french_day
from control.verify.envelope import PREFIX
from control.verify.trustlist import TrustList
from control.verify.verdicts import Verdict, Warning
from control.verify.verifier import verify
from control.verify.wording import VERDICTS, WARNINGS

MAX_FILE_BYTES = 2_000_000  # a JSON export of 28 busy days is well under 200 kB
# A code past its validity still carries a genuine signature: at a company control, weeks
# after it was generated, that is what matters.
USABLE = (Verdict.VALID, Verdict.EXPIRED)


class Source(StrEnum):
    SIGNED = "signed"  # a LIC1: code whose signature the trust list vouches for
    UNSIGNED = "unsigned"  # a JSON record: nothing proves who wrote it


@dataclass(frozen=True)
class DriverFile:
    """What one file gave: a record, or the reason it gave none."""

    name: str
    record: Record | None = None
    source: Source | None = None
    issuer: str | None = None  # the issuer's name, for a signed code
    # The moment the record describes: the code's iat, or the last moment a JSON record
    # knows of. An activity still open then is not stretched to the day of the report.
    as_of: datetime | None = None
    notes: tuple[str, ...] = ()  # French, for the inspector
    problem: str | None = None  # French; set exactly when `record` is None


def read_driver_file(name: str, data: bytes, trust: TrustList, now: datetime) -> DriverFile:
    if len(data) > MAX_FILE_BYTES:
        return DriverFile(name, problem=f"fichier trop gros ({len(data) // 1000} ko).")
    try:
        text = data.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        return DriverFile(name, problem="ce n'est pas un fichier texte (code LIC1: ou JSON).")
    if not text:
        return DriverFile(name, problem="fichier vide.")
    if text.upper().startswith(PREFIX):
        return _from_code(name, text, trust, now)
    if text.startswith("{"):
        return _from_json(name, text)
    return DriverFile(
        name, problem="ni un code LIC1: ni un relevé JSON : le fichier n'est pas un livret."
    )


def _from_code(name: str, text: str, trust: TrustList, now: datetime) -> DriverFile:
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1:
        return DriverFile(name, problem=f"{len(lines)} lignes : un fichier ne porte qu'un code.")
    result = verify(lines[0], trust, now)
    if result.verdict not in USABLE or result.record is None:
        title, _ = VERDICTS[result.verdict]
        return DriverFile(name, problem=f"{title}.")
    notes = []
    if result.verdict is Verdict.EXPIRED and result.exp is not None:
        notes.append(
            f"Code expiré le {french_day(result.exp.date())} : signature authentique, relevé "
            "utilisable."
        )
    notes += [WARNINGS[w] for w in result.warnings if w is not Warning.GENERATED_MORE_THAN_24H_AGO]
    issuer = result.issuer_name or result.issuer
    return DriverFile(
        name, result.record, Source.SIGNED, issuer, as_of=result.iat, notes=tuple(notes)
    )


def _from_json(name: str, text: str) -> DriverFile:
    try:
        record = record_from_text(text)
    except RecordError as error:
        return DriverFile(name, problem=f"relevé JSON illisible ({error}).")
    return DriverFile(
        name,
        record,
        Source.UNSIGNED,
        notes=("Relevé JSON non signé : rien ne garantit son origine.",),
        as_of=last_moment(record),
    )


def last_moment(record: Record) -> datetime | None:
    """The latest start or end of an activity in the record."""
    moments = [m for day in record.days for a in day.activities for m in (a.start, a.end) if m]
    return max(moments, default=None)
