"""Daily rules: the daily rest, the daily maximum of work, and the maximum with night work.

Passenger staff's daily maximum (D. 3312-6) has derogations the record cannot prove or rule
out: a day over 10 h is a finding only when no derogation can cover it, else a warning that
names the derogation to check with the employer.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from control.record.model import Sector
from control.rules import french
from control.rules.catalogue import (
    AVAILABILITY_SERVICE_TIME,
    DAILY_WORK,
    DAILY_WORK_DEROGATION,
    DAILY_WORK_PASSENGERS,
    NIGHT_WORK,
    PASSENGERS_AMPLITUDE,
    SECTOR_LABELS,
    RuleInfo,
    daily_rest_rule,
)
from control.rules.findings import Breach, RuleWarning
from control.rules.timeline import HOUR, ServiceDay, Timeline, five_am, midnight, paris_date

REST_WINDOW = 24 * HOUR
MINIMUM_REST = 10 * HOUR
# Past this amplitude a day has necessarily worked inside a 24 h period with no 10 h rest:
# the rest before the day covers the 24 h before any moment up to 14 h after its start, and
# every pause inside a day is shorter than 10 h (that is what makes it one day).
LONGEST_COVERED = REST_WINDOW - MINIMUM_REST
GOODS_DAILY_MAX = 12 * HOUR  # R. 3312-51
PASSENGERS_DAILY_MAX = 10 * HOUR  # D. 3312-6, al. 1
PASSENGERS_DEROGATION_MAX = 12 * HOUR  # D. 3312-6, al. 2 and 3: twice a week at most
PASSENGERS_DEROGATIONS_PER_WEEK = 2
PASSENGERS_SECOND_DEROGATION_DAYS = 5  # the week's work spread over 5 days at least
PASSENGERS_LONG_AMPLITUDE = 12 * HOUR  # R. 3312-9
PASSENGERS_DAILY_MAX_LONG = 9 * HOUR  # R. 3312-11, 1°
NIGHT_DAILY_MAX = 10 * HOUR  # L. 3312-1


def day_dates(day: ServiceDay) -> tuple[date, ...]:
    """Every Paris date the day's service touches (a night shift has two)."""
    first, last = day.label, paris_date(day.end - 1)
    return tuple(first + timedelta(days=i) for i in range((last - first).days + 1))


def daily_rest(timeline: Timeline) -> Iterator[Breach]:
    """At least 10 consecutive hours of rest in the 24 hours before any moment where the
    worker performs effective work or is at the employer's disposal (R. 3312-53 2°):
    availability counts as a moment to look back from, like work."""
    for day in timeline.days:
        last_work = max((s.end for s in day.spans), default=None)
        if last_work is None or last_work - day.start <= LONGEST_COVERED:
            continue
        window_start = last_work - REST_WINDOW
        # the rest before the day and the pauses inside it, cut to the 24 h window
        before = max(0, day.start - window_start)
        pauses = [
            end - max(start, window_start)
            for start, end in day.pauses()
            if start < last_work and end > window_start
        ]
        longest = max([before, *pauses])
        yield Breach(
            daily_rest_rule(timeline.sector(day.work_by_employer)),
            day_dates(day),
            {
                "longest_rest_minutes": french.minutes(longest),
                "required_rest_minutes": french.minutes(MINIMUM_REST),
                "amplitude_minutes": french.minutes(last_work - day.start),
            },
            f"Dans les 24 h précédant la fin du service ({french.moment(last_work)}), le plus "
            f"long repos n'a duré que {french.duration(longest)} : il faut au moins 10 h "
            f"consécutives. Service commencé {french.moment(day.start)}.",
            day.days,
        )


def daily_work(timeline: Timeline) -> Iterator[Breach | RuleWarning]:
    """Goods and removals: at most 12 h of work a day (R. 3312-51). Passenger staff: 10 h
    (D. 3312-6), 12 h twice a week at most under conditions; an amplitude over 12 h is a
    warning (R. 3312-9 and R. 3312-11 spare regular and occasional services)."""
    over_ten: dict[date, int] = {}  # passenger days over 10 h, by the Monday of their week
    for day in timeline.days:
        sector = timeline.sector(day.work_by_employer)
        if sector is not Sector.PASSENGERS:
            if day.work > GOODS_DAILY_MAX:
                yield _over(day, DAILY_WORK, GOODS_DAILY_MAX, SECTOR_LABELS[sector])
            elif day.work + (spare := available(day)) > GOODS_DAILY_MAX:
                yield _availability_to_check(day, spare)
            continue
        if day.amplitude > PASSENGERS_LONG_AMPLITUDE:
            yield _long_amplitude(day)
        if day.work <= PASSENGERS_DAILY_MAX:
            continue
        monday = day.label - timedelta(days=day.label.weekday())
        nth = over_ten[monday] = over_ten.get(monday, 0) + 1
        reason = _no_derogation(timeline, day, monday, nth)
        if reason:
            yield _over(day, DAILY_WORK_PASSENGERS, PASSENGERS_DAILY_MAX, reason)
        else:
            yield _derogation_to_check(day, nth)


def _no_derogation(timeline: Timeline, day: ServiceDay, monday: date, nth: int) -> str:
    """Why no derogation of D. 3312-6 can cover this passenger day, or "" if one may."""
    if day.work > PASSENGERS_DEROGATION_MAX:
        beyond = french.duration(day.work - PASSENGERS_DEROGATION_MAX)
        return f"transport de voyageurs ; aucune dérogation ne dépasse 12 h, dépassées de {beyond}"
    if nth > PASSENGERS_DEROGATIONS_PER_WEEK:
        return (
            f"transport de voyageurs ; {nth}e journée de plus de 10 h de la semaine, les "
            f"dérogations n'en couvrent que deux"
        )
    if nth == PASSENGERS_DEROGATIONS_PER_WEEK:
        week = next((w for w in timeline.weeks() if w.monday == monday), None)
        if week is not None and week.observed:  # an unseen week is never held against him
            sunday = monday + timedelta(days=6)
            worked = sum(1 for d in timeline.days if monday <= d.label <= sunday and d.work)
            if worked < PASSENGERS_SECOND_DEROGATION_DAYS:
                return (
                    f"transport de voyageurs ; seconde journée de plus de 10 h d'une semaine "
                    f"travaillée sur {worked} jours, la dérogation exige 5 jours au moins"
                )
    return ""


def _over(day: ServiceDay, rule: RuleInfo, limit: int, reason: str) -> Breach:
    excess = day.work - limit
    return Breach(
        rule,
        day_dates(day),
        {
            "work_minutes": french.minutes(day.work),
            "limit_minutes": french.minutes(limit),
            "excess_minutes": french.minutes(excess),
            "amplitude_minutes": french.minutes(day.amplitude),
        },
        f"Journée commencée {french.moment(day.start)} : {french.duration(day.work)} de "
        f"travail pour un maximum de {french.duration(limit)} ({reason}), soit "
        f"{french.duration(excess)} de trop.",
        day.days,
    )


def available(day: ServiceDay) -> int:
    """Seconds of availability in the day."""
    return sum(s.end - s.start for s in day.spans if not s.work)


def _availability_to_check(day: ServiceDay, spare: int) -> RuleWarning:
    """R. 3312-51 limits the "temps de service", which for goods staff counts the time at the
    employer's disposal (`spare` seconds of it here); the LIC's "disponibilité" may or may
    not be that time."""
    service = day.work + spare
    return RuleWarning(
        AVAILABILITY_SERVICE_TIME,
        day_dates(day),
        {
            "work_minutes": french.minutes(day.work),
            "availability_minutes": french.minutes(spare),
            "limit_minutes": french.minutes(GOODS_DAILY_MAX),
        },
        f"Journée commencée {french.moment(day.start)} : {french.duration(day.work)} de "
        f"travail et {french.duration(spare)} de disponibilité, soit "
        f"{french.duration(service)} si la disponibilité est du temps à disposition de "
        f"l'employeur (attentes sur ordre, au lieu de travail ou dans le véhicule), qui compte "
        f"dans le temps de service limité à 12 h (R. 3312-51). À demander au conducteur et à "
        f"l'employeur : la nature de ces périodes. Si c'est du temps à disposition : NATINF "
        f"11292.",
        day.days,
    )


def _derogation_to_check(day: ServiceDay, nth: int) -> RuleWarning:
    which = "la première" if nth == 1 else "la seconde"
    condition = "" if nth == 1 else ", si la semaine est répartie sur 5 jours au moins"
    return RuleWarning(
        DAILY_WORK_DEROGATION,
        day_dates(day),
        {
            "work_minutes": french.minutes(day.work),
            "limit_minutes": french.minutes(PASSENGERS_DAILY_MAX),
            "days_over_in_week": nth,
        },
        f"Journée commencée {french.moment(day.start)} : {french.duration(day.work)} de "
        f"travail, plus que les 10 h de l'article D. 3312-6 (transport de voyageurs). C'est "
        f"{which} journée de plus de 10 h de la semaine : une dérogation à 12 h peut la "
        f"couvrir{condition}, en cas d'urgence ou par accord collectif, 6 fois au plus par "
        f"12 semaines pour la seconde. À demander à l'employeur : l'accord ou l'urgence "
        f"invoqués. Sans dérogation : NATINF 11292.",
        day.days,
    )


def _long_amplitude(day: ServiceDay) -> RuleWarning:
    over_nine = day.work > PASSENGERS_DAILY_MAX_LONG
    work = f" et {french.duration(day.work)} de travail" + (" (plus de 9 h)" if over_nine else "")
    return RuleWarning(
        PASSENGERS_AMPLITUDE,
        day_dates(day),
        {
            "amplitude_minutes": french.minutes(day.amplitude),
            "work_minutes": french.minutes(day.work),
        },
        f"Journée commencée {french.moment(day.start)} : amplitude de "
        f"{french.duration(day.amplitude)}{work}. Hors service régulier ou occasionnel, "
        f"l'amplitude est de 12 h au plus (R. 3312-9) ; portée jusqu'à 14 h, elle exige "
        f"l'autorisation de l'inspecteur du travail, 9 h de travail au plus et des "
        f"interruptions (R. 3312-11). À demander à l'employeur : le type de service et, "
        f"le cas échéant, l'autorisation.",
        day.days,
    )


def night_minutes(day: ServiceDay) -> int:
    """Seconds of work between 0 h and 5 h (Paris time) in the day."""
    total = 0
    for span in day.spans:
        if not span.work:
            continue
        current = paris_date(span.start)
        while midnight(current) < span.end:
            low, high = midnight(current), five_am(current)
            total += max(0, min(span.end, high) - max(span.start, low))
            current += timedelta(days=1)
    return total


def night_work(timeline: Timeline) -> Iterator[Breach]:
    """A day with any work between 0 h and 5 h: at most 10 h of work."""
    for day in timeline.days:
        if day.work <= NIGHT_DAILY_MAX:
            continue
        night = night_minutes(day)
        if not night:
            continue
        excess = day.work - NIGHT_DAILY_MAX
        yield Breach(
            NIGHT_WORK,
            day_dates(day),
            {
                "work_minutes": french.minutes(day.work),
                "night_work_minutes": french.minutes(night),
                "limit_minutes": french.minutes(NIGHT_DAILY_MAX),
                "excess_minutes": french.minutes(excess),
            },
            f"Journée commencée {french.moment(day.start)} avec du travail de nuit "
            f"({french.duration(night)} entre 0 h et 5 h) : {french.duration(day.work)} de "
            f"travail pour un maximum de 10 h, soit {french.duration(excess)} de trop.",
            day.days,
        )
