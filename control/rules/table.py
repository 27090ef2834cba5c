"""The rules' figures and wording as data, for the tablet's own analysis without network.

web/static/rules/ runs the same rules in the browser; what they compare against and name
(limits, NATINF, titles, sector labels) comes from here, so that the two cannot drift apart on
a figure. The logic itself is ported, and the browser tests hold the two to the same findings
on every demo record.
"""

from __future__ import annotations

from typing import Any

from control.record.model import Sector
from control.rules import breaks, daily, timeline, weekly
from control.rules.catalogue import (
    ALL_RULES,
    SECTOR_LABELS,
    WEEKLY_AVERAGE,
    RuleInfo,
    no_live_entry_rule,
)
from control.rules.french import WEEKDAYS


def _rule(rule: RuleInfo) -> dict[str, Any]:
    return {
        "id": rule.id,
        "natinf": rule.natinf,
        "class": rule.klass,
        "title": rule.title,
        "legal": list(rule.legal),
    }


def rule_table() -> dict[str, Any]:
    """Durations in seconds, keyed by the Python constant's name."""
    return {
        "rules": [_rule(r) for r in ALL_RULES],
        "warning": _rule(WEEKLY_AVERAGE),
        "no_live_entry": {
            "passengers": _rule(no_live_entry_rule(Sector.PASSENGERS)),
            "other": _rule(no_live_entry_rule(Sector.GOODS_REGIONAL)),
        },
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
            "PASSENGERS_LONG_AMPLITUDE": daily.PASSENGERS_LONG_AMPLITUDE,
            "PASSENGERS_DAILY_MAX_LONG": daily.PASSENGERS_DAILY_MAX_LONG,
            "NIGHT_DAILY_MAX": daily.NIGHT_DAILY_MAX,
        },
        "breaks": {
            "SHORTEST_PIECE": breaks.SHORTEST_PIECE,
            "LONGEST_STRETCH": breaks.LONGEST_STRETCH,
            "THRESHOLDS": [list(pair) for pair in breaks.THRESHOLDS],
        },
        "weekly": {
            "MAX_DAYS_WORKED": weekly.MAX_DAYS_WORKED,
            "WEEKLY_REST_MINIMUM": weekly.WEEKLY_REST_MINIMUM,
            "WEEKLY_MAXIMUM": {s.value: v for s, v in weekly.WEEKLY_MAXIMUM.items()},
            "AVERAGE_MAXIMUM": {s.value: v for s, v in weekly.AVERAGE_MAXIMUM.items()},
            "AVERAGE_PERIOD": {s.value: v for s, v in weekly.AVERAGE_PERIOD.items()},
        },
    }
