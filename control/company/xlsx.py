"""The company control report as a workbook: every finding and every change in full, one row
each, for the inspector to sort and filter (the PDF gives the changed periods only)."""

from __future__ import annotations

import io

from openpyxl import Workbook

from control.company.files import Source
from control.company.report import CompanyReport
from control.record.model import Author
from control.rules.french import VERSION_LABELS
from control.rules.natinf import LEGAL_PERSON_FACTOR, LEGAL_PERSON_SOURCE
from control.rules.timeline import PARIS
from control.spreadsheet import TextSafeSheet

AUTHORS = {Author.DRIVER: "Conducteur", Author.EMPLOYER: "Employeur"}
PER_EMPLOYEE = {True: "oui", False: "non", None: "non vérifié"}


def render_xlsx(report: CompanyReport) -> bytes:
    book = Workbook(write_only=True)
    drivers = TextSafeSheet(book, "Conducteurs")
    drivers.append(
        ["Conducteur", "Identifiant", "Fichier", "Source", "Émetteur", "Jours travaillés",
         "Infractions", "Modifications", "Sans observation de l'employeur", "Remarques"]
    )  # fmt: skip
    for d in report.drivers:
        drivers.append(
            [d.name, d.driver.id, d.file,
             "signé" if d.source is Source.SIGNED else "JSON non signé", d.issuer or "",
             d.worked_days, len(d.findings), len(d.changes), d.unjustified, " ".join(d.notes)]
        )  # fmt: skip
    findings = TextSafeSheet(book, "Infractions")
    findings.append(
        ["Conducteur", "Identifiant", "NATINF", "Règle", "Dates", "Version", "Explication"]
    )
    for d in report.drivers:
        for f in d.findings:
            findings.append(
                [d.name, d.driver.id, f.natinf or "", f.rule.title,
                 ", ".join(day.strftime("%d/%m/%Y") for day in f.dates),
                 VERSION_LABELS[f.version.value], f.explanation]
            )  # fmt: skip
    offences = TextSafeSheet(book, "Par NATINF")
    offences.append(
        ["NATINF", "Nature", "Qualification", "Prévue par", "Réprimée par",
         "Salariés concernés", "Infractions constatées", "Amende maximale (€)",
         "Multipliée par salarié concerné", "Amende maximale encourue (€)", "Calcul"]
    )  # fmt: skip
    for o in report.offences():
        offences.append(
            [o.code, o.nature, o.qualification, " ; ".join(o.defined_by),
             " ; ".join(o.punished_by), o.employees, o.findings, o.max_fine_eur,
             PER_EMPLOYEE[o.per_employee], o.exposure_eur, o.basis]
        )  # fmt: skip
    if report.offences():
        offences.append(
            ["Total", "", "personne physique", "", "", "", "", "", "", report.exposure_eur,
             f"personne morale : quintuple ({LEGAL_PERSON_SOURCE}), "
             f"{report.exposure_eur * LEGAL_PERSON_FACTOR} €"]
        )  # fmt: skip
    warnings = TextSafeSheet(book, "À vérifier")
    warnings.append(
        ["Conducteur", "Identifiant", "Point à vérifier auprès de l'employeur", "Dates",
         "Explication", "NATINF si le doute est levé contre l'employeur"]
    )  # fmt: skip
    for d in report.drivers:
        for w in d.warnings:
            warnings.append(
                [d.name, d.driver.id, w.rule.title,
                 ", ".join(day.strftime("%d/%m/%Y") for day in w.dates), w.explanation,
                 w.rule.offence.code if w.rule.offence else ""]
            )  # fmt: skip
    changes = TextSafeSheet(book, "Modifications")
    changes.append(
        ["Conducteur", "Identifiant", "Jour", "SIREN", "Validée par l'employeur le",
         "Service conducteur (min)", "Service employeur (min)", "Conduite conducteur (min)",
         "Conduite employeur (min)", "Version du conducteur", "Version de l'employeur",
         "Observations", "Justifiée par l'employeur"]
    )  # fmt: skip
    for d in report.drivers:
        for c in d.changes:
            validated = (
                c.validated_at.astimezone(PARIS).replace(tzinfo=None) if c.validated_at else None
            )
            changes.append(
                [d.name, d.driver.id, c.day, c.employer, validated,
                 c.driver.service_minutes, c.employer_version.service_minutes,
                 c.driver.driving_minutes, c.employer_version.driving_minutes,
                 " ; ".join(c.driver.periods), " ; ".join(c.employer_version.periods),
                 " | ".join(f"{AUTHORS[o.author]} : {o.text}" for o in c.observations),
                 "oui" if c.justified else "non"]
            )  # fmt: skip
    problems = TextSafeSheet(book, "Fichiers écartés")
    problems.append(["Fichier", "Motif"])
    for p in report.problems:
        problems.append([p.file, p.problem])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
