"""Synthetic, realistic 28-day records for the demo, tests and benchmarks.

Every name, SIREN and identifier here is invented (random, seeded): records are personal data
and no real person's may end up in a demo or a test. Places are real INSEE commune codes.
A `Profile` says what kind of driver to simulate and which breaches to plant, so that the
demo shows each working-time rule broken at least once and one driver with none.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from control.record.invariants import check_record
from control.record.model import (
    WINDOW_DAYS,
    Activity,
    ActivityType,
    Author,
    Driver,
    DriverValidation,
    Employer,
    EmployerValidation,
    Observation,
    Place,
    Record,
    Sector,
    VehicleUse,
    WorkDay,
)

PARIS = ZoneInfo("Europe/Paris")
MINUTE = timedelta(minutes=1)
NORMAL_REST = timedelta(hours=11)
LONGEST_STRETCH = 5 * 60 + 30  # minutes of work the planner leaves between two breaks
NORMAL_LONGEST_DAY = {  # minutes
    Sector.GOODS_LONG_DISTANCE: 9 * 60,
    Sector.GOODS_REGIONAL: 8 * 60 + 30,
    Sector.REMOVALS: 8 * 60 + 30,
    Sector.GOODS_PARCEL_CASH: 7 * 60 + 50,
    Sector.PASSENGERS: 7 * 60 + 50,
}

FAMILY_NAMES = (
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupuis",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefèvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Perrin",
    "Robin",
)
GIVEN_NAMES = (
    "Étienne",
    "Amélie",
    "Karim",
    "Sophie",
    "Julien",
    "Nadia",
    "Thierry",
    "Léa",
    "Mathieu",
    "Inès",
    "Cédric",
    "Chloé",
    "Yannick",
    "Maëlle",
    "Rachid",
    "Hélène",
    "Loïc",
    "Zoé",
)
COMPANY_WORDS = ("Transports", "Express", "Logistique", "Fret", "Messageries", "Services")
COMPANY_NAMES = ("Alizé", "Rhône", "Vercors", "Atlantique", "Garonne", "Iroise", "Jura", "Lys")
# (INSEE code, label): real communes, so that the codes look like the real thing.
COMMUNES = (
    ("69123", "Lyon"),
    ("69259", "Vénissieux"),
    ("69290", "Saint-Priest"),
    ("38185", "Grenoble"),
    ("75056", "Paris"),
    ("94065", "Rungis"),
    ("95527", "Roissy-en-France"),
    ("92036", "Gennevilliers"),
    ("13055", "Marseille"),
    ("33063", "Bordeaux"),
    ("31555", "Toulouse"),
    ("44109", "Nantes"),
    ("59350", "Lille"),
    ("67482", "Strasbourg"),
    ("35238", "Rennes"),
    ("21231", "Dijon"),
    ("2A004", "Ajaccio"),
    ("34172", "Montpellier"),
    ("06088", "Nice"),
    ("42218", "Saint-Étienne"),
)
DRIVER_NOTES = (
    "Attente de 40 min au quai de chargement non saisie en temps réel.",
    "Oubli de mettre fin à la pause, corrigé à la validation.",
    "Déviation suite à un accident sur l'A7.",
    "Je conteste la modification : j'ai bien conduit jusqu'à 18 h 10.",
)
EMPLOYER_NOTES = (
    "Heure de fin corrigée d'après le badge du dépôt.",
    "Temps de chargement requalifié en autre tâche.",
    "Pause saisie par erreur en conduite, rectifiée.",
)

# The breaches a profile can plant, and the rule (control.rules) that must find each one.
PLANTS = {
    "long-day": "daily-work",  # daily work above the sector's maximum
    "short-rest": "daily-rest",  # 9 h of rest between two days
    "missing-break": "breaks",  # seven hours of work without a break
    "night-work": "night-work",  # 10 h 40 of work on a day starting at 4 h
    "seven-days": "weekly-rest",  # seven days worked in one calendar week
    "long-week": "weekly-max",  # weekly work above the sector's maximum
    "no-live-entry": "no-live-entry",  # nothing in progress at the time of the control
    "high-average": "weekly-average",  # 50 h weeks: a warning, not a breach
}


def planted_rules(sector: Sector, plants: frozenset[str]) -> set[str]:
    """The rules (and warnings) the engine must report for a profile's plants: in sectors the
    break rule may not cover, a missing break is a question; a passenger's long day also
    has an amplitude over 12 h."""
    rules = {PLANTS[p] for p in plants}
    if "missing-break" in plants and sector in (Sector.PASSENGERS, Sector.GOODS_PARCEL_CASH):
        rules = (rules - {"breaks"}) | {"breaks-scope"}
    if "long-day" in plants and sector is Sector.PASSENGERS:
        rules.add("passengers-amplitude")
    return rules


@dataclass(frozen=True)
class Profile:
    """What kind of driver to simulate: sector, breaches to plant, record features."""

    key: str
    sector: Sector
    plants: frozenset[str] = frozenset()
    worked_days: int = 22
    segments_per_day: int = 7
    employer_changes: int = 0
    justified_changes: bool = True  # the employer writes why he changed a day
    observations: int = 0
    automatic_validations: int = 2
    second_employer: Sector | None = None
    long_notes: bool = False  # notes long enough to overflow one QR code
    note: str = ""

    def __post_init__(self) -> None:
        unknown = self.plants - PLANTS.keys()
        if unknown:
            raise ValueError(f"unknown breaches to plant: {sorted(unknown)}")


def siren(rng: random.Random) -> str:
    """A random SIREN with a valid Luhn key (what a real SIREN satisfies)."""
    digits = [rng.randrange(10) for _ in range(8)]
    for check in range(10):
        candidate = [*digits, check]
        total = 0
        for position, digit in enumerate(reversed(candidate)):
            doubled = digit * 2 if position % 2 else digit
            total += doubled - 9 if doubled > 9 else doubled
        if total % 10 == 0:
            return "".join(map(str, candidate))
    raise AssertionError("unreachable: one check digit always fits")


def plate(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPQRSTVWXYZ"
    return (
        f"{rng.choice(letters)}{rng.choice(letters)}-{rng.randrange(1, 1000):03d}-"
        f"{rng.choice(letters)}{rng.choice(letters)}"
    )


def make_record(profile: Profile, now: datetime, seed: int) -> Record:
    """A 28-day record ending at `now` (the moment of the roadside control)."""
    rng = random.Random(f"{profile.key}:{seed}")
    today = now.astimezone(PARIS).date()
    window_start = today - timedelta(days=WINDOW_DAYS - 1)
    employers = [_employer(rng, profile.sector)]
    if profile.second_employer is not None:
        employers.append(_employer(rng, profile.second_employer))
    depot = rng.choice(COMMUNES)
    vehicles = {p: rng.randrange(20_000, 300_000) for p in (plate(rng), plate(rng))}
    planner = _Planner(rng, profile, now, employers, depot, vehicles)
    days = planner.days(window_start, today)
    driver = Driver(
        id=f"DRV-{rng.randrange(10**7, 10**8)}",
        family_name=rng.choice(FAMILY_NAMES),
        given_name=rng.choice(GIVEN_NAMES),
        birth_date=date(rng.randrange(1962, 2004), rng.randrange(1, 13), rng.randrange(1, 29)),
    )
    record = Record(driver, tuple(employers), window_start, tuple(days))
    check_record(record)
    return record


def _employer(rng: random.Random, sector: Sector) -> Employer:
    name = (
        f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_NAMES)} {rng.choice('ABCDEFGHKLMNPRST')}"
    )
    return Employer(siren(rng), name, sector)


class _Planner:
    """Lays out the worked days of one driver, then plants the profile's breaches."""

    def __init__(
        self,
        rng: random.Random,
        profile: Profile,
        now: datetime,
        employers: list[Employer],
        depot: tuple[str, str],
        odometers: dict[str, int],
    ) -> None:
        self.rng = rng
        self.profile = profile
        self.now = now
        self.employers = employers
        self.depot = Place(depot[0], depot[1])
        self.odometers = odometers

    def days(self, window_start: date, today: date) -> list[WorkDay]:
        dates = self._worked_dates(window_start, today)
        plans = {d: self._normal_plan(d) for d in dates}
        self._short_rest_after: set[date] = set()
        self._plant(plans, dates)
        # today is either the live day (built below) or, without live entry, not worked yet
        plans.pop(today, None)
        live = "no-live-entry" not in self.profile.plants
        days = []
        previous_end: datetime | None = None
        for d in sorted(plans):
            start, segments = plans[d]
            rest = NORMAL_REST if d not in self._short_rest_after else timedelta(0)
            if previous_end is not None and start < previous_end + rest:
                start = previous_end + rest
            day = self._day(d, start, segments, open_last=False, today=today)
            days.append(day)
            previous_end = day.end
        if live:
            start = self.now - timedelta(minutes=self.rng.randrange(100, 260))
            if previous_end is not None and start < previous_end + timedelta(hours=11):
                days.pop()  # the control interrupts a day that started after a normal rest
            segments = self._segments(_minutes(self.now - start), with_break=False)
            days.append(
                self._day(
                    start.astimezone(PARIS).date(), start, segments, open_last=True, today=today
                )
            )
        return days

    def _worked_dates(self, window_start: date, today: date) -> list[date]:
        weekdays = [window_start + timedelta(days=i) for i in range(WINDOW_DAYS)]
        dates = [d for d in weekdays if d.weekday() < 5]
        saturdays = [d for d in weekdays if d.weekday() == 5]
        self.rng.shuffle(saturdays)
        dates += saturdays[: max(0, self.profile.worked_days - len(dates))]
        self.rng.shuffle(dates)
        dates = sorted(dates[: self.profile.worked_days])
        if today not in dates and "no-live-entry" not in self.profile.plants:
            dates.append(today)
        return sorted(dates)

    def _normal_plan(self, day: date) -> tuple[datetime, list[tuple[ActivityType, int]]]:
        start = (
            datetime(day.year, day.month, day.day, 6, 0, tzinfo=PARIS)
            + self.rng.randrange(0, 150) * MINUTE
        )
        # six such days stay within the sector's weekly maximum
        longest = NORMAL_LONGEST_DAY[self.profile.sector]
        work = self.rng.randrange(6 * 60 + 30, longest)
        return start, self._segments(work, with_break=True)

    def _segments(self, total: int, *, with_break: bool) -> list[tuple[ActivityType, int]]:
        """About `segments_per_day` periods, alternating driving and other work, with breaks
        that keep every stretch of work under six hours."""
        count = max(2, self.profile.segments_per_day - (1 if with_break else 0))
        cuts = (
            sorted(self.rng.sample(range(10, total - 9), count - 1)) if total > 20 * count else []
        )
        lengths = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
        kinds = [ActivityType.DRIVING if i % 2 == 0 else self._other() for i in range(len(lengths))]
        segments = list(zip(kinds, lengths, strict=True))
        if not with_break:
            return segments
        pauses = max(1, -(-total // LONGEST_STRETCH) - 1)
        pause = 45 if pauses == 1 else 30
        cuts = [round(total * k / (pauses + 1)) for k in range(1, pauses + 1)]
        result: list[tuple[ActivityType, int]] = []
        elapsed = 0
        for kind, minutes in segments:
            while cuts and elapsed < cuts[0] < elapsed + minutes:
                head = cuts.pop(0) - elapsed
                result += [(kind, head), (ActivityType.BREAK, pause)]
                elapsed, minutes = elapsed + head, minutes - head
            result.append((kind, minutes))
            elapsed += minutes
            if cuts and elapsed == cuts[0]:
                cuts.pop(0)
                result.append((ActivityType.BREAK, pause))
        return result

    def _other(self) -> ActivityType:
        kinds = [ActivityType.WORK] * 6 + [
            ActivityType.SUPPORT,
            ActivityType.TRANSFER,
            ActivityType.AVAILABILITY,
        ]
        return self.rng.choice(kinds)

    def _worked(self, total: int) -> list[tuple[ActivityType, int]]:
        """Segments of a planted day: all of it work (availability would blur the figures)."""
        return [
            (ActivityType.WORK if kind is ActivityType.AVAILABILITY else kind, minutes)
            for kind, minutes in self._segments(total, with_break=True)
        ]

    def _plant(
        self, plans: dict[date, tuple[datetime, list[tuple[ActivityType, int]]]], dates: list[date]
    ) -> None:
        plants = self.profile.plants
        if "high-average" in plants:
            for d in list(plans):
                if d.weekday() < 5:
                    start = datetime(d.year, d.month, d.day, 6, 0, tzinfo=PARIS)
                    plans[d] = (start, self._worked(10 * 60))
                else:
                    del plans[d]
        past = [d for d in dates if d in plans][:-1]
        if "long-day" in plants:
            d = past[3]
            work = 12 * 60 + 40  # beyond any derogation, passengers' 12 h included
            plans[d] = (plans[d][0], self._worked(work))
        if "night-work" in plants:
            d, before = past[7], past[6]
            start = datetime(before.year, before.month, before.day, 6, 0, tzinfo=PARIS)
            plans[before] = (start, self._worked(6 * 60 + 30))
            start = datetime(d.year, d.month, d.day, 4, 0, tzinfo=PARIS)
            plans[d] = (start, self._worked(10 * 60 + 40))
        if "short-rest" in plants:
            # an afternoon shift, then only 9 h of rest before a short morning
            d = past[9]
            start = datetime(d.year, d.month, d.day, 13, 0, tzinfo=PARIS)
            plans[d] = (start, self._worked(8 * 60))
            following = next(x for x in sorted(plans) if x > d)
            end = start + timedelta(minutes=8 * 60 + 45)
            plans[following] = (end + timedelta(hours=9), self._segments(180, with_break=False))
            self._short_rest_after.add(following)
        if "seven-days" in plants or "long-week" in plants:
            monday = past[0] - timedelta(days=past[0].weekday()) + timedelta(days=7)
            for i in range(7 if "seven-days" in plants else 6):
                d = monday + timedelta(days=i)
                hours = (
                    10 * 60 + 30 if "long-week" in plants else self.rng.randrange(6 * 60, 7 * 60)
                )
                start = datetime(d.year, d.month, d.day, 6, 0, tzinfo=PARIS)
                plans[d] = (start, self._worked(hours))
        if "missing-break" in plants:
            d = past[5]
            plans[d] = (
                plans[d][0],
                [(ActivityType.DRIVING, 200), (ActivityType.WORK, 50), (ActivityType.DRIVING, 170)],
            )

    def _day(
        self,
        d: date,
        start: datetime,
        segments: list[tuple[ActivityType, int]],
        *,
        open_last: bool,
        today: date,
    ) -> WorkDay:
        rng, profile = self.rng, self.profile
        employer = self.employers[0].siren
        activities = []
        cursor = start
        second = profile.second_employer is not None and d.weekday() in (1, 3)
        for i, (kind, minutes) in enumerate(segments):
            end = cursor + minutes * MINUTE
            owner = self.employers[1].siren if second and i < 2 else employer
            last = open_last and i == len(segments) - 1
            activities.append(Activity(kind, _fixed(cursor), None if last else _fixed(end), owner))
            cursor = end
        plate_ = rng.choice(list(self.odometers))
        driven = sum(m for k, m in segments if k is ActivityType.DRIVING)
        odometer_start = self.odometers[plate_]
        if open_last:
            vehicle = VehicleUse(plate_, odometer_start, None)
        else:
            self.odometers[plate_] = odometer_start + driven * rng.randrange(55, 85) // 100
            vehicle = VehicleUse(plate_, odometer_start, self.odometers[plate_])
        stop = Place(*rng.choice(COMMUNES)) if rng.random() < 0.3 else self.depot
        day = WorkDay(
            date=start.astimezone(PARIS).date(),
            employer=employer,
            activities=tuple(activities),
            start_place=self.depot,
            end_place=None if open_last else stop,
            vehicles=(vehicle,),
        )
        if open_last or d >= today:
            return day
        finished = activities[-1].end
        assert finished is not None
        return self._validated(day, finished, today)

    def _validated(self, day: WorkDay, end: datetime, today: date) -> WorkDay:
        rng, profile = self.rng, self.profile
        age = (today - day.date).days
        automatic = rng.random() < profile.automatic_validations / max(1, profile.worked_days)
        validated_at = end + (timedelta(hours=24) if automatic else rng.randrange(5, 90) * MINUTE)
        driver_validation = DriverValidation(_fixed(validated_at), automatic)
        if age < 3:
            return replace(day, driver_validation=driver_validation)
        employer_at = _fixed(validated_at + timedelta(hours=rng.randrange(16, 40)))
        changed = rng.random() < profile.employer_changes / max(1, profile.worked_days)
        observations = []
        if rng.random() < profile.observations / max(1, profile.worked_days) or profile.long_notes:
            text = rng.choice(DRIVER_NOTES)
            if profile.long_notes:
                text = _long_note(rng)
            observations.append(Observation(Author.DRIVER, _fixed(validated_at), text))
        if not changed:
            return replace(
                day,
                driver_validation=driver_validation,
                employer_validation=EmployerValidation(employer_at, False),
                observations=tuple(observations),
            )
        original = day.activities
        last = original[-1]
        assert last.end is not None
        cut = min(25, _minutes(last.end - last.start) - 5) * MINUTE
        amended = (*original[:-1], Activity(last.type, last.start, last.end - cut, last.employer))
        why = rng.choice(EMPLOYER_NOTES)  # drawn either way: other days stay the same
        if profile.justified_changes:
            observations.append(Observation(Author.EMPLOYER, employer_at, why))
        return replace(
            day,
            activities=amended,
            driver_validation=driver_validation,
            employer_validation=EmployerValidation(employer_at, True),
            driver_activities=original,
            observations=tuple(observations),
        )


NOTE_WORDS = (
    "attente",
    "quai",
    "client",
    "chargement",
    "déchargement",
    "retard",
    "bouchon",
    "palette",
    "livraison",
    "reprise",
    "dépôt",
    "badge",
    "pause",
    "repas",
    "contrôle",
    "itinéraire",
    "déviation",
    "travaux",
    "panne",
    "dépanneuse",
    "colis",
    "tournée",
    "relevé",
    "kilométrage",
    "signature",
    "bon",
    "refus",
    "absent",
    "avisé",
    "rappel",
    "matin",
    "soir",
    "heure",
    "minutes",
    "entrepôt",
    "plateforme",
    "hayon",
    "sangles",
    "météo",
    "neige",
    "verglas",
    "accident",
)


def _long_note(rng: random.Random) -> str:
    """A long free-text observation (the kind that makes a record overflow one QR code)."""
    words = [rng.choice(NOTE_WORDS) for _ in range(300)]
    return " ".join(words)[:1900].rstrip() + "."


def _fixed(when: datetime) -> datetime:
    """Local Paris time as a fixed offset, as the driver's software records it."""
    local = when.astimezone(PARIS)
    offset = local.utcoffset()
    assert offset is not None
    return local.replace(tzinfo=timezone(offset))


def _minutes(delta: timedelta) -> int:
    return delta // MINUTE
