"""Run every rule on both versions of the record and say which version each finding rests on.

Days the employer amended are analysed twice: as amended (the record's current version) and
as the driver validated them. A breach present in one version only is reported with that
version, so that the controller sees what the amendment changed. Days not yet validated or
validated automatically are analysed like the others, and flagged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime

from control.record.model import Record
from control.rules.breaks import breaks
from control.rules.catalogue import ALL_RULES, ALL_WARNINGS
from control.rules.daily import daily_rest, daily_work, night_work
from control.rules.findings import Analysis, Breach, Finding, Flag, RuleWarning, Version
from control.rules.live import no_live_entry
from control.rules.timeline import Timeline, build
from control.rules.weekly import weekly_average, weekly_max, weekly_rest

Rule = Callable[[Timeline], Iterable[Breach | RuleWarning]]
# Rules that depend on the timeline, hence on the version; adding a rule is adding it here.
TIMELINE_RULES: tuple[Rule, ...] = (
    daily_rest,
    daily_work,
    night_work,
    breaks,
    weekly_rest,
    weekly_max,
)
ORDER = {rule.id: position for position, rule in enumerate(ALL_RULES)}
WARNING_ORDER = {rule.id: position for position, rule in enumerate(ALL_WARNINGS)}


def analyze(record: Record, at: datetime, *, live_entry: bool = True) -> Analysis:
    """Every breach in `record` as known at `at` (the moment of the control).

    `live_entry=False` for a transcribed paper sheet: a drawn grid has no activity "in
    progress", so the live-entry rule would fire on every paper control."""
    current = build(record, at)
    breaches, warnings = _run(current)
    amended = frozenset(i for i, day in enumerate(record.days) if day.driver_activities)
    findings = []
    if amended:
        original, original_warnings = _run(build(record, at, driver_version=True))
        original_keys = {_key(b) for b in original}
        current_keys = {_key(b) for b in breaches}
        for breach in breaches:
            if breach.days & amended:
                both = _key(breach) in original_keys
                findings.append(
                    _finding(record, breach, Version.BOTH if both else Version.EMPLOYER)
                )
            else:
                findings.append(_finding(record, breach, _unamended_version(record, breach)))
        for breach in original:
            if breach.days & amended and _key(breach) not in current_keys:
                findings.append(_finding(record, breach, Version.DRIVER))
        warnings = _versioned(record, warnings, original_warnings, amended)
    else:
        findings = [_finding(record, b, _unamended_version(record, b)) for b in breaches]
        warnings = _versioned(record, warnings, [], amended)
    if live_entry:
        findings += [_finding(record, b, Version.DRIVER) for b in no_live_entry(current)]
    findings.sort(key=lambda f: (f.dates[0], ORDER[f.rule.id], f.version.value))
    warnings += weekly_average(current)
    warnings.sort(key=lambda w: (w.dates[0], WARNING_ORDER[w.rule.id], w.version.value))
    return Analysis(tuple(findings), tuple(warnings), _totals(current))


def day_totals(record: Record, at: datetime) -> dict[date, int]:
    """Minutes of work of each service day, by the Paris date it starts on, as the rules count
    them (`at`: the moment the record speaks of). Pages and the tablet show these totals, so
    a day's figure and its findings never disagree."""
    return _totals(build(record, at))


def _totals(timeline: Timeline) -> dict[date, int]:
    return {day.label: day.work // 60 for day in timeline.days}


def _run(timeline: Timeline) -> tuple[list[Breach], list[RuleWarning]]:
    """What every rule says of one version: breaches, and what only the employer can settle
    (warnings are taken from the record as it stands)."""
    breaches: list[Breach] = []
    warnings: list[RuleWarning] = []
    for rule in TIMELINE_RULES:
        for said in rule(timeline):
            if isinstance(said, Breach):
                breaches.append(said)
            else:
                warnings.append(said)
    return breaches, warnings


def _key(said: Breach | RuleWarning) -> tuple[str, tuple[object, ...]]:
    return said.rule.id, said.dates


def _versioned(
    record: Record, current: list[RuleWarning], original: list[RuleWarning], amended: frozenset[int]
) -> list[RuleWarning]:
    """The questions of both versions, each saying which it rests on as a finding does: one
    the driver's entries raise stays when the employer's amendment removes it (`driver`)."""
    original_keys = {_key(w) for w in original}
    current_keys = {_key(w) for w in current}
    kept = []
    for w in current:
        if w.days & amended:
            version = Version.BOTH if _key(w) in original_keys else Version.EMPLOYER
        elif w.days:
            version = _unamended_version(record, w)
        else:  # the whole window (weekly average): not one day's version
            version = Version.BOTH
        kept.append(replace(w, version=version))
    kept += [
        replace(w, version=Version.DRIVER)
        for w in original
        if w.days & amended and _key(w) not in current_keys
    ]
    return kept


def _unamended_version(record: Record, breach: Breach | RuleWarning) -> Version:
    """Both versions when the employer validated every day involved, else the driver's."""
    if breach.days and all(record.days[i].employer_validation for i in breach.days):
        return Version.BOTH
    return Version.DRIVER


def _finding(record: Record, breach: Breach, version: Version) -> Finding:
    flags = set(breach.flags)
    for index in breach.days:
        day = record.days[index]
        if any(activity.end is None for activity in day.activities):
            flags.add(Flag.IN_PROGRESS)
        elif day.driver_validation is None:
            flags.add(Flag.NOT_VALIDATED)
        elif day.driver_validation.automatic:
            flags.add(Flag.VALIDATED_AUTOMATICALLY)
        if day.driver_activities is not None or (
            day.employer_validation is not None and day.employer_validation.changed
        ):
            flags.add(Flag.CHANGED_BY_EMPLOYER)
    ordered = tuple(flag for flag in Flag if flag in flags)
    return Finding(breach.rule, breach.dates, version, breach.figures, breach.explanation, ordered)
