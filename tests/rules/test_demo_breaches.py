"""The demo world shows every rule broken at least once, and a driver with none."""

from datetime import UTC, datetime

import pytest

from control.demo.build import demo_drivers
from control.demo.records import make_record, planted_rules
from control.rules import analyze
from control.rules.catalogue import ALL_RULES, WEEKLY_AVERAGE

NOW = datetime(2026, 11, 25, 9, 40, tzinfo=UTC)


def found(profile_key: str, seed: int) -> set[str]:
    [driver] = [d for d in demo_drivers() if d.profile.key == profile_key]
    analysis = analyze(make_record(driver.profile, NOW, seed), NOW)
    return {f.rule.id for f in analysis.findings} | {w.rule.id for w in analysis.warnings}


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("profile_key", [d.profile.key for d in demo_drivers()])
def test_each_demo_driver_breaks_exactly_the_planted_rules(profile_key: str, seed: int) -> None:
    [driver] = [d for d in demo_drivers() if d.profile.key == profile_key]
    assert found(profile_key, seed) == planted_rules(driver.profile.sector, driver.profile.plants)


def test_the_demo_plants_a_breach_of_every_rule() -> None:
    planted = set().union(
        *(planted_rules(d.profile.sector, d.profile.plants) for d in demo_drivers())
    )
    assert planted >= {rule.id for rule in ALL_RULES} | {WEEKLY_AVERAGE.id}


def test_the_demo_has_a_driver_with_no_finding() -> None:
    assert found("conforme", 1) == set()
