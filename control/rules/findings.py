"""What the analysis returns: findings (breaches, with their NATINF) and warnings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from control.rules.catalogue import RuleInfo


class Version(StrEnum):
    """Which version of the days a finding is based on.

    `both`: the driver's and the employer's versions agree (the day was not amended, and the
    employer validated it, or the finding shows in both versions of an amended day);
    `driver`: only the driver's version (the employer has not validated it yet, or amended it
    so that the breach disappears); `employer`: only the employer's amended version.
    """

    DRIVER = "driver"
    EMPLOYER = "employer"
    BOTH = "both"


class Flag(StrEnum):
    """Why a finding deserves a second look; never a reason to skip it."""

    NOT_VALIDATED = "not-validated"  # the driver has not validated a day yet
    VALIDATED_AUTOMATICALLY = "validated-automatically"  # nobody validated: 24 h elapsed
    CHANGED_BY_EMPLOYER = "changed-by-employer"
    IN_PROGRESS = "in-progress"  # the day is still going on at the time of the analysis
    PARTIAL_WEEK = "partial-week"  # the week is only partly in the record: a lower bound
    SUGGESTED = "suggested"  # a pre-filled suggestion for the controller to confirm


@dataclass(frozen=True)
class Breach:
    """What a rule reports, before the engine adds version and flags."""

    rule: RuleInfo
    dates: tuple[date, ...]
    figures: Mapping[str, int]  # durations in minutes (keys end in `_minutes`), or counts
    explanation: str  # French, with the figures
    days: frozenset[int]  # record days involved
    flags: tuple[Flag, ...] = ()


@dataclass(frozen=True)
class Finding:
    rule: RuleInfo
    dates: tuple[date, ...]
    version: Version
    figures: Mapping[str, int]
    explanation: str
    flags: tuple[Flag, ...] = ()

    @property
    def natinf(self) -> str | None:
        return self.rule.natinf

    def to_json(self) -> dict[str, Any]:
        return {
            "natinf": self.rule.natinf,
            "class": self.rule.klass,
            "rule": self.rule.id,
            "title": self.rule.title,
            "dates": [d.isoformat() for d in self.dates],
            "version": self.version.value,
            "figures": dict(self.figures),
            "explanation": self.explanation,
            "flags": [f.value for f in self.flags],
            "legal": list(self.rule.legal),
            **offence_json(self.rule),
        }


def offence_json(rule: RuleInfo) -> dict[str, Any]:
    """The NATINF line a finding rests on, as a procès-verbal words it."""
    offence = rule.offence
    if offence is None or rule.natinf is None:
        return {}
    return {
        "qualification": offence.qualification,
        "nature": offence.nature,
        "defined_by": list(offence.defined_by),
        "punished_by": list(offence.punished_by),
        "max_fine_eur": offence.max_fine_eur,
        "per_employee": offence.per_employee,
    }


@dataclass(frozen=True)
class RuleWarning:
    """A question, never a breach: what the record cannot establish. Like a finding, it says
    which version of amended days raises it, so that an amendment cannot silence it."""

    rule: RuleInfo
    dates: tuple[date, ...]
    figures: Mapping[str, int]
    explanation: str
    days: frozenset[int] = frozenset()  # record days involved (none: the whole window)
    version: Version = Version.BOTH

    def to_json(self) -> dict[str, Any]:
        offence = self.rule.offence
        return {
            "rule": self.rule.id,
            "key": self.rule.key,
            "title": self.rule.title,
            "dates": [d.isoformat() for d in self.dates],
            "figures": dict(self.figures),
            "explanation": self.explanation,
            "legal": list(self.rule.legal),
            "possible_natinf": offence.code if offence else None,
            "version": self.version.value,
        }


@dataclass(frozen=True)
class Analysis:
    findings: tuple[Finding, ...]
    warnings: tuple[RuleWarning, ...]
    # minutes of work of each service day as the rules counted them (`day_totals`): the
    # verdict shows them without building the timeline again
    day_totals: Mapping[date, int] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "findings": [f.to_json() for f in self.findings],
            "warnings": [w.to_json() for w in self.warnings],
        }
