"""The tablet's analysis without network (web/static/rules/) finds exactly what the Python
rules find: every demo record, at several moments, across both clock changes, a company's
drivers and random records, compared finding by finding in the JSON form."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser

from control.demo.build import demo_drivers
from control.demo.company import company_records
from control.demo.records import make_record
from control.record.json_form import record_to_json
from control.record.model import ActivityType, Record
from control.rules import analyze, day_totals
from control.rules.catalogue import ALL_RULES
from control.rules.findings import Version
from tests.rules.builder import MAIN, OTHER
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
