"""Each infraction reads as a procès-verbal writes it: nature, official qualification, the
texts that define and punish it, dates and count, maximum fine. Bulletins signed before those
texts existed still read, render and verify as they were signed."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime

from pypdf import PdfReader

from control.bulletins.canonical import canonical_json, digest
from control.bulletins.model import Bulletin, Infraction
from control.bulletins.pdf import DATA_NAME, issue_pdf, render_pdf
from control.bulletins.serialize import from_json, to_json
from control.bulletins.signing import check_code, sign_bulletin
from control.bulletins.verify import check_pdf
from control.bulletins.wording import bulletin_rows, code_rows
from control.pades.certs import SigningIdentity
from control.rules.natinf import NATINF_20525, NATINF_32083
from control.services.bulletins import build
from control.services.findings import ControlFinding, Source
from control.storage.controls import Control, ControlKind
from control.storage.users import Role, User
from control.verify.keys import PrivateKey
from tests.bulletins.test_pdf import printed_text

AGENT = User(17, "agent17", "Agent 17", Role.AGENT, True)
CONTROL = Control(
    17, ControlKind.ELECTRONIC, datetime(2026, 11, 25, 9, 40, tzinfo=UTC), "69", "Vénissieux"
)


def draft(**fields: object) -> dict[str, object]:
    return {
        "control_date": "2026-11-25",
        "start_time": "10:40",
        "end_time": "11:05",
        "departement": "69",
        "commune": "Vénissieux",
        "family_name": "Essai",
        "given_name": "Conducteur",
        "siren": "298412974",
        "plate": "BS-286-TW",
        "transport_kind": "interieur",
        "hand_over": "papier",
        **fields,
    }


def finding(key: str, natinf: str, *dates: date, retained: bool = True) -> ControlFinding:
    return ControlFinding(
        key, natinf, "titre court", dates, "explication", Source.RECORD, retained, True
    )


def issued_bulletin() -> Bulletin:
    findings = [
        finding("qr-0", "20525", date(2026, 11, 10), date(2026, 11, 11)),
        finding("qr-1", "32083", date(2026, 11, 7)),  # set aside by the agent
    ]
    return build(draft(kept=["qr-0"], extra_natinf="99999"), CONTROL, AGENT, (), findings)


def flat(pdf: bytes) -> str:
    return " ".join(printed_text(pdf).split())


def test_a_retained_finding_carries_its_natinf_line_from_the_catalogue() -> None:
    retained, manual = issued_bulletin().infractions
    assert retained == Infraction(
        "20525",
        4,
        1,
        (date(2026, 11, 10), date(2026, 11, 11)),
        NATINF_20525.qualification,
        (),
        NATINF_20525.defined_by,
        NATINF_20525.punished_by,
        True,
    )
    assert retained.nature == "Contravention de 4e classe"
    assert retained.fine == "750 € au plus, par salarié concerné"
    # a manual code the catalogue does not hold: a neutral label, no texts, no fine
    assert manual.natinf == "99999"
    assert manual.qualification == "Infraction NATINF 99999"
    assert (manual.klass, manual.defined_by, manual.punished_by, manual.legal) == (None, (), (), ())
    assert manual.nature == manual.fine == ""


def test_the_printed_pdf_reads_like_a_proces_verbal(service_key: PrivateKey) -> None:
    bulletin = issued_bulletin()
    text = flat(render_pdf(bulletin, sign_bulletin(bulletin, service_key)))
    for expected in (
        "Contravention de 4e classe",
        NATINF_20525.qualification,
        "Prévue par : " + " ; ".join(NATINF_20525.defined_by),
        "Réprimée par : " + " ; ".join(NATINF_20525.punished_by),
        "du 10/11/2026 au 11/11/2026",  # one offence over a night
        "750 € au plus, par salarié concerné",
        "Infraction NATINF 99999",
        "Code pénal, art. 131-41",
    ):
        assert expected in text, expected
    assert NATINF_32083.qualification not in text  # the finding set aside is not printed


def test_a_fine_without_a_per_employee_rule_says_so_plainly(service_key: PrivateKey) -> None:
    night = Infraction.of("32083", (date(2026, 11, 7),))
    assert night.per_employee is None
    assert night.fine == "1\u202f500 € au plus"
    bulletin = issued_bulletin()
    night_only = replace(bulletin, infractions=(night,))
    text = flat(render_pdf(night_only, sign_bulletin(night_only, service_key)))
    assert "Contravention de 5e classe" in text
    assert "1 500 € au plus" in text
    assert "par salarié" not in text


def test_the_check_shows_the_natinf_line_from_the_signed_bytes(
    service_key: PrivateKey, pdf_identity: SigningIdentity
) -> None:
    bulletin = issued_bulletin()
    checked = check_pdf(
        issue_pdf(bulletin, sign_bulletin(bulletin, service_key), pdf_identity),
        pdf_identity.roots(),
    )
    assert checked.valid, checked.reason
    assert checked.bulletin == bulletin
    said = dict(bulletin_rows(checked.bulletin))["Infraction 1"]
    assert "contravention de 4e classe" in said
    assert "prévue par : C. transports, art. R. 3312-13" in said
    assert "réprimée par : C. transports, art. R. 3315-5 al. 1" in said
    assert "amende encourue : 750 € au plus, par salarié concerné" in said


# A bulletin's content as stored and signed before the NATINF texts: no defined_by,
# punished_by nor per_employee, the rule's texts under `legal`.
LEGACY = {
    "agent": "A17",
    "commune": "Vénissieux",
    "company": {
        "activity": "marchandises",
        "address": "1 rue des Essais, Lyon",
        "certified_copy": "",
        "licence": "2020/69/0001234",
        "name": "Fret Vercors P",
        "siren": "298412974",
    },
    "control_date": "2026-11-25",
    "departement": "69",
    "driver": {
        "birth_date": "1976-02-20",
        "family_name": "Faure",
        "given_name": "Thierry",
        "nationality": "FRA",
    },
    "end_time": "11:05:00",
    "hand_over": "papier",
    "infractions": [
        {
            "count": 1,
            "dates": ["2026-11-07"],
            "klass": 5,
            "legal": ["Code des transports, art. L. 3312-1"],
            "natinf": "32083",
            "qualification": "Dépassement de la durée de travail quotidien (travail de nuit)",
        },
        {
            "count": 1,
            "dates": ["2026-11-10", "2026-11-11"],
            "klass": 4,
            "legal": ["Code des transports, art. R. 3312-51"],
            "natinf": "20525",
            "qualification": "Repos quotidien insuffisant",
        },
    ],
    "issued_at": "2026-11-25T10:10:00+00:00",
    "number": "000042-2026-A17",
    "observations": "Conducteur coopératif.",
    "place": "A7, aire de Solaize",
    "previous_version": None,
    "start_time": "10:40:00",
    "transport": {
        "destination": "Grenoble",
        "goods": "colis",
        "kind": "interieur",
        "origin": "Lyon",
    },
    "version": 1,
    "vehicle": {
        "actual_weight_t": None,
        "country": "F",
        "empty_weight_t": None,
        "immobilised": False,
        "max_weight_t": 3.5,
        "plate": "BS-286-TW",
    },
}
LEGACY_BYTES = json.dumps(
    LEGACY, sort_keys=True, ensure_ascii=False, separators=(",", ":")
).encode()


def test_a_legacy_bulletin_reads_back_to_the_bytes_it_was_signed_over() -> None:
    legacy = from_json(json.loads(LEGACY_BYTES))
    assert [i.defined_by for i in legacy.infractions] == [(), ()]
    assert [i.per_employee for i in legacy.infractions] == [None, None]
    assert canonical_json(legacy) == LEGACY_BYTES  # same digest as when it was signed
    assert to_json(legacy) == LEGACY
    assert digest(legacy).hex() == hashlib.sha256(LEGACY_BYTES).hexdigest()


def test_a_legacy_bulletin_still_renders_and_verifies(
    service_key: PrivateKey, pdf_identity: SigningIdentity
) -> None:
    legacy = from_json(LEGACY)
    code = sign_bulletin(legacy, service_key)  # what the service signed back then
    checked = check_code(code, [service_key.public])
    assert checked.valid
    assert checked.fields is not None
    assert checked.fields.natinf == ("32083", "20525")
    assert checked.fields.sha256 == digest(legacy)
    assert dict(code_rows(checked.fields))["NATINF relevés"] == "32083, 20525"

    pdf = issue_pdf(legacy, code, pdf_identity)
    assert PdfReader(io.BytesIO(pdf)).attachments[DATA_NAME] == [LEGACY_BYTES]
    result = check_pdf(pdf, pdf_identity.roots())
    assert result.valid, result.reason
    assert result.bulletin == legacy
    text = flat(pdf)
    assert "Repos quotidien insuffisant" in text
    assert "Textes : Code des transports, art. R. 3312-51" in text
    assert "Contravention de 4e classe" in text
    assert "Prévue par" not in text  # a legacy bulletin never said it
    rows = dict(bulletin_rows(result.bulletin))
    assert rows["Infraction 2"] == (
        "NATINF 20525, classe 4, 1 fois (10/11/2026, 11/11/2026) : Repos quotidien insuffisant"
        " — textes : Code des transports, art. R. 3312-51"
    )
