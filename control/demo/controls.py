"""Many synthetic controls, for the search page and its benchmark (`lic-control load-demo`).

Invented companies (valid SIREN keys), drivers, plates and agents; real communes; a realistic
mix of control types and NATINF. Written in batches straight into the tables.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from sqlalchemy import Engine, insert, select

from control.demo.records import (
    COMMUNES,
    COMPANY_NAMES,
    COMPANY_WORDS,
    FAMILY_NAMES,
    GIVEN_NAMES,
    plate,
    siren,
)
from control.storage.schema import control_natinf, controls, users

UNITS = ("DREETS-69", "DREETS-13", "DREETS-33", "DREETS-59", "DREETS-75", "DREETS-35")
NATINF_WEIGHTS = {
    "35187": 30, "11292": 20, "20525": 18, "23103": 10, "13152": 8, "11289": 6,
    "32083": 5, "25666": 3,
}  # fmt: skip
KINDS = ("electronic", "paper", "none")
KIND_WEIGHTS = (80, 15, 5)
BATCH = 5000


def _agents(engine: Engine, rng: random.Random) -> list[int]:
    with engine.connect() as connection:
        existing = list(connection.execute(select(users.c.id)).scalars())
    if len(existing) >= 12:
        return existing
    hashed = PasswordHasher().hash("demo-agent-password")
    rows = [
        {
            "login": f"agent-demo-{n:02d}-{rng.randrange(10**6)}",
            "name": f"Agent démo {n}",
            "role": "agent",
            "password_hash": hashed,
            "active": False,  # bulk-loaded authors, not accounts to sign in with
            "unit": UNITS[n % len(UNITS)],
            "created_at": datetime.now(UTC),
        }
        for n in range(24)
    ]
    with engine.begin() as connection:
        connection.execute(insert(users), rows)
        return list(connection.execute(select(users.c.id)).scalars())


def load(
    engine: Engine, count: int, seed: int = 1, progress: Callable[[int], None] | None = None
) -> None:
    rng = random.Random(seed)
    agents = _agents(engine, rng)
    companies = [
        (siren(rng), f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_NAMES)} {n}")
        for n in range(max(50, count // 50))
    ]
    drivers = [
        f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}"
        for _ in range(max(100, count // 10))
    ]
    plates = [plate(rng) for _ in range(max(100, count // 8))]
    codes, weights = zip(*NATINF_WEIGHTS.items(), strict=True)
    now = datetime.now(UTC)
    with engine.connect() as connection:
        first_id = (
            int(
                connection.execute(select(controls.c.id).order_by(controls.c.id.desc())).scalar()
                or 0
            )
            + 1
        )
    for start in range(0, count, BATCH):
        rows, natinf_rows = [], []
        for offset in range(min(BATCH, count - start)):
            company = rng.choice(companies)
            insee, commune = rng.choice(COMMUNES)
            kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
            found = sorted(set(rng.choices(codes, weights, k=rng.choice((0, 0, 1, 1, 2, 3)))))
            control_id = first_id + start + offset
            when = now - timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
            rows.append(
                {
                    "id": control_id,
                    "agent_id": rng.choice(agents),
                    "kind": kind,
                    "occurred_at": when,
                    "created_at": when,
                    "departement": insee[:2],
                    "commune": commune,
                    "place": rng.choice(("", "A7", "N7", "aire de repos", "zone industrielle")),
                    "plate": rng.choice(plates),
                    "notes": "",
                    "verdict": "valid" if kind == "electronic" else None,
                    "driver_name": rng.choice(drivers),
                    "driver_id": "",
                    "employer_siren": company[0],
                    "employer_name": company[1],
                    "findings": [
                        {"natinf": c, "rule": "", "dates": [], "explanation": "", "retained": True}
                        for c in found
                    ],
                    "manual_natinf": [],
                    "natinf_codes": " ".join(found),
                }
            )
            natinf_rows += [{"control_id": control_id, "natinf": c} for c in found]
        with engine.begin() as connection:
            connection.execute(insert(controls), rows)
            if natinf_rows:
                connection.execute(insert(control_natinf), natinf_rows)
        if progress is not None:
            progress(len(rows))
    _reset_sequence(engine)


def _reset_sequence(engine: Engine) -> None:
    """Ids were given explicitly: PostgreSQL's sequence must move past them."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('controls', 'id'), "
                "(SELECT max(id) FROM controls))"
            )
