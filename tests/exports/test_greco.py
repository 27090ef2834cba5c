"""GRECO's XML document for one control: every field read back against the control, the
reference's structure (golden file), the refusals and hostile text."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from lxml import etree

from control.exports.greco import file_name, greco_control
from control.exports.greco_xml import document
from control.record.json_form import record_to_json
from control.rules.natinf import qualification
from control.services.errors import RefusedError
from control.storage.controls import Control, ControlKind, KeptFinding
from control.storage.users import Identity
from tests.rules.builder import MAIN, day, record

GOLDEN = Path(__file__).with_name("greco_golden.xml")
CONTROLLER = Identity(given_name="Élodie", family_name="Martin-Durand", matricule="RIO-12345")
RECORD = record(
    day("2026-11-10 06:00", "driving 4h", "break 45m", "work 8h30"),
    day("2026-11-11 05:30", "driving 4h", "break 45m", "work 4h"),
    day("2026-11-12 07:00", "driving 6h", "work 1h"),
)


def control(**changes: object) -> Control:
    """A synthetic electronic control: three findings (two retained), two added codes (one
    already retained)."""
    values: dict[str, object] = {
        "id": 42,
        "agent_id": 7,
        "kind": ControlKind.ELECTRONIC,
        "occurred_at": datetime(2026, 11, 25, 9, 40, tzinfo=UTC),  # 10:40 in Paris
        "departement": "69",
        "commune": "Vénissieux",
        "place": "A7, aire de Solaize",
        "plate": "AB-123-CD",
        "verdict": "valid",
        "notes": "Conducteur coopératif.",
        "driver_name": "Alex Testeur",
        "employer_siren": MAIN,
        "employer_name": "Transports Essai",
        "record": record_to_json(RECORD),
        "findings": (
            KeptFinding("11292", "daily-work", ("2026-11-10",), "12 h 45 de travail.", True),
            KeptFinding("35187", "breaks", ("2026-11-12",), "Pause manquante.", False),
            KeptFinding("20525", "daily-rest", ("2026-11-10", "2026-11-11"), "Repos de 8 h.", True),
        ),
        "manual_natinf": ("23103", "11292"),
    }
    values.update(changes)
    return Control(**values)  # type: ignore[arg-type]


def parsed(built: Control, controller: Identity = CONTROLLER) -> etree._Element:
    return etree.fromstring(document(greco_control(built, controller, "000123-2026-A0007")))


def text(element: etree._Element, path: str) -> str | None:
    """The `content` of a `<field><content>` element, by path."""
    found = element.find(f"{path}/content")
    assert found is not None, path
    return found.text


def moment(element: etree._Element, path: str) -> tuple[int, ...]:
    content = element.find(f"{path}/content")
    assert content is not None, path
    return tuple(int(part.text or "") for part in content)


def test_every_field_says_what_the_control_holds() -> None:
    root = parsed(control())
    assert root.tag == "ValueSpace"
    assert [child.tag for child in root][:4] == ["Controle", "Entreprise", "Conducteur", "Vehicule"]
    c = root.find("Controle")
    assert c is not None
    assert moment(c, "controleDate") == (2026, 11, 25, 10, 40)  # Paris time
    assert text(c, "lieuDepartement_Code") == "69"
    assert text(c, "lieuDescription") == "A7, aire de Solaize"
    assert text(c, "lieuCommune_Intitule") == "Vénissieux"
    assert text(c, "controleur_Nom") == "MARTIN-DURAND"
    assert text(c, "controleur_Prenom") == "Élodie"
    assert text(c, "controleur_Identification") == "RIO-12345"
    assert text(c, "immatriculation") == "AB-123-CD"
    assert text(c, "observationBulletinControle") == "Conducteur coopératif."
    assert text(c, "numeroBDC") == "000123-2026-A0007"
    start, end = RECORD.window_start, RECORD.window_end
    assert moment(c, "debutPeriodeControle") == (start.year, start.month, start.day, 0, 0)
    assert moment(c, "finPeriodeControle") == (end.year, end.month, end.day, 0, 0)
    assert (end - start).days == 27
    assert text(c, "nbjouractivites") == "3"
    company = root.find("Entreprise")
    assert company is not None
    assert text(company, "raisonSociale") == "Transports Essai"
    assert text(company, "numeroSIREN") == MAIN
    driver = root.find("Conducteur")
    assert driver is not None
    assert (text(driver, "nom"), text(driver, "prenom")) == ("Testeur", "Alex")
    assert moment(driver, "naissance") == (1990, 1, 1, 0, 0)
    vehicle = root.find("Vehicule")
    assert vehicle is not None
    assert text(vehicle, "immatriculation") == "AB-123-CD"


def test_each_retained_infraction_with_its_natinf_words_and_dates() -> None:
    root = parsed(control())
    infractions = root.findall("Infraction")
    # retained findings in order, then the added code not already retained; 35187 discarded
    assert [text(i, "nATINF") for i in infractions] == ["11292", "20525", "23103"]
    assert [text(i, "intitule") for i in infractions] == [
        qualification(code) for code in ("11292", "20525", "23103")
    ]
    # a finding runs from its first day's first activity to its last day's last one
    assert moment(infractions[0], "debut") == (2026, 11, 10, 6, 0)
    assert moment(infractions[0], "fin") == (2026, 11, 10, 19, 15)
    assert moment(infractions[1], "debut") == (2026, 11, 10, 6, 0)
    assert moment(infractions[1], "fin") == (2026, 11, 11, 14, 15)
    # an added code: the control's moment
    assert moment(infractions[2], "debut") == moment(infractions[2], "fin") == (
        2026, 11, 25, 10, 40,
    )  # fmt: skip
    assert text(infractions[0], "objet") == "12 h 45 de travail."
    recaps = root.findall("RecapInfraction")
    assert [text(r, "nATINF") for r in recaps] == ["11292", "20525", "23103"]
    assert [text(r, "gravite") for r in recaps] == ["4ÈME CLASSE"] * 3


def test_the_ids_link_control_driver_infractions_and_recaps() -> None:
    root = parsed(control())
    recap_ids = [r.findtext("id/DbValue") for r in root.findall("RecapInfraction")]
    assert recap_ids == ["1001000001", "1001000002", "1001000003"]
    listed = root.findall("Controle/rRecapInfraction/content/idlist/id/DbValue")
    assert [e.text for e in listed] == recap_ids
    of_driver = root.findall("Conducteur/rInfraction/content/idlist/id/DbValue")
    assert [e.text for e in of_driver] == recap_ids
    assert [text(i, "inf_ID") for i in root.findall("Infraction")] == ["0001", "0002", "0003"]
    assert [text(r, "rI_ID") for r in root.findall("RecapInfraction")] == ["0001", "0002", "0003"]
    driver_id = root.findtext("Conducteur/id/DbValue")
    assert {i.findtext("rConducteur/id/DbValue") for i in root.findall("Infraction")} == {driver_id}
    # Infraction then its recap, per infraction, as the reference writes them
    tags = [child.tag for child in root][4:]
    assert tags == ["Infraction", "RecapInfraction"] * 3


def test_without_infraction_the_control_lists_none() -> None:
    root = parsed(control(findings=(), manual_natinf=()))
    assert root.find("Controle/rRecapInfraction") is None
    assert root.findall("Conducteur/rInfraction/content/idlist/id") == []
    assert root.find("Infraction") is None


def test_the_document_matches_the_reviewed_golden_file() -> None:
    """tests/exports/greco_golden.xml, reviewed element by element against Mobilic's
    `app/helpers/xml/greco.py` (MTES-MCT/mobilic-api):

    Checked the same: root `ValueSpace`; `Controle`, `Entreprise`, `Conducteur`, `Vehicule`,
    then `Infraction` + `RecapInfraction` per infraction; every child name and its order in
    each of them; `<name><content>` fields, empty `<content />` for a blank; moments as
    Year/Month/Day/Hour/Min unpadded, days (period, birth date) with Hour and Min 0, the
    "unknown" dates as 1899-12-30 without Hour/Min; the constants (civilité "-", pays
    "F - France"/"F", nationalité "France", N3/TRR, silhouette "Autres", typeRemorque -1,
    typeTachygraphe 2, flags 0/1 as there); ids `100100` + a 4-digit number linking
    `rRecapInfraction`, `rInfraction` and `RecapInfraction/id`, driver id `0000000001`; no
    XML declaration, ASCII bytes with character references.

    Different on purpose: `controleDate` in Paris time (Mobilic writes its stored time);
    `lieuDepartement_Intitule` holds the code (no name table here); the GRECO place codes
    (`lieuAire_*`, `lieuType`, postal code) are blank (Contrôle LIC has no GRECO place
    list); `transportType` -1 (unknown); `immobilisation` 0 and `pVouAF` blank; `gravite`
    from the NATINF class (Mobilic writes 4ÈME CLASSE for all); `objet` is the rule's
    explanation of the finding; 13152 is exported when retained (Mobilic skips it).
    The golden file is the document indented (lxml) so that a change reads as a diff;
    regenerate it with GRECO_GOLDEN=write, then review the diff the same way.
    """
    written = document(greco_control(control(), CONTROLLER, "000123-2026-A0007"))
    indented = etree.tostring(etree.fromstring(written), pretty_print=True)  # to review diffs
    if os.environ.get("GRECO_GOLDEN") == "write":
        GOLDEN.write_bytes(indented)
    assert indented == GOLDEN.read_bytes()
    assert not written.startswith(b"<?xml")
    assert written.isascii()
    assert b"\n" not in written  # the document itself is on one line, as the reference's


def test_missing_fields_are_refused_all_named_at_once() -> None:
    bare = control(place=" ", employer_siren="123456789")
    with pytest.raises(RefusedError) as refused:
        greco_control(bare, Identity(given_name="Élodie"), "")
    message = refused.value.message
    assert message.startswith("Export GRECO impossible : il manque ")
    for said in (
        "le RIO / matricule du contrôleur (à saisir par l'administrateur)",
        "le nom du contrôleur",
        "un SIREN valide de l'entreprise",  # 123456789 fails the key
    ):
        assert said in message
    assert "prénom du contrôleur" not in message
    assert "lieu" not in message  # optional on the control form: never a dead end
    assert set(refused.value.fields) == {"controller_id", "controller_family_name", "siren"}


def test_a_control_recorded_without_its_place_is_exported_with_a_blank_one() -> None:
    exported = greco_control(control(place=""), CONTROLLER)
    assert exported.place == ""
    assert exported.commune == "Vénissieux"


def test_a_record_that_cannot_be_read_is_refused_saying_so() -> None:
    broken = record_to_json(RECORD)
    del broken["driver"]["birth_date"]
    with pytest.raises(RefusedError, match="relevé du LIC électronique n'a pas pu être lu"):
        greco_control(control(record=broken), CONTROLLER)
    with pytest.raises(RefusedError, match="relevé"):
        greco_control(control(record=None), CONTROLLER)


def test_a_code_not_found_authentic_establishes_no_driver() -> None:
    for verdict in ("revoked-key", "bad-signature", "key-not-valid-at-iat", None):
        with pytest.raises(RefusedError, match="n'a pas été reconnu authentique"):
            greco_control(control(verdict=verdict), CONTROLLER)
    # synced from a tablet: valid at the control's moment, revoked at reception
    later = control(verdict="revoked-key", offline_verdict="valid")
    assert greco_control(later, CONTROLLER).driver_family_name == "Testeur"


def test_an_expired_code_is_exported_its_record_is_the_issuers() -> None:
    """The code made three days ago: genuine but stale, a finding in itself; GRECO takes it."""
    assert greco_control(control(verdict="expired"), CONTROLLER).driver_family_name == "Testeur"


@pytest.mark.parametrize("kind", [ControlKind.PAPER, ControlKind.NONE, ControlKind.SCHEDULE])
def test_other_kinds_are_refused_with_the_reason(kind: ControlKind) -> None:
    with pytest.raises(RefusedError, match="seul un contrôle de LIC électronique") as refused:
        greco_control(control(kind=kind, record=None), CONTROLLER)
    assert "date de naissance" in refused.value.message


def test_the_file_name_follows_mobilics_convention() -> None:
    """Initials as the reference takes them: the first letter of each space-separated word
    of "given family" (a hyphenated name is one word)."""
    values = greco_control(control(), CONTROLLER)
    assert file_name(values) == "R69EM202611251040AB-123-CD.xml"
    summer = greco_control(
        control(occurred_at=datetime(2026, 7, 1, 8, 5, tzinfo=UTC), departement="1"), CONTROLLER
    )
    assert file_name(summer) == "R01EM202607011005AB-123-CD.xml"  # CEST: UTC + 2


def test_a_hostile_plate_or_name_never_makes_a_path() -> None:
    values = greco_control(control(plate="../../etc/x y\\z.xml"), CONTROLLER)
    name = file_name(values)
    assert name == "R69EM202611251040ETCXYZXML.xml"
    odd = replace(values, controller_given_name="<é>", controller_family_name="/.. x")
    assert file_name(odd) == "R69X202611251040ETCXYZXML.xml"


def test_hostile_text_is_escaped_and_forbidden_characters_dropped() -> None:
    notes = 'a < b && c > d ]]> "q" \x00\x07\x1b\ufffe\ud800 fin\ttab\nligne'
    root = parsed(control(notes=notes, place="<Aire/> & co", commune="Lyon\x0c"))
    c = root.find("Controle")
    assert c is not None
    assert text(c, "observationBulletinControle") == 'a < b && c > d ]]> "q"  fin\ttab\nligne'
    assert text(c, "lieuDescription") == "<Aire/> & co"
    assert text(c, "lieuCommune_Intitule") == "Lyon"
    raw = document(greco_control(control(notes=notes), CONTROLLER))
    assert b"a &lt; b &amp;&amp; c &gt; d" in raw
    assert b"\x00" not in raw
    assert b"\x1b" not in raw


def test_birth_date_and_days_are_unpadded_numbers() -> None:
    root = parsed(control())
    birth = root.find("Conducteur/naissance/content")
    assert birth is not None
    assert [(p.tag, p.text) for p in birth] == [
        ("Year", "1990"), ("Month", "1"), ("Day", "1"), ("Hour", "0"), ("Min", "0"),
    ]  # fmt: skip
    unknown = root.find("Entreprise/ent_AutoDate/content")
    assert unknown is not None
    assert [(p.tag, p.text) for p in unknown] == [("Year", "1899"), ("Month", "12"), ("Day", "30")]
    assert date(1990, 1, 1) == RECORD.driver.birth_date
