"""`lic-control demo`: a complete, synthetic world to try the toolkit on.

An authority root key, two issuers (Mobilic with a rotated key, an editor with a revoked
key), the signed trust list, and a dozen drivers across all sectors with their records,
QR texts and PNGs, listed in manifest.json with the verdict each code must get; and the
files of a company's drivers (entreprise/) to try a company control on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from control.demo.company import company_files, company_records
from control.demo.records import Profile, make_record
from control.issue import issue_code
from control.qr import save_png
from control.record.json_form import record_to_json
from control.record.model import Sector
from control.rules import analyze
from control.verify import trustlist
from control.verify.keys import PrivateKey, save_key_pair

OVERFLOW_URL = "https://lic.routeplus.example/records/"


@dataclass(frozen=True)
class DemoDriver:
    profile: Profile
    key: str  # which issuer key signs the code
    age: timedelta = timedelta(0)  # how long before the control the code was generated
    expected: str = "valid"


def demo_drivers() -> tuple[DemoDriver, ...]:
    s = Sector
    return (
        DemoDriver(Profile("conforme", s.GOODS_REGIONAL, note="aucune infraction"), "mobilic-2026"),
        DemoDriver(
            Profile(
                "longue-distance",
                s.GOODS_LONG_DISTANCE,
                frozenset({"long-week", "short-rest", "high-average"}),
            ),
            "mobilic-2026",
        ),
        DemoDriver(
            Profile(
                "messagerie",
                s.GOODS_PARCEL_CASH,
                frozenset({"missing-break", "long-day"}),
                employer_changes=2,
            ),
            "routeplus-2026",
        ),
        DemoDriver(
            Profile("voyageurs", s.PASSENGERS, frozenset({"long-day"}), observations=3),
            "mobilic-2026",
        ),
        DemoDriver(
            Profile("demenagement", s.REMOVALS, frozenset({"seven-days", "missing-break"})),
            "routeplus-2026",
        ),
        DemoDriver(Profile("nuit", s.GOODS_REGIONAL, frozenset({"night-work"})), "mobilic-2026"),
        DemoDriver(
            Profile(
                "multi-employeurs", s.PASSENGERS, second_employer=s.REMOVALS, note="deux employeurs"
            ),
            "mobilic-2026",
        ),
        DemoDriver(
            Profile(
                "modifie-employeur",
                s.GOODS_LONG_DISTANCE,
                employer_changes=6,
                observations=4,
                note="journées modifiées par l'employeur",
            ),
            "routeplus-2026",
        ),
        DemoDriver(
            Profile("sans-saisie", s.GOODS_REGIONAL, frozenset({"no-live-entry"})), "mobilic-2026"
        ),
        DemoDriver(
            Profile(
                "auto-valide", s.REMOVALS, automatic_validations=6, note="validations automatiques"
            ),
            "routeplus-2026",
        ),
        DemoDriver(
            Profile(
                "cle-precedente", s.GOODS_PARCEL_CASH, note="code signé avec la clé précédente"
            ),
            "mobilic-2025",
            age=timedelta(days=3, hours=2),
        ),
        DemoDriver(
            Profile("cle-revoquee", s.GOODS_REGIONAL, note="clé de l'éditeur révoquée"),
            "routeplus-2025",
            expected="revoked-key",
        ),
        DemoDriver(
            Profile(
                "trop-long",
                s.GOODS_LONG_DISTANCE,
                long_notes=True,
                segments_per_day=9,
                note="dossier trop long pour un QR : jours récents seulement",
            ),
            "routeplus-2026",
        ),
    )


def _issuer_keys(now: datetime) -> Iterator[tuple[str, PrivateKey]]:
    def key(issuer: str, name: str, started_days_ago: int) -> PrivateKey:
        start = now - timedelta(days=started_days_ago)
        return PrivateKey.generate(
            issuer,
            not_before=int(start.timestamp()),
            not_after=int((start + timedelta(days=730)).timestamp()),
            name=name,
        )

    yield "mobilic-2025", key("FR-MOBILIC", "Mobilic", 400)
    yield "mobilic-2026", key("FR-MOBILIC", "Mobilic", 2)
    yield "routeplus-2025", key("FR-ROUTEPLUS", "RoutePlus (éditeur accrédité, fictif)", 200)
    yield "routeplus-2026", key("FR-ROUTEPLUS", "RoutePlus (éditeur accrédité, fictif)", 30)


def build_demo(out: Path, now: datetime, seed: int = 1) -> list[dict[str, object]]:
    """Write the demo world under `out`; returns the manifest entries."""
    root = PrivateKey.generate("FR-AUTORITE", name="Autorité de confiance LIC (démo)")
    save_key_pair(root, out / "authority" / "root.jwk")
    keys = dict(_issuer_keys(now))
    for name, key in keys.items():
        save_key_pair(key, out / "issuers" / f"{name}.jwk")
    trust = trustlist.build(
        [key.public for key in keys.values()],
        issued_at=now - timedelta(hours=1),
        valid_days=30,
        revoke=[keys["routeplus-2025"].public.kid_text],
    )
    (out / "trust-list.json").write_text(trustlist.dumps(trust, root), encoding="utf-8")

    manifest: list[dict[str, object]] = []
    for number, driver in enumerate(demo_drivers(), start=1):
        stem = f"{number:02d}-{driver.profile.key}"
        iat = (now - driver.age).replace(second=0, microsecond=0)
        record = make_record(driver.profile, iat, seed)
        write_json(out / "records" / f"{stem}.json", record_to_json(record))
        key = keys[driver.key]
        code = issue_code(
            record,
            key,
            iat=iat,
            exp=iat + timedelta(days=7 if driver.age else 1),
            full_record_url=OVERFLOW_URL + stem,
        )
        (out / "codes").mkdir(parents=True, exist_ok=True)
        (out / "codes" / f"{stem}.txt").write_text(code.text + "\n", encoding="ascii")
        symbol = save_png(code.text, out / "codes" / f"{stem}.png")
        analysis = analyze(code.record, iat)
        manifest.append(
            {
                "file": stem,
                "sector": driver.profile.sector.value,
                "planted_breaches": sorted(driver.profile.plants),
                "findings": sorted({f.rule.id for f in analysis.findings}),
                "warnings": sorted({w.rule.id for w in analysis.warnings}),
                "note": driver.profile.note,
                "issuer": key.public.issuer,
                "kid": key.public.kid_text,
                "iat": int(iat.timestamp()),
                "expected_verdict": driver.expected,
                "complete": code.record.complete,
                "qr_version": symbol.version,
                "qr_error_level": symbol.error,
            }
        )
    write_json(out / "manifest.json", manifest)
    write_company(out / "entreprise", keys["mobilic-2026"], now, seed)
    return manifest


def write_company(folder: Path, key: PrivateKey, now: datetime, seed: int) -> None:
    """A company control to try: twelve drivers' files, and one file damaged on purpose."""
    folder.mkdir(parents=True, exist_ok=True)
    iat = now.replace(second=0, microsecond=0)
    for name, content in company_files(company_records(12, iat, seed), key, iat):
        (folder / name).write_bytes(content)
    (folder / "conducteur-013-abime.txt").write_text("LIC1:ABIME-PAR-UN-COPIER-COLLER\n")


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
