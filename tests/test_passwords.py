"""The password policy: long, not blank, not the login, not a common one."""

from __future__ import annotations

import pytest

from control.passwords import common_passwords, password_problem


@pytest.mark.parametrize(
    ("password", "why"),
    [
        (" " * 10, "uniquement d'espaces"),
        ("\t \u00a0" * 5, "uniquement d'espaces"),
        ("court-court", "12 caractères"),
        ("motdepasse123", "trop courant"),
        ("AZERTYUIOP", "12 caractères"),
        ("Azertyuiop2026!", "trop courant"),
        ("123456789012", "trop courant"),
        ("aaaaaaaaaaaaaa", "trop simple"),
        ("c.martin.2026", "l'identifiant"),
        ("c.martin.2026c.martin.2026", "l'identifiant"),
        ("C.MARTIN.2026 !!!", "l'identifiant"),
    ],
)
def test_weak_passwords_are_refused_in_french(password: str, why: str) -> None:
    problem = password_problem(password, "c.martin.2026")
    assert problem is not None
    assert why in problem


def test_a_long_uncommon_passphrase_is_accepted() -> None:
    assert password_problem("trois tasses de thé vert", "c.martin") is None


def test_the_list_of_common_passwords_is_a_few_hundred_lower_case_words() -> None:
    common = common_passwords()
    assert 300 <= len(common) <= 1000
    assert all(word == word.lower().strip() for word in common)
