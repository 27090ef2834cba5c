"""The company control report: every driver's record through the rules, and every day the
employer changed after the driver, with both versions and the observations.

In a company control the employer must justify each change he made to what his drivers
entered. The report lists them all, the driver's version beside the employer's, and says
which ones carry no employer observation.

Per NATINF it counts the employees concerned and the findings, and gives the maximum fine
the employer incurs (`OffenceTally`). The warnings are what to ask the employer: listed,
never counted as offences.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from control.company.files import DriverFile, Source
from control.record.model import (
    Activity,
    ActivityType,
    Author,
    Driver,
    Employer,
    Observation,
    WorkDay,
)
from control.rules.engine import analyze
from control.rules.findings import Finding, RuleWarning
from control.rules.french import ACTIVITY_LABELS, duration
from control.rules.natinf import CATALOGUE, Natinf, euros, qualification
from control.rules.timeline import PARIS

SERVICE = frozenset(ActivityType) - {ActivityType.BREAK}


@dataclass(frozen=True)
class Version:
    """One version of a changed day: its periods, as words, and its totals."""

    periods: tuple[str, ...]  # "06:00–11:30 Conduite"
    service_minutes: int
    driving_minutes: int
    changed: tuple[str, ...] = ()  # its periods the other version does not have

    @classmethod
    def of(cls, activities: Iterable[Activity]) -> Version:
        ended = [(a, a.end) for a in activities if a.end is not None]
        return cls(
            tuple(
                f"{a.start.astimezone(PARIS):%H:%M}–{end.astimezone(PARIS):%H:%M} "
                f"{ACTIVITY_LABELS[a.type]}"
                for a, end in ended
            ),
            sum(_minutes(a.start, end) for a, end in ended if a.type in SERVICE),
            sum(_minutes(a.start, end) for a, end in ended if a.type is ActivityType.DRIVING),
        )

    def against(self, other: Version) -> Version:
        """This version with the periods that `other` lacks marked as changed."""
        theirs = set(other.periods)
        return replace(self, changed=tuple(p for p in self.periods if p not in theirs))


def _minutes(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds()) // 60


@dataclass(frozen=True)
class EmployerChange:
    day: date
    employer: str  # SIREN of the day's employer, who made the change
    driver: Version
    employer_version: Version
    validated_at: datetime | None
    observations: tuple[Observation, ...]

    @property
    def justified(self) -> bool:
        """The employer wrote why: an observation of his on that day."""
        return any(o.author is Author.EMPLOYER for o in self.observations)

    @property
    def service_difference(self) -> str:
        """ "−45 min", "+1 h 10", "aucune" : the employer's service time minus the driver's."""
        delta = self.employer_version.service_minutes - self.driver.service_minutes
        if not delta:
            return "aucune"
        return f"{'+' if delta > 0 else '−'}{duration(abs(delta) * 60)}"


@dataclass(frozen=True)
class DriverReport:
    """One driver's file through the rules: what the report keeps of it. Not the record's
    days: without them it is a few kilobytes, quick to send back from a helper process."""

    file: str
    driver: Driver
    employers: tuple[Employer, ...]
    worked_days: int
    source: Source
    issuer: str | None
    notes: tuple[str, ...]
    findings: tuple[Finding, ...]
    changes: tuple[EmployerChange, ...]
    warnings: tuple[RuleWarning, ...] = ()  # to ask the employer; never an offence

    @property
    def name(self) -> str:
        return f"{self.driver.family_name.upper()} {self.driver.given_name}"

    @property
    def unjustified(self) -> int:
        return sum(not change.justified for change in self.changes)

    @property
    def clean(self) -> bool:
        """Nothing to put to the employer: no finding, no change of his, no point to check."""
        return not (self.findings or self.changes or self.warnings)

    def natinf(self) -> Counter[str]:
        return Counter(f.natinf for f in self.findings if f.natinf)


@dataclass(frozen=True)
class OffenceTally:
    """One NATINF over the company: the employees concerned (distinct drivers with at least
    one finding of it), the findings, and the maximum fine the employer incurs as a natural
    person: findings × the class's maximum. Each finding is a contravention of its own (one
    driver, one day or week) and contravention fines add up; where the punishing text
    pronounces the fine per employee concerned, each finding concerns one employee, so the
    multiplication is already in the count — counting employees instead would let ten
    breaches of one driver weigh as one."""

    code: str
    employees: int
    findings: int

    @property
    def offence(self) -> Natinf | None:
        return CATALOGUE.get(self.code)

    @property
    def qualification(self) -> str:
        return qualification(self.code)

    @property
    def nature(self) -> str:
        return self.offence.nature if self.offence else ""

    @property
    def defined_by(self) -> tuple[str, ...]:
        return self.offence.defined_by if self.offence else ()

    @property
    def punished_by(self) -> tuple[str, ...]:
        return self.offence.punished_by if self.offence else ()

    @property
    def per_employee(self) -> bool | None:
        return self.offence.per_employee if self.offence else None

    @property
    def max_fine_eur(self) -> int | None:
        return self.offence.max_fine_eur if self.offence else None

    @property
    def multiplier(self) -> int:
        """What the maximum fine is multiplied by: the contraventions found."""
        return self.findings

    @property
    def exposure_eur(self) -> int | None:
        """The maximum the employer incurs (natural person); None for an unknown code."""
        fine = self.max_fine_eur
        return None if fine is None else self.multiplier * fine

    @property
    def basis(self) -> str:
        """How the exposure is counted, in French: `3 infractions × 750 €, par infraction
        constatée et par salarié concerné`, `… (multiplication par salarié non vérifiée)`."""
        fine = self.max_fine_eur
        if fine is None:
            return "classe inconnue : amende non calculée"
        said = f"{_plural(self.findings, 'infraction')} × {euros(fine)}, par infraction constatée"
        if self.per_employee:
            said += " et par salarié concerné"
        elif self.per_employee is None:
            said += " (multiplication par salarié non vérifiée)"
        return said


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


@dataclass(frozen=True)
class FileProblem:
    file: str
    problem: str


Analysed = DriverReport | FileProblem  # a file through the rules, or why it was set aside


@dataclass(frozen=True)
class CompanyReport:
    siren: str
    name: str
    at: datetime
    drivers: tuple[DriverReport, ...]
    problems: tuple[FileProblem, ...]

    def natinf(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for driver in self.drivers:
            total.update(driver.natinf())
        return total

    def offences(self) -> tuple[OffenceTally, ...]:
        """Per NATINF, most findings first: employees concerned, findings, exposure."""
        employees: Counter[str] = Counter()
        for driver in self.drivers:
            employees.update(set(driver.natinf()))  # each driver once per code
        return tuple(
            OffenceTally(code, employees[code], count)
            for code, count in sorted(self.natinf().items(), key=lambda c: (-c[1], c[0]))
        )

    @property
    def exposure_eur(self) -> int:
        """The sum of the offences' maximum fines (natural person; known codes only)."""
        return sum(t.exposure_eur or 0 for t in self.offences())

    @property
    def warnings(self) -> int:
        return sum(len(driver.warnings) for driver in self.drivers)

    @property
    def clean(self) -> int:
        """Drivers with nothing to put to the employer: counted, not listed, in the PDF."""
        return sum(driver.clean for driver in self.drivers)

    @property
    def changes(self) -> int:
        return sum(len(driver.changes) for driver in self.drivers)

    @property
    def unjustified(self) -> int:
        return sum(driver.unjustified for driver in self.drivers)


def analyse(file: DriverFile, at: datetime) -> Analysed:
    """One file through the rules, alone: a helper process can take a share of the files."""
    return with_rules(outline(file), file, at)


def outline(file: DriverFile) -> Analysed:
    """A file's share of the report before the rules: its driver, employers and changes, all
    the changes' part of the PDF shows and all `assemble` weighs; no finding, no warning."""
    record, source = file.record, file.source
    if record is None or source is None:
        return FileProblem(file.name, file.problem or "fichier écarté.")
    return DriverReport(
        file.name,
        record.driver,
        record.employers,
        len(record.days),
        source,
        file.issuer,
        file.notes,
        (),
        tuple(_change(day) for day in record.days if day.driver_activities is not None),
    )


def with_rules(outlined: Analysed, file: DriverFile, at: datetime) -> Analysed:
    """`outline(file)` with the rules' findings and warnings."""
    if isinstance(outlined, FileProblem) or file.record is None:
        return outlined
    analysis = analyze(file.record, file.as_of or at, live_entry=False)
    return replace(outlined, findings=analysis.findings, warnings=analysis.warnings)


def build_report(
    files: Iterable[DriverFile], at: datetime, siren: str = "", name: str = ""
) -> CompanyReport:
    """The report over the usable files (see `assemble`)."""
    return assemble([analyse(file, at) for file in files], at, siren, name)


def assemble(
    analysed: Iterable[Analysed], at: datetime, siren: str = "", name: str = ""
) -> CompanyReport:
    """The report over the files analysed, in their order. `siren`: the controlled company;
    blank, it is the employer most drivers worked for. A file of a driver already seen, or
    of a driver who never worked for the company, is set aside with the reason."""
    listed = list(analysed)
    problems = [p for p in listed if isinstance(p, FileProblem)]
    usable = [d for d in listed if isinstance(d, DriverReport)]
    if not siren:
        employers = Counter(e.siren for driver in usable for e in driver.employers)
        siren = employers.most_common(1)[0][0] if employers else ""
    drivers = []
    seen: dict[str, str] = {}
    for driver in usable:
        company = next((e for e in driver.employers if e.siren == siren), None)
        if company is None:
            problems.append(
                FileProblem(driver.file, f"le conducteur n'a pas travaillé pour {siren}.")
            )
            continue
        name = name or company.name  # the company's name as its drivers' records give it
        person = driver.driver
        identity = person.id or f"{person.family_name} {person.given_name}"
        if identity in seen:
            problems.append(
                FileProblem(driver.file, f"même conducteur que le fichier {seen[identity]}.")
            )
            continue
        seen[identity] = driver.file
        drivers.append(driver)
    drivers.sort(key=lambda d: (d.name, d.file))
    return CompanyReport(siren, name, at, tuple(drivers), tuple(problems))


def _change(day: WorkDay) -> EmployerChange:
    driver, employer = Version.of(day.driver_activities or ()), Version.of(day.activities)
    return EmployerChange(
        day.date,
        day.employer,
        driver.against(employer),
        employer.against(driver),
        day.employer_validation.at if day.employer_validation else None,
        day.observations,
    )
