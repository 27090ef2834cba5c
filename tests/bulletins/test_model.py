"""The fields a bulletin must get right before it is issued."""

from dataclasses import replace

import pytest

from control.bulletins.canonical import digest
from control.bulletins.model import Bulletin, BulletinError, Company, check, company_id_problem


def test_a_complete_bulletin_passes(bulletin: Bulletin) -> None:
    check(bulletin)


def test_a_siren_with_a_wrong_key_is_refused(bulletin: Bulletin) -> None:
    wrong = replace(bulletin, company=replace(bulletin.company, siren="298412975"))
    with pytest.raises(BulletinError) as error:
        check(wrong)
    assert "clé de contrôle" in error.value.errors["company.siren"]


def test_an_intra_eu_vat_number_is_accepted() -> None:
    assert company_id_problem("DE123456789") == ""
    assert company_id_problem("XX123") != ""


def test_the_licence_follows_its_mask(bulletin: Bulletin) -> None:
    wrong = replace(bulletin, company=replace(bulletin.company, licence="2020-69-1234"))
    with pytest.raises(BulletinError) as error:
        check(wrong)
    assert "aaaa/xx/xxxxxxx" in error.value.errors["company.licence"]


def test_every_bad_field_is_named_at_once(bulletin: Bulletin) -> None:
    wrong = replace(
        bulletin,
        departement="99",
        company=Company(siren=""),
        end_time=bulletin.start_time.replace(hour=9),
    )
    with pytest.raises(BulletinError) as error:
        check(wrong)
    assert {"departement", "company.siren", "end_time"} <= set(error.value.errors)


def test_any_printed_change_changes_the_digest(bulletin: Bulletin) -> None:
    renamed = replace(bulletin, driver=replace(bulletin.driver, given_name="Thiery"))
    assert digest(renamed) != digest(bulletin)
    assert digest(replace(bulletin)) == digest(bulletin)
