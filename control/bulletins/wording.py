"""Every signed field of a bulletin said in French, one (label, value) row each: what the
check page and the CLI show, so a person compares them with the sheet in hand."""

from __future__ import annotations

from datetime import date

from control.bulletins.model import HAND_OVER_LABELS, TRANSPORT_LABELS, Bulletin, Infraction
from control.bulletins.signing import SignedFields
from control.rules.french import day
from control.rules.timeline import PARIS

Row = tuple[str, str]


def _dmy(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _weight(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} t".replace(".", ",")


def _infraction(infraction: Infraction) -> str:
    """A bulletin issued before the NATINF texts (or a code outside the catalogue) is said as
    it was then; a later one as a procès-verbal: nature, texts that define and punish, fine."""
    dates = ", ".join(_dmy(d) for d in infraction.dates) or "—"
    if not infraction.defined_by and not infraction.punished_by:
        klass = f"classe {infraction.klass}" if infraction.klass else "classe —"
        legal = " ; ".join(infraction.legal) or "—"
        return (
            f"NATINF {infraction.natinf}, {klass}, {infraction.count} fois ({dates}) : "
            f"{infraction.qualification} — textes : {legal}"
        )
    nature = infraction.nature.lower() or "classe —"
    said = (
        f"NATINF {infraction.natinf}, {nature}, {infraction.count} fois ({infraction.when}) : "
        f"{infraction.qualification} — prévue par : {' ; '.join(infraction.defined_by) or '—'}"
        f" — réprimée par : {' ; '.join(infraction.punished_by) or '—'}"
    )
    if infraction.legal:
        said += f" — textes : {' ; '.join(infraction.legal)}"
    if infraction.fine:
        said += f" — amende encourue : {infraction.fine}"
    return said


def bulletin_rows(b: Bulletin) -> list[Row]:
    issued = b.issued_at.astimezone(PARIS)
    version = f"{b.version}" + (
        f" (corrige la version {b.previous_version})" if b.previous_version else ""
    )
    rows: list[Row] = [
        ("Numéro", b.number),
        ("Version", version),
        ("Émis le", f"{_dmy(issued)} à {issued.strftime('%H h %M')}"),
        ("Date du contrôle", day(b.control_date)),
        ("Horaires", f"de {b.start_time.strftime('%H h %M')} à {b.end_time.strftime('%H h %M')}"),
        ("Lieu", f"{b.commune} ({b.departement})" + (f", {b.place}" if b.place else "")),
        ("Agent", b.agent),
        ("Conducteur", b.driver.full_name),
        ("Date de naissance", _dmy(b.driver.birth_date) if b.driver.birth_date else "—"),
        ("Nationalité", b.driver.nationality),
        ("SIREN ou TVA intracommunautaire", b.company.siren),
        ("Raison sociale", b.company.name or "—"),
        ("Adresse de l'entreprise", b.company.address or "—"),
        ("Activité", b.company.activity or "—"),
        ("Licence", b.company.licence or "—"),
        ("Copie conforme", b.company.certified_copy or "—"),
        ("Trajet", f"{b.transport.origin or '—'} → {b.transport.destination or '—'}"),
        ("Type de transport", TRANSPORT_LABELS[b.transport.kind]),
        ("Marchandises", b.transport.goods or "—"),
        ("Véhicule", f"{b.vehicle.plate} ({b.vehicle.country})"),
        (
            "Poids (PV / PTAC / réel)",
            " / ".join(
                _weight(w)
                for w in (
                    b.vehicle.empty_weight_t,
                    b.vehicle.max_weight_t,
                    b.vehicle.actual_weight_t,
                )
            ),
        ),
        ("Immobilisation", "oui" if b.vehicle.immobilised else "non"),
        ("Remise", HAND_OVER_LABELS[b.hand_over]),
        ("Nombre d'infractions", str(len(b.infractions))),
    ]
    rows += [(f"Infraction {i}", _infraction(x)) for i, x in enumerate(b.infractions, 1)]
    rows.append(("Observations", b.observations or "Aucune."))
    return rows


def code_rows(fields: SignedFields) -> list[Row]:
    """What a `BDC1:` code carries: these fields only, not the rest of the sheet."""
    issued = fields.issued_at.astimezone(PARIS)
    try:
        control_date = day(date.fromisoformat(fields.control_date))
    except ValueError:
        control_date = fields.control_date
    return [
        ("Numéro", fields.number),
        ("Version", str(fields.version)),
        ("Émis le", f"{_dmy(issued)} à {issued.strftime('%H h %M')}"),
        ("Date du contrôle", control_date),
        ("SIREN ou TVA intracommunautaire", fields.company),
        ("Véhicule", fields.plate),
        ("Conducteur", fields.driver),
        ("NATINF relevés", ", ".join(fields.natinf) or "aucun"),
        ("Empreinte du contenu (SHA-256)", fields.sha256.hex()),
    ]
