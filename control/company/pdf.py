"""The company control report as a PDF (WeasyPrint), for the inspector's file."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from weasyprint import HTML

from control.company.report import CompanyReport
from control.pades.certs import SigningIdentity
from control.pades.sign import sign_pdf
from control.pdf_fonts import FAMILY, font_faces
from control.rules.french import WEEKDAYS, duration
from control.rules.natinf import (
    FINE_SOURCE,
    LEGAL_PERSON_FACTOR,
    LEGAL_PERSON_SOURCE,
    cited,
    euros,
)
from control.rules.timeline import PARIS

TEMPLATES = Path(__file__).parent / "templates"


def _moment(value: datetime) -> str:
    local = value.astimezone(PARIS)
    return f"{local:%d/%m/%Y} à {local:%H h %M}"


def _short_day(value: date) -> str:
    return f"{WEEKDAYS[value.weekday()][:3]}. {value:%d/%m/%Y}"


def _short_moment(value: datetime) -> str:
    local = value.astimezone(PARIS)
    return f"{local:%d/%m} à {local:%H:%M}"


def render_html(report: CompanyReport) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.filters.update(
        short_day=_short_day,
        short_moment=_short_moment,
        hm=lambda m: duration(m * 60),
        texts=cited,
        euros=euros,
    )
    return env.get_template("report.html").render(
        font_faces=font_faces(),
        font_family=FAMILY,
        r=report,
        at=_moment(report.at),
        tally=report.natinf(),
        offences=report.offences(),
        fine_source=FINE_SOURCE,
        legal_person_factor=LEGAL_PERSON_FACTOR,
        legal_person_source=LEGAL_PERSON_SOURCE,
    )


def render_pdf(report: CompanyReport) -> bytes:
    pdf: bytes = HTML(string=render_html(report), base_url=str(TEMPLATES)).write_pdf()
    return pdf


def issue_pdf(report: CompanyReport, identity: SigningIdentity) -> bytes:
    """The report as handed over: rendered, then signed with the service's certificate."""
    reason = f"Rapport de contrôle en entreprise {report.siren}".strip()
    return sign_pdf(render_pdf(report), identity, reason=reason)
