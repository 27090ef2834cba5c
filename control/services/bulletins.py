"""Drafting, issuing and correcting a bulletin: the three steps' fields, their checks, and
the Bulletin built from them, prefilled from the control (its verified record, its findings
whatever their source). The form's pages and a tablet's sync both issue through here."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Engine

from control.bulletins.model import (
    Bulletin,
    BulletinDriver,
    Company,
    HandOver,
    Infraction,
    Transport,
    TransportKind,
    Vehicle,
    company_id_problem,
)
from control.bulletins.serialize import to_json
from control.fields import (
    NATINF,
    departement_problem,
    licence_problem,
    plate_problem,
    weight_problem,
)
from control.pades.certs import SigningIdentity
from control.rules.timeline import PARIS
from control.services.findings import ControlFinding, kept_keys
from control.storage.bulletins import StoredBulletin, issue_once
from control.storage.controls import Control
from control.storage.photos import annex, list_photos
from control.storage.users import User
from control.typed_time import DAY_HINT, clock_text, day_text, parse_clock, parse_day
from control.verify.keys import PrivateKey

STEPS = {
    1: ("Contrôle et conducteur", ("control_date", "start_time", "end_time", "departement",
        "commune", "place", "family_name", "given_name", "birth_date", "nationality")),
    2: ("Entreprise, transport et véhicule", ("siren", "company_name", "address", "activity",
        "licence", "certified_copy", "origin", "destination", "transport_kind", "goods",
        "plate", "country", "empty_weight", "max_weight", "actual_weight", "immobilised")),
    3: ("Infractions et remise", ("kept", "extra_natinf", "observations", "hand_over",
        "with_photos")),
}  # fmt: skip


class BulletinFields(BaseModel):
    """Every field of the bulletin form, bounded: the form's steps (STEPS groups them) and the
    tablet's sync send the same. A field left out keeps the draft's value."""

    model_config = ConfigDict(extra="forbid")

    control_date: str | None = Field(None, max_length=10)
    start_time: str | None = Field(None, max_length=5)
    end_time: str | None = Field(None, max_length=5)
    departement: str | None = Field(None, max_length=3)
    commune: str | None = Field(None, max_length=100)
    place: str | None = Field(None, max_length=200)
    family_name: str | None = Field(None, max_length=100)
    given_name: str | None = Field(None, max_length=100)
    birth_date: str | None = Field(None, max_length=10)
    nationality: str | None = Field(None, max_length=3)
    siren: str | None = Field(None, max_length=20)
    company_name: str | None = Field(None, max_length=200)
    address: str | None = Field(None, max_length=300)
    activity: str | None = Field(None, max_length=200)
    licence: str | None = Field(None, max_length=40)
    certified_copy: str | None = Field(None, max_length=40)
    origin: str | None = Field(None, max_length=100)
    destination: str | None = Field(None, max_length=100)
    transport_kind: str | None = Field(None, max_length=20)
    goods: str | None = Field(None, max_length=200)
    plate: str | None = Field(None, max_length=16)
    country: str | None = Field(None, max_length=3)
    empty_weight: str | None = Field(None, max_length=10)
    max_weight: str | None = Field(None, max_length=10)
    actual_weight: str | None = Field(None, max_length=10)
    immobilised: str | None = Field(None, max_length=3)
    kept: list[Annotated[str, Field(max_length=100)]] | None = Field(None, max_length=100)
    extra_natinf: str | None = Field(None, max_length=200)
    observations: str | None = Field(None, max_length=2000)
    hand_over: str | None = Field(None, max_length=20)
    with_photos: str | None = Field(None, max_length=3)


def bounded(step: int, form: dict[str, Any]) -> dict[str, str]:
    """French errors for a step's fields that exceed their bounds (before any other check)."""
    sent = {name: form[name] for name in STEPS[step][1] if name in form}
    try:
        BulletinFields.model_validate(sent)
    except ValidationError as error:
        return {str(e["loc"][0]): TOO_LONG for e in error.errors() if e["loc"]}
    return {}


TOO_LONG = "Saisie trop longue pour ce champ."


def agent_code(user: User) -> str:
    return f"A{user.id:04d}"


def prefill(control: Control, findings: list[ControlFinding]) -> dict[str, Any]:
    """The first draft: what the control already knows, the findings as decided or proposed."""
    local = control.occurred_at.astimezone(PARIS)
    names = control.driver_name.split(" ", 1)
    draft: dict[str, Any] = {
        "control_date": day_text(local.date()),
        "start_time": clock_text(local.time()),
        "end_time": clock_text(likely_end(local, datetime.now(PARIS)).time()),
        "departement": control.departement,
        "commune": control.commune,
        "place": control.place,
        "given_name": names[0] if len(names) > 1 else "",
        "family_name": names[-1],
        "birth_date": "",
        "nationality": "FRA",
        "siren": control.employer_siren,
        "company_name": control.employer_name,
        "plate": control.plate,
        "country": "F",
        "transport_kind": TransportKind.DOMESTIC.value,
        "hand_over": HandOver.PAPER.value,
        "kept": [f.key for f in findings if f.retained],
        "extra_natinf": ", ".join(control.manual_natinf),
        "observations": control.notes,
    }
    record = control.record
    if record:
        driver = record["driver"]
        draft.update(
            family_name=driver["family_name"],
            given_name=driver["given_name"],
            birth_date=french_day(driver["birth_date"]),
        )
        if not draft["plate"]:
            for day in reversed(record.get("days", [])):
                if day.get("vehicles"):
                    draft["plate"] = day["vehicles"][0]["plate"]
                    break
    return draft


TYPICAL_CONTROL = timedelta(minutes=30)


def likely_end(start: datetime, now: datetime) -> datetime:
    """When the control ended, for the form to propose: now, if the bulletin is written the
    same day a typical control's length or more after the start; else half an hour after it
    (never past midnight): a bulletin begun as the control is recorded would otherwise say
    "de 14 h 57 à 14 h 57"."""
    if now.date() == start.date() and now >= start + TYPICAL_CONTROL:
        return now
    end = start + TYPICAL_CONTROL
    return end if end.date() == start.date() else start.replace(hour=23, minute=59)


def correction_draft(
    control: Control, findings: list[ControlFinding], latest: StoredBulletin
) -> dict[str, Any]:
    """Version n+1's first draft: what version n said (the latest of its number), to change."""
    content = to_json(latest.bulletin)
    draft = prefill(control, findings)
    driver, company = content["driver"], content["company"]
    transport, vehicle = content["transport"], content["vehicle"]
    draft.update(
        control_date=french_day(content["control_date"]),
        start_time=content["start_time"][:5],
        end_time=content["end_time"][:5],
        place=content["place"],
        family_name=driver["family_name"],
        given_name=driver["given_name"],
        birth_date=french_day(driver["birth_date"] or ""),
        nationality=driver["nationality"],
        siren=company["siren"],
        company_name=company["name"],
        address=company["address"],
        activity=company["activity"],
        licence=company["licence"],
        certified_copy=company["certified_copy"],
        origin=transport["origin"],
        destination=transport["destination"],
        transport_kind=transport["kind"],
        goods=transport["goods"],
        plate=vehicle["plate"],
        country=vehicle["country"],
        observations=content["observations"],
        hand_over=content["hand_over"],
        corrects=str(latest.id),
    )
    return draft


def french_day(iso: str) -> str:
    """An ISO day (a record's, a signed bulletin's) as the form shows it: JJ/MM/AAAA."""
    try:
        return day_text(date.fromisoformat(iso))
    except ValueError:
        return iso  # not a day: shown as it is, for the agent to correct


UNKNOWN_FINDING = (
    "Infraction inconnue pour ce contrôle : rechargez le contrôle et choisissez à nouveau "
    "les infractions."
)


def kept_errors(draft: dict[str, Any], findings: list[ControlFinding]) -> dict[str, str]:
    """A key sent that is none of the control's findings (a tablet's, of another control or
    analysis): refused, since dropping it would issue a bulletin that says less than the
    agent decided."""
    known = {f.key for f in findings}
    if kept_keys([str(k) for k in draft.get("kept", [])]) - known:
        return {"kept": UNKNOWN_FINDING}
    return {}


def step_errors(step: int, draft: dict[str, Any]) -> dict[str, str]:
    """French messages for the step's fields (the full check runs again on issue)."""
    errors: dict[str, str] = {}
    if step == 1:
        # typed as the form asks (06/12/2026, 14h30) or ISO (the tablet's sync, old drafts)
        parsers = {"control_date": parse_day, "start_time": parse_clock, "end_time": parse_clock}
        for name, parse in parsers.items():
            try:
                parse(str(draft.get(name, "")))
            except ValueError as wrong:  # its message says the form expected, in French
                errors[name] = str(wrong)
        if str(draft.get("birth_date") or "").strip():
            try:
                parse_day(str(draft["birth_date"]))
            except ValueError:
                errors["birth_date"] = f"Date de naissance invalide. {DAY_HINT}."
        if problem := departement_problem(str(draft.get("departement", "")).upper()):
            errors["departement"] = problem
        if not str(draft.get("commune", "")).strip():
            errors["commune"] = "Indiquez la commune du contrôle."
        if not str(draft.get("family_name", "")).strip():
            errors["family_name"] = "Indiquez le nom du conducteur."
    elif step == 2:
        problem = company_id_problem(str(draft.get("siren", "")))
        if problem:
            errors["siren"] = problem
        if problem := licence_problem(str(draft.get("licence", ""))):
            errors["licence"] = problem
        if problem := plate_problem(str(draft.get("plate", "")).upper()):
            errors["plate"] = problem
        for name in ("empty_weight", "max_weight", "actual_weight"):
            try:
                tonnes = _weight(draft.get(name))
            except ValueError:
                tonnes = -1.0  # not a number: refused like an impossible weight
            if problem := weight_problem(tonnes):
                errors[name] = problem
        if draft.get("transport_kind") not in TransportKind._value2member_map_:
            errors["transport_kind"] = "Choisissez le type de transport."
    elif step == 3:
        for code in _extra(draft):
            if not NATINF.match(code):
                errors["extra_natinf"] = f"Code NATINF invalide : {code[:10]}."
        if draft.get("hand_over") not in HandOver._value2member_map_:
            errors["hand_over"] = "Choisissez le mode de remise."
    return errors


def _extra(draft: dict[str, Any]) -> list[str]:
    text = str(draft.get("extra_natinf", ""))
    return [c.strip() for c in text.replace(";", ",").split(",") if c.strip()]


def _weight(value: Any) -> float | None:
    text = str(value or "").replace(",", ".")
    return float(text) if text else None


def build(
    draft: dict[str, Any],
    control: Control,
    user: User,
    photos: tuple[bytes, ...],
    findings: list[ControlFinding],
) -> Bulletin:
    """The bulletin to issue (number and version are set when it is issued)."""
    kept = kept_keys([str(k) for k in draft.get("kept", [])])
    # each NATINF line as the catalogue words it: nature, qualification, texts, fine
    infractions = [Infraction.of(f.natinf, f.dates) for f in findings if f.key in kept]
    control_day = (parse_day(str(draft["control_date"])),)
    infractions += [Infraction.of(code, control_day) for code in _extra(draft)]
    birth = str(draft.get("birth_date") or "").strip()
    return Bulletin(
        number=f"000000-0000-{agent_code(user)}",
        version=1,
        control_date=control_day[0],
        start_time=parse_clock(str(draft["start_time"])),
        end_time=parse_clock(str(draft["end_time"])),
        departement=str(draft["departement"]).upper(),
        commune=str(draft["commune"]).strip(),
        place=str(draft.get("place", "")).strip(),
        driver=BulletinDriver(
            str(draft.get("family_name", "")).strip(),
            str(draft.get("given_name", "")).strip(),
            parse_day(birth) if birth else None,
            str(draft.get("nationality") or "FRA").upper(),
        ),
        company=Company(
            str(draft.get("siren", "")).replace(" ", "").upper(),
            str(draft.get("company_name", "")),
            str(draft.get("address", "")),
            str(draft.get("activity", "")),
            str(draft.get("licence", "")),
            str(draft.get("certified_copy", "")),
        ),
        transport=Transport(
            str(draft.get("origin", "")),
            str(draft.get("destination", "")),
            TransportKind(str(draft.get("transport_kind", "interieur"))),
            str(draft.get("goods", "")),
        ),
        vehicle=Vehicle(
            str(draft.get("plate", "")).upper(),
            str(draft.get("country") or "F").upper(),
            _weight(draft.get("empty_weight")),
            _weight(draft.get("max_weight")),
            _weight(draft.get("actual_weight")),
            draft.get("immobilised") == "on",
        ),
        agent=agent_code(user),
        hand_over=HandOver(str(draft.get("hand_over", "papier"))),
        issued_at=datetime.now(PARIS),
        infractions=tuple(infractions),
        observations=str(draft.get("observations", "")).strip(),
        photos=photos if draft.get("with_photos") == "on" else (),
    )


def issue_draft(
    engine: Engine,
    files: Path,
    key: PrivateKey,
    control: Control,
    user: User,
    draft: dict[str, Any],
    findings: list[ControlFinding],
    *,
    identity: SigningIdentity,
    verify_url: str,
    previous: StoredBulletin | None = None,
    idempotency_key: str | None = None,
) -> tuple[StoredBulletin, bool]:
    """Issue the bulletin a complete draft describes, with the control's photos: the form's
    last step and a tablet's sync both end here, with the control's findings
    (`control_findings`) they drew the draft from. BulletinError or ValueError if refused.
    `verify_url`: the public check page the PDF's notice gives. With whether this call
    issued it (False: the bulletin already issued under `idempotency_key`)."""
    kept = list_photos(engine, control.id)
    bulletin = build(draft, control, user, tuple(p.path.read_bytes() for p in kept), findings)
    stored, created = issue_once(
        engine,
        files,
        key,
        control.id,
        user.id,
        bulletin,
        previous=previous,
        idempotency_key=idempotency_key,
        verify_url=verify_url,
        identity=identity,
    )
    if created and bulletin.photos:  # annexed: evidence that can no longer be deleted
        annex(engine, stored.id, [p.id for p in kept])
    return stored, created
