"""The NATINF lines the engine can report, as the nomenclature writes them.

A finding the agent retains goes into a bulletin and may go before a court, so each line
carries what a procès-verbal carries: the official qualification, the texts that define the
offence ("prévue par") and those that punish it ("réprimée par"), the contravention class,
the maximum fine of that class and whether the punishing text multiplies it per employee.
docs/legal.md gives the source of every line; tests/web/test_legal_catalogue.py holds the
catalogue, /regles.json, the bulletin PDF and that document to the same words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Code pénal, art. 131-13: maximum fine of a contravention, by class (natural persons; the
# 5th class rises to 3 000 € in recidivism where the regulation provides it).
MAX_FINE_EUR = {1: 38, 2: 150, 3: 450, 4: 750, 5: 1500}
FINE_SOURCE = "Code pénal, art. 131-13"

# Where each line was read (docs/legal.md says more).
NOMENCLATURE = (
    "Nomenclature NATINF (ministère de la Justice), lignes reprises par l'API Mobilic "
    "(MTES-MCT/mobilic-api, app/helpers/pdf/control_bulletin.py)"
)

# Code pénal, art. 131-41: a legal person incurs five times the natural persons' maximum.
LEGAL_PERSON_FACTOR = 5
LEGAL_PERSON_SOURCE = "Code pénal, art. 131-41"


def euros(amount: int) -> str:
    """`1 500 €`, French style (a narrow no-break space between thousands)."""
    return f"{amount:,} €".replace(",", "\u202f")


def fine_wording(max_fine_eur: int, per_employee: bool | None) -> str:
    """`750 € au plus, par salarié concerné` (the punishing text multiplies it per employee),
    else `750 € au plus`."""
    if per_employee:
        return f"{euros(max_fine_eur)} au plus, par salarié concerné"
    return f"{euros(max_fine_eur)} au plus"


ARTICLE = re.compile(r"\b(art|al|[CLRD])\. ")


def cited(texts: Iterable[str]) -> str:
    """`C. transports, art. R. 3312-13 ; …` for print: no-break spaces inside each reference,
    so that a line never ends on `art. R.`."""
    return " ; ".join(ARTICLE.sub("\\1.\u00a0", text) for text in texts)


TRANSPORTS = "C. transports"
TRAVAIL = "C. travail"


@dataclass(frozen=True)
class Natinf:
    code: str
    qualification: str  # the nomenclature's words (its capitals set in sentence case)
    klass: int  # contravention class
    defined_by: tuple[str, ...]  # "prévue par"
    punished_by: tuple[str, ...]  # "réprimée par"
    # True: the punishing text says the fine is pronounced once per employee concerned.
    # None: the punishing text was not read here; docs/legal.md says so.
    per_employee: bool | None

    @property
    def nature(self) -> str:
        return f"Contravention de {self.klass}e classe"

    @property
    def max_fine_eur(self) -> int:
        return MAX_FINE_EUR[self.klass]

    @property
    def fine_wording(self) -> str:
        """`750 € au plus, par salarié concerné` — what the employer is exposed to."""
        return fine_wording(self.max_fine_eur, self.per_employee)

    def to_json(self) -> dict[str, Any]:
        return {
            "natinf": self.code,
            "qualification": self.qualification,
            "nature": self.nature,
            "class": self.klass,
            "defined_by": list(self.defined_by),
            "punished_by": list(self.punished_by),
            "max_fine_eur": self.max_fine_eur,
            "per_employee": self.per_employee,
            "fine": self.fine_wording,
        }


NATINF_20525 = Natinf(
    "20525",
    "Emploi de personnel roulant sans repos quotidien suffisant – entreprise de transport routier",
    4,
    (
        f"{TRANSPORTS}, art. R. 3312-13",
        f"{TRANSPORTS}, art. R. 3312-30 al. 5",
        f"{TRANSPORTS}, art. R. 3312-53 2°",
        f"{TRANSPORTS}, art. R. 3312-3",
        f"{TRANSPORTS}, art. R. 3312-34",
    ),
    (f"{TRANSPORTS}, art. R. 3315-5 al. 1",),
    True,
)
NATINF_11292 = Natinf(
    "11292",
    "Emploi de salarié au-delà de la durée quotidienne maximale de travail effectif – "
    "entreprise de transport routier",
    4,
    (
        f"{TRANSPORTS}, art. R. 3312-51",
        f"{TRANSPORTS}, art. D. 3312-64",
        f"{TRANSPORTS}, art. R. 3312-34",
        f"{TRANSPORTS}, art. D. 3312-6",
        f"{TRANSPORTS}, art. R. 3312-11",
        f"{TRANSPORTS}, art. D. 3312-31",
        f"{TRANSPORTS}, art. R. 3312-3",
    ),
    (f"{TRANSPORTS}, art. R. 3315-5 al. 1",),
    True,
)
NATINF_32083 = Natinf(
    "32083",
    "Dépassement de la durée maximale quotidienne de travail du personnel roulant de nuit – "
    "entreprise de transport routier",
    5,
    (f"{TRANSPORTS}, art. L. 3312-1", f"{TRAVAIL}, art. L. 3122-5"),
    (f"{TRANSPORTS}, art. R. 3315-3 al. 1",),
    None,
)
NATINF_35187 = Natinf(
    "35187",
    "Prise insuffisante de pause pendant le temps de travail par personnel roulant d'une "
    "entreprise de transport public routier",
    4,
    (f"{TRANSPORTS}, art. L. 3312-2",),
    (f"{TRANSPORTS}, art. R. 3315-5 al. 1",),
    True,
)
NATINF_13152 = Natinf(
    "13152",
    "Emploi de salarié sans respect de la durée minimale de repos hebdomadaire",
    5,
    (f"{TRAVAIL}, art. L. 3132-1", f"{TRAVAIL}, art. L. 3132-2"),
    (f"{TRAVAIL}, art. R. 3135-2 al. 1",),
    True,
)
NATINF_11289 = Natinf(
    "11289",
    "Emploi, par entreprise de transport routier de marchandises, de personnel roulant au-delà "
    "de la durée de temps de service maximale hebdomadaire sur une semaine isolée",
    5,
    (
        f"{TRANSPORTS}, art. R. 3312-50",
        f"{TRANSPORTS}, art. D. 3312-45",
        f"{TRANSPORTS}, art. R. 3312-34",
        f"{TRANSPORTS}, art. D. 3312-37",
    ),
    (f"{TRANSPORTS}, art. R. 3315-6 al. 1",),
    None,
)
NATINF_23103 = Natinf(
    "23103",
    "Transport routier de marchandises sans livret individuel de contrôle conforme – "
    "transport sans horaire fixe",
    4,
    (
        f"{TRANSPORTS}, art. R. 3312-58 2°",
        f"{TRANSPORTS}, art. R. 3312-34",
        "Arrêté ministériel du 20 juillet 1998, annexe II, art. 3",
    ),
    (f"{TRANSPORTS}, art. R. 3315-5 al. 1",),
    True,
)
NATINF_25666 = Natinf(
    "25666",
    "Transport routier de personnes sans livret individuel de contrôle conforme",
    4,
    (f"{TRANSPORTS}, art. R. 3312-19 2°", f"{TRANSPORTS}, art. R. 3312-3"),
    (f"{TRANSPORTS}, art. R. 3315-5 al. 1",),
    True,
)

CATALOGUE: dict[str, Natinf] = {
    n.code: n
    for n in (
        NATINF_20525,
        NATINF_11292,
        NATINF_32083,
        NATINF_35187,
        NATINF_13152,
        NATINF_11289,
        NATINF_23103,
        NATINF_25666,
    )
}


def qualification(code: str) -> str:
    """The official words for a code the engine knows, else a neutral French label."""
    known = CATALOGUE.get(code)
    return known.qualification if known else f"Infraction NATINF {code}"
