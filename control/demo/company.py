"""Synthetic drivers of one company, as the files a labour inspector collects at a company
control: mostly `LIC1:` codes saved by the issuer's software, some JSON exports."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import datetime, timedelta

from control.demo.records import Profile, make_record, siren
from control.issue import issue_code
from control.record.json_form import record_to_json
from control.record.model import Employer, Record, Sector, WorkDay
from control.verify.keys import PrivateKey

# A company's drivers: most without breach, some with; a third with days the employer changed.
PROFILES = (
    Profile("entreprise-conforme", Sector.GOODS_REGIONAL, employer_changes=1, observations=1),
    Profile("entreprise-longue-journee", Sector.GOODS_REGIONAL, frozenset({"long-day"})),
    Profile(
        "entreprise-modifie",
        Sector.GOODS_REGIONAL,
        employer_changes=3,
        observations=1,
        justified_changes=False,
    ),
    Profile("entreprise-pause", Sector.GOODS_REGIONAL, frozenset({"missing-break"})),
    Profile("entreprise-repos", Sector.GOODS_REGIONAL, frozenset({"short-rest"})),
    Profile("entreprise-simple", Sector.GOODS_REGIONAL),
)
JSON_EVERY = 5  # one driver in five exported as JSON rather than as a code


def company(seed: int = 0) -> Employer:
    rng = random.Random(f"company:{seed}")
    return Employer(siren(rng), "Transports Vercors Logistique", Sector.GOODS_REGIONAL)


def company_records(count: int, now: datetime, seed: int = 0) -> list[Record]:
    """`count` records ending at `now`, every one worked for `company(seed)` alone."""
    employer = company(seed)
    return [
        for_employer(
            make_record(PROFILES[n % len(PROFILES)], now, seed=seed * 100_000 + n), employer
        )
        for n in range(count)
    ]


def for_employer(record: Record, employer: Employer) -> Record:
    """The record as if its first employer were `employer` (synthetic data only)."""
    old = record.employers[0].siren

    def moved(day: WorkDay) -> WorkDay:
        if day.employer != old:
            return day
        return replace(
            day,
            employer=employer.siren,
            activities=tuple(replace(a, employer=employer.siren) for a in day.activities),
            driver_activities=None
            if day.driver_activities is None
            else tuple(replace(a, employer=employer.siren) for a in day.driver_activities),
        )

    return replace(
        record,
        employers=(employer, *record.employers[1:]),
        days=tuple(moved(day) for day in record.days),
    )


def company_files(records: list[Record], key: PrivateKey, iat: datetime) -> list[tuple[str, bytes]]:
    """(file name, content) per driver: a code signed by `key` at `iat`, or a JSON export."""
    files = []
    for n, record in enumerate(records, start=1):
        if n % JSON_EVERY == 0:
            body = json.dumps(record_to_json(record), ensure_ascii=False, indent=1)
            files.append((f"conducteur-{n:03d}.json", body.encode()))
        else:
            code = issue_code(record, key, iat=iat, exp=iat + timedelta(days=1))
            files.append((f"conducteur-{n:03d}.txt", code.text.encode() + b"\n"))
    return files
