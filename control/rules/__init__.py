"""The working-time rules of light road transport, applied to a 28-day record.

`analyze(record, at)` returns every breach found (with its NATINF) and the warnings that a
28-day window can only hint at. See docs/rules.md for the definitions used.
"""

from control.rules.engine import analyze, day_totals
from control.rules.findings import Analysis, Finding, Flag, RuleWarning, Version

__all__ = ["Analysis", "Finding", "Flag", "RuleWarning", "Version", "analyze", "day_totals"]
