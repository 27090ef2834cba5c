"""The control bulletin (bulletin de contrôle) and the checks its fields must pass.

Fields follow Mobilic's BDC and the paper form inspectors know. A bulletin is immutable once
issued: a correction is version n+1 of the same number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

from control.fields import (
    NATINF,
    SIREN,
    SIREN_KEY_PROBLEM,
    departement_problem,
    licence_problem,
    luhn_ok,
    plate_problem,
    weight_problem,
)
from control.rules.natinf import CATALOGUE, MAX_FINE_EUR, fine_wording, qualification

VAT_CC = "AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK"
EU_VAT = re.compile(rf"^({VAT_CC})[0-9A-Z+*]{{2,13}}$")
NUMBER = re.compile(r"^\d{6}-\d{4}-[A-Z0-9]{1,10}$")


class TransportKind(StrEnum):
    DOMESTIC = "interieur"
    INTERNATIONAL = "international"
    CABOTAGE = "cabotage"


class HandOver(StrEnum):
    PAPER = "papier"
    DIGITAL = "numerique"
    EMAIL = "courriel"


TRANSPORT_LABELS = {
    TransportKind.DOMESTIC: "intérieur",
    TransportKind.INTERNATIONAL: "international",
    TransportKind.CABOTAGE: "cabotage",
}
HAND_OVER_LABELS = {
    HandOver.PAPER: "remis sur papier",
    HandOver.DIGITAL: "remis sous forme numérique",
    HandOver.EMAIL: "envoyé par courriel à l'entreprise",
}


@dataclass(frozen=True)
class BulletinDriver:
    family_name: str
    given_name: str
    birth_date: date | None = None
    nationality: str = "FRA"

    @property
    def full_name(self) -> str:
        return f"{self.family_name.upper()} {self.given_name}".strip()


@dataclass(frozen=True)
class Company:
    siren: str = ""  # or an intra-EU VAT number for a foreign company
    name: str = ""
    address: str = ""
    activity: str = ""
    licence: str = ""  # licence communautaire / de transport intérieur, aaaa/xx/xxxxxxx
    certified_copy: str = ""


@dataclass(frozen=True)
class Transport:
    origin: str = ""
    destination: str = ""
    kind: TransportKind = TransportKind.DOMESTIC
    goods: str = ""


@dataclass(frozen=True)
class Vehicle:
    plate: str
    country: str = "F"
    empty_weight_t: float | None = None  # PV
    max_weight_t: float | None = None  # PTAC
    actual_weight_t: float | None = None
    immobilised: bool = False


@dataclass(frozen=True)
class Infraction:
    """One NATINF line of the bulletin, worded as a procès-verbal words it.

    `defined_by` ("prévue par"), `punished_by` ("réprimée par") and `per_employee` come from
    the NATINF catalogue (control.rules.natinf); a code the catalogue does not hold keeps a
    neutral qualification and no texts. Bulletins issued before those fields existed carry
    `legal` (the rule's own texts) instead: they keep it, and their canonical content is
    unchanged (control.bulletins.canonical leaves the newer fields out while empty)."""

    natinf: str
    klass: int | None
    count: int
    dates: tuple[date, ...]
    qualification: str
    legal: tuple[str, ...] = ()
    defined_by: tuple[str, ...] = ()
    punished_by: tuple[str, ...] = ()
    per_employee: bool | None = None

    @classmethod
    def of(cls, code: str, dates: tuple[date, ...], count: int = 1) -> Infraction:
        """The line for a NATINF code, from the catalogue when it holds the code."""
        known = CATALOGUE.get(code)
        if known is None:
            return cls(code, None, count, dates, qualification(code))
        return cls(
            code,
            known.klass,
            count,
            dates,
            known.qualification,
            defined_by=known.defined_by,
            punished_by=known.punished_by,
            per_employee=known.per_employee,
        )

    @property
    def legacy(self) -> bool:
        """Issued before the catalogue's texts: `legal` is all it says of the law."""
        return not self.defined_by and not self.punished_by and bool(self.legal)

    @property
    def when(self) -> str:
        """`le 03/11/2026`, or `du 16/11/2026 au 22/11/2026` for one offence over several
        days (a night shift, a calendar week), else the dates listed."""
        said = [d.strftime("%d/%m/%Y") for d in self.dates]
        if not said:
            return "—"
        if len(said) == 1:
            return f"le {said[0]}"
        if self.count == 1:
            return f"du {said[0]} au {said[-1]}"
        return ", ".join(said)

    @property
    def nature(self) -> str:
        """`Contravention de 4e classe`, or "" for a code of unknown class."""
        return f"Contravention de {self.klass}e classe" if self.klass in MAX_FINE_EUR else ""

    @property
    def max_fine_eur(self) -> int | None:
        """Code pénal, art. 131-13, for natural persons; None for an unknown class."""
        return MAX_FINE_EUR.get(self.klass) if self.klass is not None else None

    @property
    def fine(self) -> str:
        """`750 € au plus, par salarié concerné`, or "" for an unknown class."""
        if self.max_fine_eur is None:
            return ""
        return fine_wording(self.max_fine_eur, self.per_employee)


@dataclass(frozen=True)
class Bulletin:
    number: str
    version: int
    control_date: date
    start_time: time
    end_time: time
    departement: str
    commune: str
    place: str
    driver: BulletinDriver
    company: Company
    transport: Transport
    vehicle: Vehicle
    agent: str
    hand_over: HandOver
    issued_at: datetime
    infractions: tuple[Infraction, ...] = ()
    observations: str = ""
    previous_version: int | None = None
    photos: tuple[bytes, ...] = field(default=(), compare=False, repr=False)  # annex, JPEG


class BulletinError(ValueError):
    """Fields that cannot be issued, each with a French message for the form."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def company_id_problem(identifier: str) -> str:
    """Why a SIREN (Luhn key checked) or an intra-EU VAT number is not acceptable, or ""."""
    value = identifier.replace(" ", "").upper()
    if SIREN.match(value):
        return "" if luhn_ok(value) else SIREN_KEY_PROBLEM
    if EU_VAT.match(value):
        return ""
    return "Indiquez un SIREN (9 chiffres) ou un numéro de TVA intracommunautaire."


def check(bulletin: Bulletin) -> None:
    """Raise BulletinError naming every field that cannot be issued as is."""
    errors: dict[str, str] = {}
    if not NUMBER.match(bulletin.number):
        errors["number"] = "Numéro de bulletin mal formé (séquence-année-agent)."
    if bulletin.version < 1:
        errors["version"] = "La version commence à 1."
    if bulletin.end_time < bulletin.start_time:
        errors["end_time"] = "L'heure de fin précède l'heure de début."
    if problem := departement_problem(bulletin.departement):
        errors["departement"] = problem
    if not bulletin.commune.strip():
        errors["commune"] = "Indiquez la commune du contrôle."
    if not bulletin.driver.family_name.strip():
        errors["driver.family_name"] = "Indiquez le nom du conducteur."
    if not re.match(r"^[A-Z]{3}$", bulletin.driver.nationality):
        errors["driver.nationality"] = "Nationalité en code pays à 3 lettres (ex. FRA)."
    problem = company_id_problem(bulletin.company.siren)
    if problem:
        errors["company.siren"] = problem
    if problem := licence_problem(bulletin.company.licence):
        errors["company.licence"] = problem
    if problem := plate_problem(bulletin.vehicle.plate):
        errors["vehicle.plate"] = problem
    for name in ("empty_weight_t", "max_weight_t", "actual_weight_t"):
        if problem := weight_problem(getattr(bulletin.vehicle, name)):
            errors[f"vehicle.{name}"] = problem
    for i, infraction in enumerate(bulletin.infractions):
        if not NATINF.match(infraction.natinf):
            errors[f"infractions[{i}].natinf"] = "Code NATINF de 4 ou 5 chiffres."
        if infraction.count < 1:
            errors[f"infractions[{i}].count"] = "Nombre d'infractions d'au moins 1."
    if len(bulletin.observations) > 4000:
        errors["observations"] = "Observations trop longues (4 000 caractères au plus)."
    if errors:
        raise BulletinError(errors)
