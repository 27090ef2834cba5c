"""The findings of a control whatever its source, each with the agent's decision so far.

A QR control's findings were decided when it was recorded. A paper LIC's come from the
agent's transcription of its sheets, a service schedule's from its plan: they are proposed
the same way (all but the suggestions ticked) up to the bulletin's step 3, where the agent
decides. Every page that lists or issues findings reads them here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from control.paper.schedule import ON_SCHEDULE, PlanAnalysis, analyze_schedule, by_rule
from control.paper.transcription import ON_PAPER, PaperAnalysis, analyze_sheets, parties
from control.rules import Finding, Flag
from control.rules.natinf import qualification
from control.storage.controls import Control, ControlKind
from control.storage.schedules import StoredSchedule, get_schedule
from control.storage.sheets import StoredSheet, list_sheets


class Source:
    """Where a finding comes from, as the bulletin form says it."""

    RECORD = "Relevé signé du LIC électronique"
    PAPER = "Transcription du livret papier"
    SCHEDULE = "Horaire de service prévu"


@dataclass(frozen=True)
class ControlFinding:
    key: str  # stable across pages and drafts: what the bulletin form sends back
    natinf: str
    title: str
    dates: tuple[date, ...]
    explanation: str
    source: str
    retained: bool  # the agent's decision (QR), or what is proposed (paper, schedule)
    decided: bool  # the agent decided it when recording the control


def paper_analysis(control: Control, sheets: list[StoredSheet]) -> PaperAnalysis | None:
    """The rules over a paper LIC's transcribed sheets (None before the first sheet)."""
    if control.kind is not ControlKind.PAPER or not sheets:
        return None
    driver, employer = parties(
        control.driver_name, control.employer_siren, control.employer_name, sheets[-1].sector
    )
    return analyze_sheets([s.sheet for s in sheets], driver, employer, control.occurred_at)


def schedule_plan(control: Control, stored: StoredSchedule | None) -> PlanAnalysis | None:
    """The rules over a service schedule's planned 28 days (None before it is typed)."""
    if control.kind is not ControlKind.SCHEDULE or stored is None:
        return None
    schedule = stored.schedule
    driver, employer = parties(
        schedule.employee_name, schedule.employer_siren, schedule.employer_name, stored.sector
    )
    return analyze_schedule(schedule, driver, employer, control.occurred_at)


def control_findings(engine: Engine, control: Control) -> list[ControlFinding]:
    """Every finding the bulletin may carry, whatever the control's source."""
    paper = plan = None
    if control.kind is ControlKind.PAPER:
        paper = paper_analysis(control, list_sheets(engine, control.id))
    elif control.kind is ControlKind.SCHEDULE:
        plan = schedule_plan(control, get_schedule(engine, control.id))
    return findings_of(control, paper, plan)


def findings_of(
    control: Control, paper: PaperAnalysis | None, plan: PlanAnalysis | None
) -> list[ControlFinding]:
    """The findings of a control whose paper or plan analysis the caller already has."""
    if control.kind is ControlKind.ELECTRONIC:
        return [
            ControlFinding(
                f"qr-{position}",
                f.natinf,
                qualification(f.natinf),
                tuple(date.fromisoformat(d) for d in f.dates),
                f.explanation,
                Source.RECORD,
                f.retained,
                True,
            )
            for position, f in enumerate(control.findings)
            if f.natinf
        ]
    if paper is not None:
        return [_proposed(f, Source.PAPER) for f in paper.analysis.findings if f.natinf]
    if plan is not None:  # a weekly plan repeats its breaches: one line per rule
        return [
            _proposed(repeated.latest, Source.SCHEDULE)
            for repeated in by_rule(plan.analysis)
            if repeated.latest.natinf
        ]
    return []


def _proposed(finding: Finding, source: str) -> ControlFinding:
    """A finding of a paper LIC or a plan: its explanation without the "(sur …)" its source
    already says."""
    natinf = finding.natinf or ""
    explanation = finding.explanation
    for said in (f" ({ON_PAPER})", f" ({ON_SCHEDULE})"):
        explanation = explanation.removesuffix(said)
    dates = "-".join(d.isoformat() for d in finding.dates)
    return ControlFinding(
        f"{finding.rule.id}:{dates}:{finding.version.value}",
        natinf,
        qualification(natinf),
        finding.dates,
        explanation,
        source,
        Flag.SUGGESTED not in finding.flags,
        False,
    )


def kept_keys(draft_kept: list[str]) -> set[str]:
    """The keys a bulletin draft retains; a draft saved before keys were used holds the
    positions of the QR findings."""
    return {f"qr-{k}" if k.isdigit() else k for k in draft_kept}
