"""Each rule the engine applies: its offence (a NATINF line), its own texts and its label.

A rule's variants (goods or passenger staff) share an `id`, the name findings are stored
under, and differ by `key`, the name the tablet's port of the rules looks them up by. A
warning's `natinf` is the offence it would be if the doubt it names is resolved against the
employer; a warning is never an offence by itself.

Mobilic writes 11298 for the weekly maximum; the offence is NATINF 11289 (checked against
the NATINF nomenclature), which is what the bulletin must carry.
"""

from __future__ import annotations

from dataclasses import dataclass

from control.record.model import Sector
from control.rules.natinf import (
    CATALOGUE,
    NATINF_11289,
    NATINF_11292,
    NATINF_13152,
    NATINF_20525,
    NATINF_23103,
    NATINF_25666,
    NATINF_32083,
    NATINF_35187,
    TRANSPORTS,
    TRAVAIL,
    Natinf,
)


@dataclass(frozen=True)
class RuleInfo:
    id: str
    key: str
    offence: Natinf | None
    title: str  # short French label, as the controller scans a list
    legal: tuple[str, ...]  # the texts the rule applies (its threshold's source)
    warning: bool = False

    @property
    def natinf(self) -> str | None:
        """The offence's code; None for a warning (never an offence by itself)."""
        return None if self.warning or self.offence is None else self.offence.code

    @property
    def klass(self) -> int | None:
        return None if self.natinf is None or self.offence is None else self.offence.klass

    @property
    def qualification(self) -> str:
        """What a procès-verbal carries: the NATINF qualification, else the label."""
        return self.offence.qualification if self.natinf and self.offence else self.title


def _rule(id: str, offence: Natinf | None, title: str, *texts: str, key: str = "") -> RuleInfo:
    return RuleInfo(id, key or id, offence, title, texts)


def _warning(id: str, offence: Natinf | None, title: str, *texts: str) -> RuleInfo:
    return RuleInfo(id, id, offence, title, texts, warning=True)


DAILY_REST = _rule(
    "daily-rest", NATINF_20525, "Repos quotidien insuffisant", f"{TRANSPORTS}, art. R. 3312-53 2°"
)
DAILY_REST_PASSENGERS = _rule(
    "daily-rest",
    NATINF_20525,
    "Repos quotidien insuffisant",
    f"{TRANSPORTS}, art. R. 3312-13",
    key="daily-rest-passengers",
)
DAILY_WORK = _rule(
    "daily-work",
    NATINF_11292,
    "Durée quotidienne maximale de travail dépassée",
    f"{TRANSPORTS}, art. R. 3312-51",
)
DAILY_WORK_PASSENGERS = _rule(
    "daily-work",
    NATINF_11292,
    "Durée quotidienne maximale de travail dépassée",
    f"{TRANSPORTS}, art. D. 3312-6",
    key="daily-work-passengers",
)
NIGHT_WORK = _rule(
    "night-work",
    NATINF_32083,
    "Durée quotidienne maximale dépassée avec travail de nuit",
    f"{TRANSPORTS}, art. L. 3312-1",
)
BREAKS = _rule(
    "breaks", NATINF_35187, "Temps de pause insuffisant", f"{TRANSPORTS}, art. L. 3312-2"
)
WEEKLY_REST = _rule(
    "weekly-rest",
    NATINF_13152,
    "Repos hebdomadaire non respecté",
    f"{TRAVAIL}, art. L. 3132-1",
    f"{TRAVAIL}, art. L. 3132-2",
)
WEEKLY_MAX = _rule(
    "weekly-max",
    NATINF_11289,
    "Durée hebdomadaire maximale de temps de service dépassée",
    f"{TRANSPORTS}, art. R. 3312-50",
)
NO_LIVE_ENTRY_GOODS = _rule(
    "no-live-entry",
    NATINF_23103,
    "Livret individuel de contrôle non tenu en temps réel",
    f"{TRANSPORTS}, art. R. 3312-58 2°",
)
NO_LIVE_ENTRY_PASSENGERS = _rule(
    "no-live-entry",
    NATINF_25666,
    "Livret individuel de contrôle non tenu en temps réel",
    f"{TRANSPORTS}, art. R. 3312-19 2°",
    key="no-live-entry-passengers",
)

# Warnings: what the record cannot decide, worded as the question to put to the employer.
WEEKLY_AVERAGE = _warning(
    "weekly-average",
    None,
    "Durée hebdomadaire moyenne élevée (à vérifier sur la période de référence)",
    f"{TRANSPORTS}, art. R. 3312-50",
    f"{TRAVAIL}, art. L. 3121-22",
)
WEEKLY_MAX_PASSENGERS = _warning(
    "weekly-max-passengers",
    None,
    "Durée hebdomadaire maximale dépassée (voyageurs, à qualifier)",
    f"{TRAVAIL}, art. L. 3121-20",
)
DAILY_WORK_DEROGATION = _warning(
    "daily-work-derogation",
    NATINF_11292,
    "Plus de 10 h de travail (voyageurs) : dérogation à vérifier",
    f"{TRANSPORTS}, art. D. 3312-6",
)
PASSENGERS_AMPLITUDE = _warning(
    "passengers-amplitude",
    NATINF_11292,
    "Amplitude de plus de 12 h (voyageurs) : type de service à vérifier",
    f"{TRANSPORTS}, art. R. 3312-9",
    f"{TRANSPORTS}, art. R. 3312-11",
)
AVAILABILITY_SERVICE_TIME = _warning(
    "availability-service-time",
    NATINF_11292,
    "Disponibilité à qualifier : plus de 12 h de temps de service ?",
    f"{TRANSPORTS}, art. R. 3312-51",
)
BREAKS_SCOPE = _warning(
    "breaks-scope",
    NATINF_35187,
    "Temps de pause insuffisant, si la règle s'applique (à vérifier)",
    f"{TRANSPORTS}, art. L. 3312-2",
)

ALL_RULES = (
    DAILY_REST,
    DAILY_REST_PASSENGERS,
    DAILY_WORK,
    DAILY_WORK_PASSENGERS,
    NIGHT_WORK,
    BREAKS,
    WEEKLY_REST,
    WEEKLY_MAX,
    NO_LIVE_ENTRY_GOODS,
    NO_LIVE_ENTRY_PASSENGERS,
)
ALL_WARNINGS = (
    AVAILABILITY_SERVICE_TIME,
    DAILY_WORK_DEROGATION,
    PASSENGERS_AMPLITUDE,
    BREAKS_SCOPE,
    WEEKLY_MAX_PASSENGERS,
    WEEKLY_AVERAGE,
)

NATINF_TITLES = {code: natinf.qualification for code, natinf in CATALOGUE.items()}

SECTOR_LABELS = {
    Sector.GOODS_LONG_DISTANCE: "marchandises, longue distance",
    Sector.GOODS_REGIONAL: "marchandises, régional",
    Sector.GOODS_PARCEL_CASH: "messagerie et convoyage de fonds",
    Sector.PASSENGERS: "transport de voyageurs",
    Sector.REMOVALS: "déménagement",
}


def no_live_entry_rule(sector: Sector) -> RuleInfo:
    return NO_LIVE_ENTRY_PASSENGERS if sector is Sector.PASSENGERS else NO_LIVE_ENTRY_GOODS


def daily_rest_rule(sector: Sector) -> RuleInfo:
    return DAILY_REST_PASSENGERS if sector is Sector.PASSENGERS else DAILY_REST
