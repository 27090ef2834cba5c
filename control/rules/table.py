"""The rules' figures and wording as data, for the tablet's own analysis without network.

web/static/rules/ runs the same rules in the browser; what they compare against and name
(limits, NATINF, titles, sector labels) comes from here, so that the two cannot drift apart on
a figure. The logic itself is ported, and the browser tests hold the two to the same findings
on every demo record.
"""

from __future__ import annotations

from typing import Any

from control.rules import breaks, daily, timeline, weekly
from control.rules.catalogue import ALL_RULES, ALL_WARNINGS, SECTOR_LABELS, RuleInfo
from control.rules.findings import offence_json
from control.rules.french import WEEKDAYS
from control.rules.natinf import CATALOGUE, FINE_SOURCE, NOMENCLATURE


def _rule(rule: RuleInfo) -> dict[str, Any]:
    offence = rule.offence
    return {
        "id": rule.id,
        "key": rule.key,
        "natinf": rule.natinf,
        "class": rule.klass,
        "title": rule.title,
        "legal": list(rule.legal),
        "warning": rule.warning,
        "possible_natinf": offence.code if rule.warning and offence else None,
        **offence_json(rule),
    }


def rule_table() -> dict[str, Any]:
    """Durations in seconds, keyed by the Python constant's name."""
    return {
        "rules": [_rule(r) for r in ALL_RULES],
        "warnings": [_rule(r) for r in ALL_WARNINGS],
        "natinf": [n.to_json() for n in CATALOGUE.values()],
        "fine_source": FINE_SOURCE,
        "natinf_source": NOMENCLATURE,
        "sectors": {sector.value: label for sector, label in SECTOR_LABELS.items()},
        "strictness": {sector.value: hours for sector, hours in timeline.STRICTNESS.items()},
        "weekdays": list(WEEKDAYS),
        "work_types": sorted(t.value for t in timeline.WORK_TYPES),
        "daily": {
            "DAILY_REST": timeline.DAILY_REST,
            "REST_WINDOW": daily.REST_WINDOW,
            "MINIMUM_REST": daily.MINIMUM_REST,
            "LONGEST_COVERED": daily.LONGEST_COVERED,
            "GOODS_DAILY_MAX": daily.GOODS_DAILY_MAX,
            "PASSENGERS_DAILY_MAX": daily.PASSENGERS_DAILY_MAX,
            "PASSENGERS_DEROGATION_MAX": daily.PASSENGERS_DEROGATION_MAX,
            "PASSENGERS_DEROGATIONS_PER_WEEK": daily.PASSENGERS_DEROGATIONS_PER_WEEK,
            "PASSENGERS_SECOND_DEROGATION_DAYS": daily.PASSENGERS_SECOND_DEROGATION_DAYS,
            "PASSENGERS_LONG_AMPLITUDE": daily.PASSENGERS_LONG_AMPLITUDE,
            "PASSENGERS_DAILY_MAX_LONG": daily.PASSENGERS_DAILY_MAX_LONG,
            "NIGHT_DAILY_MAX": daily.NIGHT_DAILY_MAX,
        },
        "breaks": {
            "SHORTEST_PIECE": breaks.SHORTEST_PIECE,
            "LONGEST_STRETCH": breaks.LONGEST_STRETCH,
            "THRESHOLDS": [list(pair) for pair in breaks.THRESHOLDS],
            "UNCERTAIN_SCOPE": {s.value: text for s, text in breaks.UNCERTAIN_SCOPE.items()},
        },
        "weekly": {
            "MAX_DAYS_WORKED": weekly.MAX_DAYS_WORKED,
            "WEEKLY_REST_MINIMUM": weekly.WEEKLY_REST_MINIMUM,
            "WEEKLY_MAXIMUM": {s.value: v for s, v in weekly.WEEKLY_MAXIMUM.items()},
            "AVERAGE_MAXIMUM": {s.value: v for s, v in weekly.AVERAGE_MAXIMUM.items()},
            "AVERAGE_PERIOD": {s.value: v for s, v in weekly.AVERAGE_PERIOD.items()},
        },
    }
