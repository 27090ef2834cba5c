"""Establishing a company control's report from the files kept: what the server does when the
inspector asks for it, and what benchmarks/company_report.py times."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from control.company.files import DriverFile, read_driver_file
from control.company.pdf import issue_pdf
from control.company.report import CompanyReport, build_report
from control.company.xlsx import render_xlsx
from control.gc_pause import fewer_collections
from control.pades.certs import SigningIdentity
from control.verify.trustlist import TrustList


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
) -> Established:
    """Each kept file is read again against today's trust list (a key revoked since the
    import no longer vouches for its codes), then the report and its two files are made,
    the PDF signed with `identity`."""
    with fewer_collections():
        read = [
            read_driver_file(f.name, f.content.encode(), trust, at)
            if f.content is not None
            else DriverFile(f.name, problem=f.problem or "fichier écarté.")
            for f in files
        ]
        report = build_report(read, at, siren, name)
        return Established(report, issue_pdf(report, identity), render_xlsx(report))


def summary(report: CompanyReport) -> dict[str, Any]:
    """The report's figures as JSON, for the control's page."""
    return {
        "siren": report.siren,
        "name": report.name,
        "drivers": len(report.drivers),
        "changes": report.changes,
        "unjustified": report.unjustified,
        "natinf": dict(report.natinf().most_common()),
        "problems": [{"file": p.file, "problem": p.problem} for p in report.problems],
        "to_justify": [
            {"driver": d.name, "file": d.file, "count": d.unjustified}
            for d in report.drivers
            if d.unjustified
        ],
    }
