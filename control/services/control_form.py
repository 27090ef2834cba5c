"""The control form, validated at the edge with French messages; the page, the API and the
tablet's sync all send it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, ValidationError, field_validator

from control.fields import (
    NATINF,
    SIREN,
    SIREN_KEY_PROBLEM,
    departement_problem,
    luhn_ok,
    plate_problem,
)
from control.rules.timeline import PARIS
from control.services.errors import RefusedError
from control.storage.controls import ControlKind
from control.typed_time import parse_moment


class FormError(RefusedError):
    """A form refused field by field (the services' error, with its fields)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()), errors)

    @property
    def errors(self) -> dict[str, str]:
        return self.fields


TEXT_MAX = 2000
# the search's copy of a control's codes (controls.natinf_codes, 120 characters) holds these
# and the retained findings' (8 codes in the catalogue): 20 codes of 5 digits and a space
NATINF_MAX = 12


class ControlForm(BaseModel):
    """Every text and list bounded (a field over its bound is refused in French, never
    stored): what one request may carry is what every list and export carries after."""

    kind: ControlKind
    occurred_at: datetime
    departement: str = Field(max_length=10)
    commune: str = Field(max_length=100)
    place: str = Field(default="", max_length=TEXT_MAX)
    plate: str = Field(default="", max_length=20)
    notes: str = Field(default="", max_length=TEXT_MAX)
    code: str = Field(default="", max_length=20_000)  # a code and a scanner's leftovers
    driver_name: str = Field(default="", max_length=200)
    employer_siren: str = Field(default="", max_length=20)
    employer_name: str = Field(default="", max_length=200)
    passengers: bool = False
    # one field may carry several codes, separated by commas (the page's single input)
    manual_natinf: list[Annotated[str, Field(max_length=300)]] = Field(
        default=[], max_length=NATINF_MAX
    )
    # The agent's decision on each finding of the verified record, by its position: every
    # finding must be in one list or the other (a missing decision is refused, not a discard).
    retained: list[int] = Field(default=[], max_length=500)
    discarded: list[int] = Field(default=[], max_length=500)

    @field_validator("departement")
    @classmethod
    def _departement(cls, value: str) -> str:
        value = value.strip().upper()
        if problem := departement_problem(value):
            raise ValueError(problem)
        return value

    @field_validator("commune")
    @classmethod
    def _commune(cls, value: str) -> str:
        value = value.replace("\x00", "").strip()  # as the other texts (see `_text`)
        if not value:
            raise ValueError("Indiquez la commune du contrôle.")
        return value

    @field_validator("plate")
    @classmethod
    def _plate(cls, value: str) -> str:
        value = value.strip().upper()
        if value and (problem := plate_problem(value)):
            raise ValueError(problem)
        return value

    @field_validator("employer_siren")
    @classmethod
    def _siren(cls, value: str) -> str:
        return optional_siren(value)

    @field_validator("manual_natinf")
    @classmethod
    def _natinf(cls, values: list[str]) -> list[str]:
        codes = [v.strip() for value in values for v in value.replace(";", ",").split(",")]
        codes = [c for c in codes if c]
        if len(codes) > NATINF_MAX:
            raise ValueError(GENERIC["manual_natinf"])
        for code in codes:
            if not NATINF.match(code):
                raise ValueError(f"Code NATINF invalide : {code[:10]} (4 ou 5 chiffres).")
        return codes

    @field_validator("occurred_at", mode="before")
    @classmethod
    def _typed(cls, value: object) -> object:
        """As the page's field holds it ("06/12/2026 14h30"), or ISO (the API, the outbox)."""
        if not isinstance(value, str):
            return value
        if not value.strip():
            raise ValueError("Indiquez la date et l'heure du contrôle.")
        try:
            return datetime.fromisoformat(value.strip())  # ISO keeps its offset, if any
        except ValueError:
            return parse_moment(value)  # its ValueError says the expected form in French

    @field_validator("occurred_at")
    @classmethod
    def _when(cls, value: datetime) -> datetime:
        return value if value.tzinfo else value.replace(tzinfo=PARIS)

    @field_validator("place", "notes", "driver_name", "employer_name")
    @classmethod
    def _text(cls, value: str) -> str:
        return value.replace("\x00", "").strip()  # a NUL is no text, and PostgreSQL refuses it


FIELD_LABELS = {
    "kind": "Type de contrôle",
    "occurred_at": "Date et heure",
    "departement": "Département",
    "commune": "Commune",
    "plate": "Immatriculation",
    "employer_siren": "SIREN",
    "manual_natinf": "NATINF",
    "retained": "Infractions retenues",
}
GENERIC = {
    "kind": "Choisissez le type de contrôle.",
    "occurred_at": "Date et heure invalides.",
    "code": "Le texte collé est bien trop long pour être un code LIC.",
    "manual_natinf": f"Trop de NATINF ajoutés ({NATINF_MAX} au plus).",
    "retained": "Décisions sur les infractions illisibles.",
    "discarded": "Décisions sur les infractions illisibles.",
}


def optional_siren(value: str) -> str:
    """A SIREN as typed (spaces allowed), or blank; checked as the bulletin checks it."""
    value = value.replace(" ", "")
    if value and not SIREN.match(value):
        raise ValueError("Un SIREN compte 9 chiffres.")
    if value and not luhn_ok(value):
        raise ValueError(SIREN_KEY_PROBLEM)
    return value


def parse_control_form(data: dict[str, object]) -> ControlForm:
    try:
        return ControlForm.model_validate(data)
    except ValidationError as error:
        raise FormError(french_errors(error.errors(), GENERIC)) from None


def french_errors(errors: Sequence[Any], generic: dict[str, str]) -> dict[str, str]:
    """One French message per field: a validator's own, else the field's generic one, else
    the bound it exceeds. The errors are pydantic's (a request body's too: its location
    starts with "body")."""
    problems: dict[str, str] = {}
    for item in errors:
        loc = [part for part in item["loc"] if part != "body"]
        name = str(loc[0]) if loc else "form"
        ours = item["type"] == "value_error"  # raised by a validator, in French
        message = str(item.get("ctx", {}).get("error", "")) if ours else ""
        problems.setdefault(name, message or generic.get(name) or bound_message(item))
    return problems


def bound_message(item: Any) -> str:
    """A bound exceeded, said in French with its figure; any other error as invalid."""
    limit = item.get("ctx", {}).get("max_length")
    if item["type"] == "string_too_long" and isinstance(limit, int):
        return f"Texte trop long ({french_count(limit)} caractères au plus)."
    if item["type"] == "too_long" and isinstance(limit, int):
        return f"Trop de valeurs ({french_count(limit)} au plus)."
    return "Valeur invalide."


def french_count(number: int) -> str:
    """12000 → "12 000", as French writes it."""
    return f"{number:,}".replace(",", " ")
