"""Recording a control: what the agent typed, the server's own check of the code, and the
agent's decision on each finding. Pages, API and the tablet's sync all record through here."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from control.record.json_form import record_to_json
from control.rules import Finding
from control.services.checking import Checked
from control.services.control_form import ControlForm, FormError
from control.storage.controls import ControlKind, KeptFinding, NewControl
from control.verify.mobilic import MobilicCode, read_mobilic

MAX_OFFLINE = timedelta(hours=72)  # how long a tablet may keep a control before syncing it

MISSING_DECISION = (
    "Indiquez pour chaque infraction relevée si vous la retenez : {count} sans décision "
    "(rechargez le verdict si la liste n'apparaît plus)."
)


FUTURE_TOLERANCE = timedelta(hours=1)  # a tablet's clock a little ahead

# The key a device (the tablet's outbox) or a page (the control form) gives a control, so
# that sending it twice records it once: a double tap, a retry after a lost answer.
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}\Z")
KEY_PROBLEM = "Clé d'idempotence invalide : 8 à 64 caractères A-Z, a-z, 0-9, - et _."


def key_problem(key: str | None) -> str:
    """ "" for no key or one a device would make, else the French refusal."""
    return "" if key is None or IDEMPOTENCY_KEY.match(key) else KEY_PROBLEM


def new_form_key() -> str:
    """A fresh key for one rendering of a control form (24 characters of the key's alphabet)."""
    return secrets.token_urlsafe(18)


def sent_digest(sent: Mapping[str, Any]) -> str:
    """What was sent, as a digest: the same key with another content is a conflict."""
    text = json.dumps(sent, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def check_moment(occurred_at: datetime, now: datetime, retention_years: int) -> None:
    """A control's moment lies between the oldest a control is kept (older ones are purged:
    one accepted would vanish the next day) and now. A typo in the year is said, not kept."""
    oldest = now - timedelta(days=366 * retention_years) if retention_years else None
    try:
        too_old = oldest is not None and occurred_at < oldest
        too_late = occurred_at > now + FUTURE_TOLERANCE
    except OverflowError:  # year 1 or 9999 in a far time zone: off the calendar
        raise FormError({"occurred_at": "Date impossible : vérifiez l'année."}) from None
    if too_old:
        years = f"{retention_years} an{'s' if retention_years > 1 else ''}"
        raise FormError({"occurred_at": f"Date trop ancienne : un contrôle est conservé {years}."})
    if too_late:
        raise FormError({"occurred_at": "Date dans le futur : vérifiez la date et l'heure."})


def judged_at(form: ControlForm, now: datetime, *, offline: bool) -> datetime | None:
    """The tablet's moment: a control kept on a tablet without network, when its moment lies
    in the last 72 hours, also has its code judged as of then (kept beside the server's
    verdict, never in its place); any other, None."""
    if offline and now - MAX_OFFLINE <= form.occurred_at <= now:
        return form.occurred_at
    return None


def decisions(
    findings: Sequence[Finding], retained: Sequence[int], discarded: Sequence[int]
) -> tuple[KeptFinding, ...]:
    """Each finding with the agent's decision. A finding in neither list is refused (the form
    that showed it must say), as is one in both or a position the record does not have."""
    kept, dropped = set(retained), set(discarded)
    if kept & dropped:
        raise FormError({"retained": "Une infraction ne peut être à la fois retenue et écartée."})
    if any(not 0 <= i < len(findings) for i in kept | dropped):
        raise FormError({"retained": "Ces infractions ne sont pas celles du code : revérifiez-le."})
    missing = len(findings) - len(kept | dropped)
    if missing:
        raise FormError({"retained": MISSING_DECISION.format(count=missing)})
    return tuple(
        KeptFinding(
            f.natinf or "",
            f.rule.id,
            tuple(d.isoformat() for d in f.dates),
            f.explanation,
            i in kept,
        )
        for i, f in enumerate(findings)
    )


def mobilic_code(form: ControlForm) -> MobilicCode:
    """The Mobilic code of a control of that kind, read again by the server (never the
    tablet's word for it); a form without one is refused."""
    found = read_mobilic(form.code)
    if found is None:
        raise FormError({"code": "Ce n'est pas un code Mobilic : scannez à nouveau son QR code."})
    return found


def new_control(
    agent_id: int,
    form: ControlForm,
    checked: Checked | None,
    offline: Checked | None = None,
    mobilic: MobilicCode | None = None,
) -> NewControl:
    """The control to store. `checked`: the server's own check of an electronic control's
    code at reception (never the tablet's word for it), its verdict the control's.
    `offline`: the server's check as of the moment a tablet without network checked the
    code: its verdict is kept beside, flagged, and its findings serve when the code was
    valid then (the agent decided on them) and no longer is. `mobilic`: a Mobilic code, of
    which only its claimed generation date is kept (its tokens are bearer secrets)."""
    values: dict[str, Any] = {
        "agent_id": agent_id,
        "kind": form.kind,
        "occurred_at": form.occurred_at,
        "departement": form.departement,
        "commune": form.commune,
        "place": form.place,
        "plate": form.plate,
        "notes": form.notes,
        "driver_name": form.driver_name,
        "employer_siren": form.employer_siren,
        "employer_name": form.employer_name,
        "manual_natinf": tuple(form.manual_natinf),
    }
    if form.kind is ControlKind.MOBILIC and mobilic is not None:
        values["code_iat"] = mobilic.generated_at
    if form.kind is ControlKind.ELECTRONIC and checked is not None:
        result = checked.result
        values.update(
            verdict=result.verdict.value,
            issuer=result.issuer,
            kid=result.kid,
            cti=result.cti.hex() if result.cti else None,
            code_iat=result.iat,
        )
        if result.record is not None:
            record = result.record
            employer = record.employers[0]
            values.update(
                driver_name=f"{record.driver.given_name} {record.driver.family_name}",
                driver_id=record.driver.id,
                employer_siren=employer.siren,
                employer_name=employer.name,
                record=record_to_json(record),
            )
        if offline is not None:
            values.update(
                offline_verdict=offline.result.verdict.value, offline_checked_at=offline.at
            )
        analysis = checked.analysis or (offline.analysis if offline is not None else None)
        if analysis is not None:
            values["findings"] = decisions(analysis.findings, form.retained, form.discarded)
    return NewControl(**values)
