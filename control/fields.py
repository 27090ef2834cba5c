"""Checks of the fields agents type (control form, bulletin), with their French messages.

One place for each rule, so the control form, the bulletin's steps and the bulletin issued
refuse the same values with the same words. Each `*_problem` returns "" when the value is fine.
"""

from __future__ import annotations

import re

# ASCII digits only (`\d` takes any script's) and `\Z`, not `$` (which lets a final newline in)
DEPARTEMENT = re.compile(r"^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])\Z")
PLATE = re.compile(r"^[A-Z0-9][A-Z0-9 -]{1,15}\Z")
NATINF = re.compile(r"^[0-9]{4,5}\Z")
SIREN = re.compile(r"^[0-9]{9}\Z")
LICENCE = re.compile(r"^[0-9]{4}/[0-9]{2}/[0-9]{7}\Z")
MAX_WEIGHT_T = 100


def departement_problem(value: str) -> str:
    return "" if DEPARTEMENT.match(value) else "Département inconnu (ex. 69, 2A, 974)."


def plate_problem(value: str) -> str:
    return "" if PLATE.match(value) else "Immatriculation invalide (ex. AB-123-CD)."


def licence_problem(value: str) -> str:
    """An empty licence is allowed; a given one follows the mask."""
    if not value or LICENCE.match(value):
        return ""
    return "Numéro de licence au format aaaa/xx/xxxxxxx."


def weight_problem(tonnes: float | None) -> str:
    if tonnes is None or 0 < tonnes < MAX_WEIGHT_T:
        return ""
    return "Poids en tonnes, entre 0 et 100."


def luhn_ok(digits: str) -> bool:
    """The Luhn key every SIREN carries (a typo in one digit breaks it)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


SIREN_KEY_PROBLEM = "SIREN invalide : la clé de contrôle ne correspond pas."
