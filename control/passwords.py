"""The password policy, one place for every door: `user add`, an admin's form, a change.

At least 12 characters, not only spaces, not the login (even repeated: "agent2agent2"), not
a common password (a list of a few hundred shipped beside this module, matched also once the
digits and signs people add around a word are taken off: "Azerty2026!" is "azerty"), and not
one character repeated.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

MIN_LENGTH = 12
LEFT_BESIDE_LOGIN = 4  # characters of its own a password keeps once the login is taken off
COMMON_FILE = Path(__file__).with_name("common_passwords.txt")
_DECORATION = "0123456789 !?.,;:-_*#@$%&+=/\\'\"()[]{}<>~^|`"


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip())


def password_problem(password: str, login: str = "") -> str | None:
    """Why this password is refused, in French; None if it is acceptable."""
    if not password.strip():
        return "Le mot de passe ne peut pas être composé uniquement d'espaces."
    if len(password) < MIN_LENGTH:
        return f"Le mot de passe doit faire au moins {MIN_LENGTH} caractères."
    lowered = password.lower()
    name = login.strip().lower()
    beside = lowered.replace(name, "").strip(_DECORATION)
    if name and name in lowered and len(beside) < LEFT_BESIDE_LOGIN:
        return "Le mot de passe ne peut pas être l'identifiant, même répété ou décoré."
    if len(set(lowered)) <= 2:
        return "Ce mot de passe est trop simple : variez les caractères."
    common = common_passwords()
    if lowered in common or lowered.strip(_DECORATION) in common:
        return "Ce mot de passe est trop courant : choisissez-en un autre."
    return None
