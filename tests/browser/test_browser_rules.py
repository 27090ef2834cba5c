"""The tablet's analysis without network (web/static/rules/) finds exactly what the Python
rules find: every demo record, at several moments, across both clock changes, a company's
drivers, records written for the passenger derogations, break scopes and availability, and
random records, compared finding by finding and warning by warning in the JSON form."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser

from control.demo.build import demo_drivers
from control.demo.company import company_records
from control.demo.records import make_record
from control.record.json_form import record_to_json
from control.record.model import ActivityType, Record, Sector, WorkDay
from control.rules import analyze, day_totals
from control.rules.catalogue import ALL_RULES, ALL_WARNINGS
from control.rules.findings import Version
from tests.rules.builder import AT, MAIN, OTHER, amended, day
from tests.rules.builder import record as record_of
from tests.rules.test_properties import AT as RANDOM_AT
from tests.rules.test_properties import build_record

RUN = """async (cases) => {
  const { analyze } = await import("/static/rules/engine.js");
  const table = await (await fetch("/regles.json")).json();
  return cases.map(([record, at, live]) => analyze(table, record, at, { liveEntry: live }));
}"""

Case = tuple[Record, datetime, bool]

# A control in winter, in summer, and with each clock change inside the 28 days.
MOMENTS = [
    datetime(2026, 11, 25, 9, 40, tzinfo=UTC),
    datetime(2026, 7, 8, 14, 5, tzinfo=UTC),
    datetime(2026, 4, 9, 6, 30, tzinfo=UTC),
    datetime(2026, 11, 3, 22, 15, tzinfo=UTC),
]


def demo_cases() -> list[Case]:
    """Each demo driver's record at each moment, analysed then, 3 h 20 later (the code kept
    on the phone, so no activity in progress) and as a paper transcription."""
    cases: list[Case] = []
    for seed, now in enumerate(MOMENTS):
        for driver in demo_drivers():
            record = make_record(driver.profile, now, seed)
            cases += [(record, now, True), (record, now + timedelta(hours=3, minutes=20), True)]
            cases.append((record, now, False))
    return cases


def company_cases() -> list[Case]:
    now = MOMENTS[0]
    return [(r, now, True) for r in company_records(40, now, seed=7)]


def random_cases(count: int = 300) -> list[Case]:
    rng = random.Random(2026)
    kinds = list(ActivityType)
    cases: list[Case] = []
    for _ in range(count):
        plans = [
            (
                rng.randrange(0, 60 * 60),
                [
                    (rng.choice(kinds), rng.randrange(1, 421), rng.choice([MAIN, OTHER]))
                    for _ in range(rng.randrange(1, 9))
                ],
                rng.random() < 0.3,
            )
            for _ in range(rng.randrange(0, 31))
        ]
        cases.append((build_record(plans), RANDOM_AT, rng.random() < 0.8))
    return cases


def varied_cases(count: int = 200) -> list[Case]:
    """Random records in every sector (the other employer's too), half their days ending with
    a long spell of availability."""
    rng = random.Random(28)
    kinds = list(ActivityType)
    sectors = list(Sector)
    cases: list[Case] = []
    for _ in range(count):
        plans = []
        for _ in range(rng.randrange(0, 31)):
            periods = [
                (rng.choice(kinds), rng.randrange(1, 421), rng.choice([MAIN, MAIN, OTHER]))
                for _ in range(rng.randrange(1, 7))
            ]
            if rng.random() < 0.5:
                periods.append((ActivityType.AVAILABILITY, rng.randrange(120, 601), MAIN))
            plans.append((rng.randrange(0, 60 * 60), periods, rng.random() < 0.2))
        main, other = rng.choice(sectors), rng.choice(sectors)
        cases.append((build_record(plans, main, other), RANDOM_AT, rng.random() < 0.8))
    return cases


TEN_01 = ("driving 5h", "break 45m", "driving 5h01")
TWELVE = ("driving 6h", "break 45m", "driving 6h")
TWELVE_01 = ("driving 6h", "break 45m", "driving 6h01")
ELEVEN = ("driving 5h30", "break 45m", "driving 5h30")
TEN_30 = ("driving 5h15", "break 45m", "driving 5h15")
SEVEN = ("driving 3h30", "break 30m", "driving 3h30")
# 13 h of amplitude: 8 h of work, then 10 h 30 (over the 9 h of R. 3312-11)
WIDE = ("driving 4h", "break 5h", "driving 4h")
WIDE_LONG = ("driving 4h", "break 3h", "driving 3h", "break 1h", "driving 3h30")
# a day that ends with a long spell of availability: 15 h after its start
AVAILABLE_LATE = ("driving 4h", "break 1h", "work 4h", "availability 6h")
NO_BREAK = ("driving 7h",)
SHORT_BREAKS = ("driving 4h", "break 10m", "driving 2h", "break 10m", "driving 1h")


def passenger_days() -> list[WorkDay]:
    """Four weeks of a passenger driver: each case of D. 3312-6 (10 h 01, 12 h, 12 h 01, a
    second long day in weeks of 5 and 4 days worked, a third and a fourth, a second in the
    unfinished week), amplitudes over 12 h, break shortfalls and weeks over 48 h."""
    return [
        # week of 2 November, observed, 5 days, 53 h 02 of work
        day("2026-11-02 06:00", *TEN_01),
        day("2026-11-03 06:00", *TWELVE),
        day("2026-11-04 06:00", *TWELVE_01),
        day("2026-11-05 06:00", *ELEVEN),
        day("2026-11-06 06:00", *WIDE),
        # week of 9 November, observed, 4 days
        day("2026-11-09 06:00", *ELEVEN),
        day("2026-11-10 06:00", *ELEVEN),
        day("2026-11-11 05:00", *WIDE_LONG),
        day("2026-11-12 12:00", *NO_BREAK),
        # week of 16 November, observed, 6 days
        day("2026-11-16 06:00", *TEN_30),
        day("2026-11-17 06:00", *TEN_30),
        day("2026-11-18 06:00", *TEN_30),
        day("2026-11-19 06:00", *SEVEN),
        day("2026-11-20 06:00", *SHORT_BREAKS),
        day("2026-11-21 06:00", *AVAILABLE_LATE),
        # week of 23 November, unfinished at the control
        day("2026-11-23 06:00", *ELEVEN),
        day("2026-11-24 06:00", *ELEVEN),
    ]


def written_cases() -> list[Case]:
    """The same days in every sector, mixed with another employer, amended, and days ending
    with availability (the control inside such a spell too)."""
    days = passenger_days()
    cases: list[Case] = []
    for sector in Sector:
        built = record_of(*days, sector=sector, other=Sector.PASSENGERS)
        cases += [(built, AT, True), (built, AT, False)]
    # the employer shortened two long days: the driver's questions stay, as `driver`
    changed = list(days)
    changed[1] = amended(days[1], "2026-11-03 06:00", *SEVEN)
    changed[9] = amended(days[9], "2026-11-16 06:00", *TEN_01)
    cases.append((record_of(*changed, sector=Sector.PASSENGERS), AT, True))
    # half the days for a goods employer, half for a passenger one
    mixed = [
        replace(
            d, employer=OTHER, activities=tuple(replace(a, employer=OTHER) for a in d.activities)
        )
        if i % 2
        else d
        for i, d in enumerate(days)
    ]
    for main, other in [
        (Sector.GOODS_REGIONAL, Sector.PASSENGERS),
        (Sector.PASSENGERS, Sector.GOODS_PARCEL_CASH),
    ]:
        cases.append((record_of(*mixed, sector=main, other=other), AT, True))
    available = [
        day("2026-11-16 06:00", *AVAILABLE_LATE),
        day("2026-11-17 07:00", "availability 3h", "driving 4h", "break 1h", "availability 7h"),
        # at night: the maximum with night work
        day("2026-11-19 22:00", "driving 5h", "break 45m", "driving 5h30"),
        day("2026-11-24 18:00", "driving 3h", "availability 9h"),
        day("2026-11-25 08:00", "availability 3h", open_last=True),
    ]
    for sector in (Sector.GOODS_LONG_DISTANCE, Sector.PASSENGERS, Sector.GOODS_PARCEL_CASH):
        cases.append((record_of(*available, sector=sector), AT, True))
    return cases


def differences(browser: Browser, live_server: str, cases: list[Case]) -> list[str]:
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    try:
        page.goto("/connexion")
        payload = [[record_to_json(r), int(at.timestamp()), live] for r, at, live in cases]
        found: list[dict[str, Any]] = page.evaluate(RUN, payload)
    finally:
        context.close()
    out = []
    for (record, at, live), js in zip(cases, found, strict=True):
        python = analyze(record, at, live_entry=live).to_json()
        if js != python:
            out.append(f"{record.driver.id} at {at.isoformat()}:\n  py {python}\n  js {js}")
    return out


def kinds_found(cases: list[Case]) -> tuple[set[str], set[str]]:
    """The rules and the versions that the cases' findings show (so that a comparison is
    never one of empty lists)."""
    findings = [f for r, at, live in cases for f in analyze(r, at, live_entry=live).findings]
    return {f.rule.id for f in findings}, {f.version.value for f in findings}


def test_every_demo_record_gets_the_python_findings(browser: Browser, live_server: str) -> None:
    cases = demo_cases()
    assert differences(browser, live_server, cases) == []
    assert kinds_found(cases)[0] == {rule.id for rule in ALL_RULES}


def test_a_companys_drivers_get_the_python_findings(browser: Browser, live_server: str) -> None:
    assert differences(browser, live_server, company_cases()) == []


def test_written_records_get_the_python_findings_and_warnings(
    browser: Browser, live_server: str
) -> None:
    cases = written_cases()
    assert differences(browser, live_server, cases) == []
    analyses = [analyze(r, at, live_entry=live) for r, at, live in cases]
    keys = {f.rule.key for a in analyses for f in a.findings}
    assert keys == {rule.key for rule in ALL_RULES}
    assert {w.rule.key for a in analyses for w in a.warnings} == {w.key for w in ALL_WARNINGS}
    assert "driver" in {w.version.value for a in analyses for w in a.warnings}
    said = " ".join(x.explanation for a in analyses for x in (*a.findings, *a.warnings))
    for case in [
        "aucune dérogation ne dépasse 12 h",  # 12 h 01
        "4e journée de plus de 10 h",
        "3e journée de plus de 10 h",
        "semaine travaillée sur 4 jours",
        "C'est la première journée",  # 10 h 01
        "C'est la seconde journée",  # 12 h in a week of 5 days, 11 h in the unfinished week
        "de travail (plus de 9 h)",
        "transport de fonds et valeurs",
        "ne dépasse pas 50 km",
        "la NATINF 11289 ne vise que",
        "Dans les 24 h précédant la fin du service",
    ]:
        assert case in said, case


def test_varied_random_records_get_the_python_findings_and_warnings(
    browser: Browser, live_server: str
) -> None:
    cases = varied_cases()
    assert differences(browser, live_server, cases) == []
    analyses = [analyze(r, at, live_entry=live) for r, at, live in cases]
    assert {f.rule.key for a in analyses for f in a.findings} == {r.key for r in ALL_RULES}
    assert {w.rule.key for a in analyses for w in a.warnings} == {w.key for w in ALL_WARNINGS}
    assert "driver" in {w.version.value for a in analyses for w in a.warnings}


def test_random_records_get_the_python_findings(browser: Browser, live_server: str) -> None:
    cases = random_cases()
    assert differences(browser, live_server, cases) == []
    assert kinds_found(cases) == ({r.id for r in ALL_RULES}, {v.value for v in Version})


@pytest.mark.parametrize("at", MOMENTS[2:], ids=["spring-forward", "fall-back"])
def test_a_clock_change_in_the_window_changes_nothing_between_them(
    browser: Browser, live_server: str, at: datetime
) -> None:
    cases = [(make_record(d.profile, at, 11), at, True) for d in demo_drivers()]
    assert differences(browser, live_server, cases) == []


TOTALS = """async (cases) => {
  const { dayTotals } = await import("/static/rules/engine.js");
  const table = await (await fetch("/regles.json")).json();
  return cases.map(([record, at]) => Object.fromEntries(dayTotals(table, record, at)));
}"""


def test_each_days_total_on_the_tablet_is_the_servers(browser: Browser, live_server: str) -> None:
    """One figure per day online and offline: the rules' own service days, as of the code's
    generation (a day in progress counts up to then)."""
    cases = demo_cases()[::3] + random_cases(60)
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    try:
        page.goto("/connexion")
        payload = [[record_to_json(r), int(at.timestamp())] for r, at, _ in cases]
        found: list[dict[str, int]] = page.evaluate(TOTALS, payload)
    finally:
        context.close()
    expected = [
        {d.isoformat(): minutes for d, minutes in day_totals(r, at).items()} for r, at, _ in cases
    ]
    assert found == expected
    assert any(any(t.values()) for t in expected)
