"""Each file of a company control alone: a usable record, or the reason in French."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from control.company.files import MAX_FILE_BYTES, Source, read_driver_file
from control.issue import issue_code
from control.record.json_form import record_to_json
from control.record.model import Record
from control.verify.keys import PrivateKey
from control.verify.trustlist import TrustList
from tests.conftest import NOW


def code_file(record: Record, key: PrivateKey) -> bytes:
    return issue_code(record, key, iat=NOW, exp=NOW + timedelta(days=1)).text.encode()


def test_a_signed_code_gives_its_record_and_issuer(
    record: Record, issuer_key: PrivateKey, trust: TrustList
) -> None:
    read = read_driver_file("a.txt", code_file(record, issuer_key), trust, NOW)
    assert read.problem is None
    assert read.record == record
    assert read.source is Source.SIGNED
    assert read.issuer == "FR-MOBILIC"
    assert read.as_of is not None
    assert abs(read.as_of - NOW) < timedelta(seconds=1)


def test_an_expired_code_is_used_with_a_note(
    record: Record, issuer_key: PrivateKey, trust: TrustList, report_at: datetime
) -> None:
    read = read_driver_file("a.txt", code_file(record, issuer_key), trust, report_at)
    assert read.record == record
    assert any("Code expiré" in note and "signature authentique" in note for note in read.notes)


def test_a_tampered_code_is_set_aside(
    record: Record, issuer_key: PrivateKey, trust: TrustList
) -> None:
    text = code_file(record, issuer_key).decode()
    middle = len(text) // 2
    tampered = text[:middle] + ("A" if text[middle] != "A" else "B") + text[middle + 1 :]
    read = read_driver_file("a.txt", tampered.encode(), trust, NOW)
    assert read.record is None
    assert read.problem is not None


def test_a_code_of_an_unknown_issuer_is_set_aside(record: Record, trust: TrustList) -> None:
    stranger = PrivateKey.generate(
        "FR-INCONNU", not_before=int((NOW - timedelta(days=5)).timestamp())
    )
    read = read_driver_file("a.txt", code_file(record, stranger), trust, NOW)
    assert read.problem == "Émetteur inconnu."


def test_a_json_record_is_used_as_unsigned(record: Record, trust: TrustList) -> None:
    data = json.dumps(record_to_json(record)).encode()
    read = read_driver_file("a.json", data, trust, NOW)
    assert read.record == record
    assert read.source is Source.UNSIGNED
    assert any("non signé" in note for note in read.notes)


def test_a_json_record_breaking_the_schema_names_the_field(
    record: Record, trust: TrustList
) -> None:
    data = record_to_json(record)
    del data["driver"]["family_name"]
    read = read_driver_file("a.json", json.dumps(data).encode(), trust, NOW)
    assert read.problem is not None
    assert "relevé JSON illisible" in read.problem
    assert "family_name" in read.problem


def test_an_image_is_not_taken_for_a_record(trust: TrustList) -> None:
    read = read_driver_file("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", trust, NOW)
    assert read.problem == "ce n'est pas un fichier texte (code LIC1: ou JSON)."


def test_text_that_is_neither_code_nor_json_is_set_aside(trust: TrustList) -> None:
    read = read_driver_file("notes.txt", b"Rendez-vous mardi", trust, NOW)
    assert read.problem is not None
    assert "ni un code LIC1: ni un relevé JSON" in read.problem


def test_two_codes_in_one_file_are_refused(
    record: Record, issuer_key: PrivateKey, trust: TrustList
) -> None:
    one = code_file(record, issuer_key)
    read = read_driver_file("a.txt", one + b"\n" + one, trust, NOW)
    assert read.problem == "2 lignes : un fichier ne porte qu'un code."


def test_an_oversized_file_is_refused_before_reading(trust: TrustList) -> None:
    read = read_driver_file("big.json", b"{" + b" " * MAX_FILE_BYTES, trust, NOW)
    assert read.problem is not None
    assert "trop gros" in read.problem


def test_an_empty_file_is_said_to_be_empty(trust: TrustList) -> None:
    assert read_driver_file("vide.txt", b" \n", trust, NOW).problem == "fichier vide."
