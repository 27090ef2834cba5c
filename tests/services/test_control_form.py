"""The control form's schema refuses what no agent types: codes of the texts are ASCII
digits (a NATINF, a SIREN, a département in another script would be stored, exported to
GRECO and searched as a code that matches nothing), and every refusal is said in French."""

from __future__ import annotations

import pytest

from control.services.control_form import FormError, parse_control_form

PLACE = {
    "kind": "none",
    "occurred_at": "2026-11-25T10:40",
    "departement": "69",
    "commune": "Vénissieux",
}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("manual_natinf", ["١٢٣٤٥"]),  # Arabic-Indic digits
        ("manual_natinf", ["１２３４５"]),  # fullwidth digits
        ("employer_siren", "١٧٧٩٥٥٤٩٩"),
        ("employer_siren", "177955499\n"),
        ("departement", "6٩"),
    ],
)
def test_codes_in_other_digits_are_refused_in_french(field: str, value: object) -> None:
    with pytest.raises(FormError) as refused:
        parse_control_form({**PLACE, field: value})
    message = refused.value.errors[field]
    assert message.startswith(("Code NATINF invalide", "Un SIREN", "Département inconnu"))


def test_the_same_codes_in_ascii_digits_are_kept() -> None:
    form = parse_control_form(
        {**PLACE, "manual_natinf": ["12345"], "employer_siren": "177 955 499"}
    )
    assert (form.manual_natinf, form.employer_siren, form.departement) == (
        ["12345"],
        "177955499",
        "69",
    )
