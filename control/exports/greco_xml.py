"""GRECO's XML document for one control, written with the standard library.

The shape is Mobilic's (MTES-MCT/mobilic-api, `app/helpers/xml/greco.py`): a `ValueSpace`
root holding `Controle`, `Entreprise`, `Conducteur`, `Vehicule`, then an `Infraction` and a
`RecapInfraction` per infraction, linked by ids. Every field is `<name><content>text
</content></name>`; a moment is `<name><content><Year/><Month/><Day/><Hour/><Min/>
</content></name>` (numbers unpadded); a date GRECO wants "unknown" is 30/12/1899 without
hour. As the reference, no XML declaration and ASCII bytes (other characters as character
references): any XML reader takes it as UTF-8. The constants are the reference's.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import date, datetime

from control.exports.greco import GrecoControl, GrecoInfraction

NO_DATE = date(1899, 12, 30)  # what GRECO reads as "no date" (the reference's placeholder)
DRIVER_ID = "0000000001"  # the one driver of the document, as the infractions name him
TRANSPORT_UNKNOWN = "-1"
TACHOGRAPH_NONE = "2"  # 0 analogue, 1 digital, 2 none, 3 both: a LIC is kept without one
# XML 1.0 forbids these characters even as references: a stored text loses them.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

Value = str | date | None  # text; a moment (datetime) or a day; None: GRECO's "no date"


def clean(text: str) -> str:
    """Text GRECO can read: the characters XML 1.0 forbids removed (escaping is the
    serializer's)."""
    return FORBIDDEN.sub("", text)


def _fields(parent: ET.Element, fields: Iterable[tuple[str, Value]]) -> None:
    for name, value in fields:
        content = ET.SubElement(ET.SubElement(parent, name), "content")
        if isinstance(value, str):
            if value:
                content.text = clean(value)
            continue
        day = NO_DATE if value is None else value
        for part, number in (("Year", day.year), ("Month", day.month), ("Day", day.day)):
            ET.SubElement(content, part).text = str(number)
        if value is not None:  # a day alone is at 0:00, as in the reference
            moment = value if isinstance(value, datetime) else None
            ET.SubElement(content, "Hour").text = str(moment.hour if moment else 0)
            ET.SubElement(content, "Min").text = str(moment.minute if moment else 0)


def _ids(parent: ET.Element, name: str, ids: Iterable[str]) -> None:
    """`<name><content><idlist><id><DbValue>…` — how a record points at infractions."""
    idlist = ET.SubElement(ET.SubElement(ET.SubElement(parent, name), "content"), "idlist")
    for value in ids:
        ET.SubElement(ET.SubElement(idlist, "id"), "DbValue").text = value


def _db_id(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(ET.SubElement(parent, name), "DbValue").text = value


def short_id(position: int) -> str:
    """The n-th infraction's own number: `0001`…"""
    return f"{position:04d}"


def infraction_id(position: int) -> str:
    """The id linking the n-th infraction, its recap, the driver and the control."""
    return f"100100{short_id(position)}"


def gravity(infraction: GrecoInfraction) -> str:
    """GRECO's class wording (the reference writes `4ÈME CLASSE`); blank when unknown."""
    return f"{infraction.klass}ÈME CLASSE" if infraction.klass else ""


def document(control: GrecoControl) -> bytes:
    root = ET.Element("ValueSpace")
    ids = [infraction_id(n) for n in range(1, len(control.infractions) + 1)]
    _control(root, control, ids)
    _company(root, control)
    _driver(root, control, ids)
    _vehicle(root, control)
    for position, infraction in enumerate(control.infractions, start=1):
        _infraction(root, infraction, position)
    return bytes(ET.tostring(root, encoding="us-ascii", xml_declaration=False))


def _control(root: ET.Element, c: GrecoControl, ids: list[str]) -> None:
    element = ET.SubElement(root, "Controle")
    period = c.period
    _fields(element, [
        ("controleDate", c.occurred_at),
        ("lieuDepartement_Intitule", c.departement),
        ("lieuDepartement_Code", c.departement.zfill(2)),
        ("lieuVoie", ""),
        ("lieuDescription", c.place),
        ("controleur_Civilite", "-"),
        ("controleur_Nom", c.controller_family_name.upper()),
        ("controleur_Prenom", c.controller_given_name),
        ("controleur_Identification", c.controller_id),
        ("lieuAire_Code", ""),
        ("lieuType", ""),
        ("lieuTypeVoie", ""),
        ("lieuAire_Intitule", ""),
        ("lieuAire_TypeLieu", ""),
        ("lieuCommune_Intitule", c.commune),
        ("lieuCommune_CodePostal", ""),
        ("immatriculation", c.plate),
        ("debutPeriodeControle", period.start),
        ("transportExceptionnel", "0"),
        ("transportType", TRANSPORT_UNKNOWN),
        ("pesee", "0"),
        ("cT3Mois", "0"),
        ("observationBulletinControle", c.notes),
        ("numeroBDC", c.bulletin_number),
        ("typeTachygraphe", TACHOGRAPH_NONE),
        ("finPeriodeControle", period.end),
        ("nbjouractivites", str(period.worked_days)),
        ("default_Vehicule_MarchandiseDangereuse", "0"),
    ])  # fmt: skip
    if ids:
        _ids(element, "rRecapInfraction", ids)


def _company(root: ET.Element, c: GrecoControl) -> None:
    element = ET.SubElement(root, "Entreprise")
    _fields(element, [
        ("raisonSociale", c.company_name),
        ("numeroSIREN", c.siren),
        *[(name, "") for name in (
            "adresseLigne1", "adresseLigne2", "adresseCPostal", "adresseVille",
            "licenceComNumero", "licenceComCopieNumero", "licenceIntNumero",
            "licenceIntCopieNumero", "numeroNic", "typeActivite", "modeFonctionnement",
            "contactFonction", "contactNom", "contactPrenom", "contactTitre", "dirigeantNom",
            "dirigeantPrenom")],
        ("pays", "F - France"),
        ("pays_ID", "F"),
        ("resultatGrecoCommunautaire", ""),
        ("resultatGrecoInterieure", ""),
        ("ent_LicenceComInconnue", "1"),
        ("ent_LicenceComValidite", None),
        ("ent_AutoType", ""),
        ("ent_AutoNum", ""),
        ("ent_AutoDate", None),
    ])  # fmt: skip


def _driver(root: ET.Element, c: GrecoControl, ids: list[str]) -> None:
    element = ET.SubElement(root, "Conducteur")
    _db_id(element, "id", DRIVER_ID)
    _fields(element, [
        ("nom", c.driver_family_name),
        ("prenom", c.driver_given_name),
        ("naissance", c.driver_birth_date),
        ("nationalite", "France"),
        *[(name, "") for name in (
            "permisNumero", "permisPays", "permisAutorite", "dCNumero", "dCDateFinValidite",
            "civilite", "permisCategorie", "octetcndlieunais", "octetcndloca", "octetcndadre",
            "octetcndcmpl", "octetcndcodp", "octetcndcomu")],
        ("datepermis", None),
        ("fIMO", "0"),
        ("fCOS", "0"),
        ("aDR", "0"),
        ("carteQualification_Numero", ""),
        ("carteQualification_FinValidite", None),
        ("carteFormation_Disponible", "1"),
        ("carteFormation_FinValidite", None),
    ])  # fmt: skip
    _ids(element, "rInfraction", ids)


TRAILERS = (1, 2, 3)


def _vehicle(root: ET.Element, c: GrecoControl) -> None:
    element = ET.SubElement(root, "Vehicule")
    _fields(element, [
        ("pays", "F - France"),
        ("immatriculation", c.plate),
        ("categoriePoids", "N3"),
        ("categorieVehicule", "TRR"),
        *[(name, "") for name in (
            "remorque1Immatriculation", "remorque2Immatriculation", "remorque1Pays",
            "remorque2Pays", "proprietaireSIREN", "proprietaireRaisonSociale")],
        ("marchandiseDangereuse", "0"),
        ("provenance", ""),
        ("destination", ""),
        ("remorque3Immatriculation", ""),
        ("remorque3Pays", ""),
        ("typeRemorque", "-1"),
        ("silhouette", "Autres"),
        *[(f"remorque{n}VIN", "") for n in TRAILERS],
        ("marque", ""),
        *[(f"remorque{n}Marque", "") for n in TRAILERS],
        *[(f"octetvehctr{w}", "0") for w in ("poidvide", "ptac", "ptra")],
        *[(f"remorque{n}{w}", "0") for n in TRAILERS for w in ("poidvide", "ptac", "ptra")],
        ("datePremiereMiseEnCirculation_Value", None),
        ("dateProchaineControleTechnique_Value", None),
        *[(f"dateControleRemorque{n}_Value", None) for n in TRAILERS],
        ("nbPersonnesOuNatureMarchandise", ""),
        *[(f"vE_CatInterRemorque{n}", "") for n in TRAILERS],
        *[(f"vE_DateCirculationRemorque{n}_Value", None) for n in TRAILERS],
    ])  # fmt: skip
    ET.SubElement(element, "ControleTechnique")


def _infraction(root: ET.Element, infraction: GrecoInfraction, position: int) -> None:
    element = ET.SubElement(root, "Infraction")
    _fields(element, [
        ("intitule", infraction.label),
        ("flagOk", "1"),
        ("debut", infraction.start),
        ("fin", infraction.end),
        ("duree", "0"),
        ("norme", "0"),
        ("objet", infraction.subject),
        ("nATINF", infraction.natinf),
        ("inf_ID", short_id(position)),
    ])  # fmt: skip
    _db_id(ET.SubElement(element, "rConducteur"), "id", DRIVER_ID)
    recap = ET.SubElement(root, "RecapInfraction")
    _db_id(recap, "id", infraction_id(position))
    _fields(recap, [
        ("nATINF", infraction.natinf),
        ("nombre", "1"),
        ("aVerifier", "1"),
        ("consignation", "0"),
        ("immobilisation", "0"),
        ("nature", infraction.label),
        ("pVouAF", ""),
        ("numeroFeuillet", "0"),
        ("gravite", gravity(infraction)),
        ("rI_DureeImmo", ""),
        ("rI_ID", short_id(position)),
    ])  # fmt: skip
