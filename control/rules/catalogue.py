"""The NATINF table: each rule with its offence code, contravention class and legal texts.

Mobilic writes 11298 for the weekly maximum; the offence is NATINF 11289 (checked against
the NATINF nomenclature), which is what the bulletin must carry.
"""

from __future__ import annotations

from dataclasses import dataclass

from control.record.model import Sector


@dataclass(frozen=True)
class RuleInfo:
    id: str
    natinf: str | None  # None for a warning, which is never an offence by itself
    klass: int | None  # contravention class (4 or 5)
    title: str  # French, as the controller reads it
    legal: tuple[str, ...]


DAILY_REST = RuleInfo(
    "daily-rest",
    "20525",
    4,
    "Repos quotidien insuffisant",
    ("Code des transports, art. R. 3312-51",),
)
DAILY_WORK = RuleInfo(
    "daily-work",
    "11292",
    4,
    "Dépassement de la durée maximale de travail quotidien",
    ("Code des transports, art. R. 3312-50", "Code des transports, art. L. 3312-1"),
)
NIGHT_WORK = RuleInfo(
    "night-work",
    "32083",
    5,
    "Dépassement de la durée de travail quotidien en cas de travail de nuit",
    ("Code des transports, art. L. 3312-1", "Code des transports, art. R. 3312-53"),
)
BREAKS = RuleInfo(
    "breaks",
    "35187",
    4,
    "Temps de pause insuffisant",
    ("Code des transports, art. L. 3312-2", "Code des transports, art. D. 3312-6"),
)
WEEKLY_REST = RuleInfo(
    "weekly-rest",
    "13152",
    5,
    "Non-respect du repos hebdomadaire",
    ("Code du travail, art. L. 3132-1", "Code du travail, art. L. 3132-2"),
)
WEEKLY_MAX = RuleInfo(
    "weekly-max",
    "11289",
    5,
    "Dépassement de la durée maximale de travail hebdomadaire",
    ("Code des transports, art. R. 3312-50", "Code des transports, art. D. 3312-6"),
)
WEEKLY_AVERAGE = RuleInfo(
    "weekly-average",
    None,
    None,
    "Durée hebdomadaire moyenne élevée (à vérifier sur la période de référence)",
    ("Code des transports, art. R. 3312-50",),
)
NO_LIVE_ENTRY_GOODS = RuleInfo(
    "no-live-entry",
    "23103",
    4,
    "Absence de saisie en temps réel dans le livret individuel de contrôle",
    ("Code des transports, art. R. 3312-9", "Code des transports, art. R. 3312-11"),
)
NO_LIVE_ENTRY_PASSENGERS = RuleInfo(
    "no-live-entry",
    "25666",
    4,
    "Absence de saisie en temps réel dans le livret individuel de contrôle (voyageurs)",
    ("Code des transports, art. R. 3312-9", "Code des transports, art. R. 3312-11"),
)

ALL_RULES = (
    DAILY_REST,
    DAILY_WORK,
    NIGHT_WORK,
    BREAKS,
    WEEKLY_REST,
    WEEKLY_MAX,
    NO_LIVE_ENTRY_GOODS,
    NO_LIVE_ENTRY_PASSENGERS,
)

NATINF_TITLES = {rule.natinf: rule.title for rule in ALL_RULES if rule.natinf}

SECTOR_LABELS = {
    Sector.GOODS_LONG_DISTANCE: "marchandises, longue distance",
    Sector.GOODS_REGIONAL: "marchandises, régional",
    Sector.GOODS_PARCEL_CASH: "messagerie et convoyage de fonds",
    Sector.PASSENGERS: "transport de voyageurs",
    Sector.REMOVALS: "déménagement",
}


def no_live_entry_rule(sector: Sector) -> RuleInfo:
    return NO_LIVE_ENTRY_PASSENGERS if sector is Sector.PASSENGERS else NO_LIVE_ENTRY_GOODS
