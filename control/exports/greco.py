"""What GRECO needs from a control, checked: the input of its XML document and file name.

GRECO (the ministry's record of infractions found on the road) imports one XML document per
control. The fields and their order follow Mobilic's export (MTES-MCT/mobilic-api,
`app/helpers/xml/greco.py`); `greco_xml` writes them. This module gathers the values from
what Contrôle LIC stores and refuses, naming every missing field at once, a control GRECO
would reject or that would be filed under nobody.

Required (docs/exports.md says why): the controller's family name, given name and RIO /
matricule (`controleur_Identification`, the account's GRECO id); the département and the
commune (not the place: a free description the control form leaves optional, and a control
recorded without it must not be a dead end); the plate; the company's SIREN (valid key:
"mandatory, must exist and be valid" says the reference) and name; the driver's family name
and given name; and the 28-day record, which carries the birth date (a record without one
cannot be read).
Only an electronic LIC's signed record carries the driver's identity and the period
controlled, and only a code found authentic (`Control.record_authentic`: valid or merely
expired, for the server or for the tablet at the moment of a control synced later)
establishes them; the other kinds store a single name and no
birth date, so they are refused, saying so.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time

from control.fields import SIREN, luhn_ok
from control.record.invariants import RecordError
from control.record.json_form import record_from_json
from control.record.model import Record
from control.rules.natinf import CATALOGUE, qualification
from control.rules.timeline import PARIS
from control.services.errors import RefusedError
from control.storage.controls import KIND_LABELS, Control, ControlKind
from control.storage.users import Identity
from control.verify.wording import verdict_label


@dataclass(frozen=True)
class GrecoInfraction:
    """One retained infraction: its NATINF, its words and when it happened (Paris time)."""

    natinf: str
    label: str  # the NATINF qualification (control.rules.natinf)
    subject: str  # what was found, as the rules explained it (GRECO's `objet`)
    start: datetime
    end: datetime

    @property
    def klass(self) -> int | None:
        known = CATALOGUE.get(self.natinf)
        return known.klass if known else None


@dataclass(frozen=True)
class GrecoPeriod:
    """The history GRECO is told was controlled: the record's 28 days and its worked days."""

    start: date
    end: date
    worked_days: int


@dataclass(frozen=True)
class GrecoControl:
    """Everything the document says, gathered and checked (see `greco_control`)."""

    control_id: int
    occurred_at: datetime  # Paris time
    departement: str
    commune: str
    place: str
    plate: str
    notes: str
    bulletin_number: str
    controller_family_name: str
    controller_given_name: str
    controller_id: str  # RIO / matricule
    siren: str
    company_name: str
    driver_family_name: str
    driver_given_name: str
    driver_birth_date: date
    period: GrecoPeriod
    infractions: tuple[GrecoInfraction, ...]


# What each missing field is called in the refusal, in the order the message lists them.
MISSING = {
    "controller_id": "le RIO / matricule du contrôleur (à saisir par l'administrateur)",
    "controller_family_name": "le nom du contrôleur (à saisir par l'administrateur)",
    "controller_given_name": "le prénom du contrôleur (à saisir par l'administrateur)",
    "departement": "le département du contrôle",
    "commune": "la commune du contrôle",
    "plate": "l'immatriculation du véhicule",
    "siren": "un SIREN valide de l'entreprise",
    "company_name": "la raison sociale de l'entreprise",
    "driver_family_name": "le nom du conducteur",
    "driver_given_name": "le prénom du conducteur",
}
NOT_ELECTRONIC = (
    "Export GRECO impossible : seul un contrôle de LIC électronique porte l'identité complète "
    "du conducteur (avec sa date de naissance) et la période contrôlée ; ce contrôle est de "
    "type « {kind} »."
)
NOT_VALID = (
    "Export GRECO impossible : le code présenté n'a pas été reconnu authentique (« {verdict} ») ; "
    "l'identité du conducteur qu'il porte n'est pas établie."
)
NO_RECORD = (
    "Export GRECO impossible : le relevé du LIC électronique n'a pas pu être lu lors du "
    "contrôle (conducteur et période inconnus)."
)


def refusal(missing: list[str]) -> str:
    """« Export GRECO impossible : il manque A, B. » — every missing field at once."""
    return f"Export GRECO impossible : il manque {', '.join(MISSING[m] for m in missing)}."


def greco_control(
    control: Control, controller: Identity, bulletin_number: str = ""
) -> GrecoControl:
    """The document's values for `control`, made by the agent whose identity is `controller`;
    RefusedError (French, naming every missing field) when GRECO cannot take it."""
    if control.kind is not ControlKind.ELECTRONIC:
        raise RefusedError(NOT_ELECTRONIC.format(kind=KIND_LABELS[control.kind]))
    if not control.code_authentic():
        raise RefusedError(NOT_VALID.format(verdict=verdict_label(control.verdict)))
    record = _record(control)
    if record is None:
        raise RefusedError(NO_RECORD)
    siren = control.employer_siren.replace(" ", "")
    values = {
        "controller_id": controller.matricule.strip(),
        "controller_family_name": controller.family_name.strip(),
        "controller_given_name": controller.given_name.strip(),
        "departement": control.departement.strip(),
        "commune": control.commune.strip(),
        "plate": control.plate.strip(),
        "siren": siren if SIREN.match(siren) and luhn_ok(siren) else "",
        "company_name": control.employer_name.strip(),
        "driver_family_name": record.driver.family_name.strip(),
        "driver_given_name": record.driver.given_name.strip(),
    }
    missing = [name for name in MISSING if name in values and not values[name]]
    if missing:
        raise RefusedError(refusal(missing), {m: MISSING[m] for m in missing})
    return GrecoControl(
        control_id=control.id,
        occurred_at=control.occurred_at.astimezone(PARIS),
        notes=control.notes,
        bulletin_number=bulletin_number,
        place=control.place.strip(),
        driver_birth_date=record.driver.birth_date,
        period=GrecoPeriod(record.window_start, record.window_end, len(record.days)),
        infractions=retained_infractions(control, record),
        **values,
    )


def _record(control: Control) -> Record | None:
    if control.record is None:
        return None
    try:
        return record_from_json(control.record)
    except RecordError:
        return None


def retained_infractions(control: Control, record: Record) -> tuple[GrecoInfraction, ...]:
    """The findings the agent retained, then the NATINF she added by hand (a code already
    retained from the record is not repeated). A finding runs from the first activity of its
    first day to the last activity of its last day, as the record says (whole days when the
    record lacks one); an added code has no dates of its own: the control's moment."""
    found: list[GrecoInfraction] = []
    for finding in control.findings:
        if finding.retained and finding.natinf:
            days = sorted(date.fromisoformat(d) for d in finding.dates) or [
                control.occurred_at.astimezone(PARIS).date()
            ]
            start, end = _span(record, days[0], days[-1])
            label = qualification(finding.natinf)
            found.append(GrecoInfraction(finding.natinf, label, finding.explanation, start, end))
    moment = control.occurred_at.astimezone(PARIS)
    seen = {f.natinf for f in found}
    for code in control.manual_natinf:
        if code not in seen:
            seen.add(code)
            label = qualification(code)
            found.append(GrecoInfraction(code, label, label, moment, moment))
    return tuple(found)


def _span(record: Record, first: date, last: date) -> tuple[datetime, datetime]:
    by_date = {day.date: day for day in record.days if day.activities}
    start = datetime.combine(first, time(0, 0), PARIS)
    end = datetime.combine(last, time(23, 59), PARIS)
    if first in by_date:
        start = by_date[first].start.astimezone(PARIS)
    if last in by_date and (day_end := by_date[last].end) is not None:
        end = day_end.astimezone(PARIS)
    return start, end


UNSAFE_IN_NAME = re.compile(r"[^A-Z0-9-]")


def file_name(document: GrecoControl) -> str:
    """`R{département}{initials}{YYYYMMDDHHMM}{plate}.xml`, as Mobilic names it: the
    département zero-padded, the controller's initials (the first letter of each word of
    "given family"), the control's Paris time, and the plate reduced to A-Z, 0-9 and "-"
    (never a path: no "/", "." or space)."""
    words = f"{document.controller_given_name} {document.controller_family_name}".split()
    initials = _safe("".join(w[0] for w in words))
    departement, plate = _safe(document.departement).zfill(2), _safe(document.plate)
    return f"R{departement}{initials}{document.occurred_at:%Y%m%d%H%M}{plate}.xml"


def _safe(text: str) -> str:
    """Upper-case ASCII letters, digits and "-" only (an "É" becomes "E")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return UNSAFE_IN_NAME.sub("", plain.upper())
