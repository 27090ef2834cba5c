"""Establishing a company control's report from the files kept: what the server does when the
inspector asks for it, and what benchmarks/company_report.py times."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from control.company.files import DriverFile, read_driver_file
from control.company.pdf import PdfRendering, sign_report
from control.company.report import (
    Analysed,
    CompanyReport,
    analyse,
    assemble,
    outline,
    with_rules,
)
from control.company.xlsx import render_xlsx
from control.gc_pause import fewer_collections
from control.pades.certs import SigningIdentity
from control.rules.natinf import LEGAL_PERSON_FACTOR
from control.services.workers import Offered, WorkerPool
from control.verify.trustlist import TrustList

# The helper's share of the files. It reads and analyses them (about 1.9 ms a file, 500
# drivers × 28 days), this process only reads its own first (1 ms): 35 % evens out the two
# before the report is assembled, and this process's rules (0.9 ms a file) then run while
# the helper renders the changes' part (0.75 s for 500 drivers). The XLSX (0.12 s) follows
# on the helper while this process joins and signs the PDF (0.2 s).
HELPER_SHARE = 0.35


@dataclass(frozen=True)
class KeptFile:
    """A file as kept: its text when it was usable, else why it was set aside."""

    name: str
    content: str | None
    problem: str | None = None


@dataclass(frozen=True)
class Established:
    report: CompanyReport
    pdf: bytes
    xlsx: bytes


def establish(
    files: Iterable[KeptFile],
    trust: TrustList,
    at: datetime,
    siren: str = "",
    name: str = "",
    *,
    identity: SigningIdentity,
    helper: WorkerPool | None = None,
) -> Established:
    """Each kept file is read again against today's trust list (a key revoked since the
    import no longer vouches for its codes), then the report and its two files are made,
    the PDF signed with `identity`.

    With a `helper` process, two cores at work. The helper reads and analyses a share of
    the files while this process reads the rest, without the rules; the changes' part of
    the PDF needs no rule, so the helper renders it at once, while this process runs the
    rules over its files, then renders the summary's part, joins and signs; the helper
    makes the XLSX meanwhile, once the changes' part is done."""
    listed = list(files)
    with fewer_collections():
        mine = len(listed) - (round(len(listed) * HELPER_SHARE) if helper is not None else 0)
        theirs = Offered(helper, examine, listed[mine:], trust, at)
        read = [read_kept(f, trust, at) for f in listed[:mine]]
        outlined = [outline(f) for f in read]
        helped = theirs.result()
        pdf = PdfRendering(assemble(outlined + helped, at, siren, name), helper)
        analysed = [with_rules(o, f, at) for o, f in zip(outlined, read, strict=True)]
        report = assemble(analysed + helped, at, siren, name)
        xlsx = Offered(helper, render_xlsx, report)  # after the changes' part, there
        pdf_bytes = sign_report(pdf.result(report), report, identity)
        return Established(report, pdf_bytes, xlsx.result())


def read_kept(file: KeptFile, trust: TrustList, at: datetime) -> DriverFile:
    if file.content is None:
        return DriverFile(file.name, problem=file.problem or "fichier écarté.")
    return read_driver_file(file.name, file.content.encode(), trust, at)


def examine(files: list[KeptFile], trust: TrustList, at: datetime) -> list[Analysed]:
    """Each file read and verified, then through the rules (on a helper process too)."""
    with fewer_collections():
        return [analyse(read_kept(f, trust, at), at) for f in files]


def summary(report: CompanyReport) -> dict[str, Any]:
    """The report's figures as JSON, for the control's page: per NATINF its line, employees
    concerned, findings and maximum fine; the points to ask the employer (`to_check`, never
    counted as offences). Summaries kept before `offences` hold `natinf` only."""
    return {
        "siren": report.siren,
        "name": report.name,
        "drivers": len(report.drivers),
        "changes": report.changes,
        "unjustified": report.unjustified,
        "natinf": dict(report.natinf().most_common()),
        "offences": [
            {
                "natinf": o.code,
                "nature": o.nature,
                "qualification": o.qualification,
                "defined_by": list(o.defined_by),
                "punished_by": list(o.punished_by),
                "employees": o.employees,
                "findings": o.findings,
                "max_fine_eur": o.max_fine_eur,
                "per_employee": o.per_employee,
                "exposure_eur": o.exposure_eur,
                "basis": o.basis,
            }
            for o in report.offences()
        ],
        "exposure_eur": report.exposure_eur,
        "legal_person_exposure_eur": report.exposure_eur * LEGAL_PERSON_FACTOR,
        "to_check": [
            {
                "driver": d.name,
                "file": d.file,
                "title": w.rule.title,
                "dates": [day.isoformat() for day in w.dates],
                "explanation": w.explanation,
            }
            for d in report.drivers
            for w in d.warnings
        ],
        "problems": [{"file": p.file, "problem": p.problem} for p in report.problems],
        "to_justify": [
            {"driver": d.name, "file": d.file, "count": d.unjustified}
            for d in report.drivers
            if d.unjustified
        ],
    }
