"""The company control report as a PDF (WeasyPrint), for the inspector's file.

WeasyPrint lays out on one core, and the report of a large company is some forty pages: the
changes' part is rendered on a helper process while this one renders the rest (and, in
`establish`, the XLSX), then the two are joined and numbered (control.pdf_join).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache, partial
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, FileSystemLoader, select_autoescape
from weasyprint import HTML

from control.company.report import CompanyReport
from control.gc_pause import fewer_collections
from control.pades.certs import SigningIdentity
from control.pades.sign import sign_pdf
from control.pdf_fonts import FAMILY, font_configuration, font_faces
from control.pdf_join import join
from control.rules.french import WEEKDAYS, duration
from control.rules.natinf import (
    FINE_SOURCE,
    LEGAL_PERSON_FACTOR,
    LEGAL_PERSON_SOURCE,
    cited,
    euros,
)
from control.rules.timeline import PARIS
from control.services.workers import Offered, WorkerPool

TEMPLATES = Path(__file__).parent / "templates"
Part = Literal["summary", "changes"]  # the synthesis, offences and drivers; the changes


def _moment(value: datetime) -> str:
    local = value.astimezone(PARIS)
    return f"{local:%d/%m/%Y} à {local:%H h %M}"


def _short_day(value: date) -> str:
    return f"{WEEKDAYS[value.weekday()][:3]}. {value:%d/%m/%Y}"


def _short_moment(value: datetime) -> str:
    local = value.astimezone(PARIS)
    return f"{local:%d/%m} à {local:%H:%M}"


@cache
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.filters.update(
        short_day=_short_day,
        short_moment=_short_moment,
        hm=lambda m: duration(m * 60),
        texts=cited,
        euros=euros,
    )
    return env


def _render(template: str, **values: Any) -> str:
    page = _environment().get_template(template)
    return page.render(font_faces=font_faces(), font_family=FAMILY, **values)


def render_html(report: CompanyReport, part: Part = "summary") -> str:
    return _render(
        "report.html",
        part=part,
        r=report,
        at=_moment(report.at),
        tally=report.natinf(),
        offences=report.offences(),
        fine_source=FINE_SOURCE,
        legal_person_factor=LEGAL_PERSON_FACTOR,
        legal_person_source=LEGAL_PERSON_SOURCE,
    )


def write_pdf(html: str) -> bytes:
    """One part's HTML as a PDF (run on the helper process too: a plain function). With
    fewer collections there too: WeasyPrint's boxes are the batch's graph (the changes'
    part, 0.77 s, took 0.1 to 0.2 s more on the helper without)."""
    with fewer_collections():
        pdf: bytes = HTML(string=html, base_url=str(TEMPLATES)).write_pdf(
            font_config=font_configuration()
        )
    return pdf


def page_footers(siren: str, pages: int) -> bytes:
    """`pages` blank pages bearing the report's footer, "page x / n", to lay over its pages."""
    return write_pdf(_render("page_footers.html", siren=siren, pages=pages))


class PdfRendering:
    """The report's PDF under way: the changes' part starts on `helper` at once (here, when
    there is none to take it); `result()` renders the rest here and joins them.

    The changes' part shows no rule's finding: it may start from the report before the
    rules have run (control.company.establish), `result` then given the report with them."""

    def __init__(self, report: CompanyReport, helper: WorkerPool | None = None) -> None:
        self.report = report
        self._changes = (
            Offered(helper, write_pdf, render_html(report, "changes")) if report.changes else None
        )

    def result(self, report: CompanyReport | None = None) -> bytes:
        """The whole PDF; its summary from `report` (the report with its rules), by default
        the one the changes' part started from."""
        report = report or self.report
        parts = [write_pdf(render_html(report, "summary"))]
        if self._changes is not None:
            parts.append(self._changes.result())
        return join(parts, partial(page_footers, report.siren))


def render_pdf(report: CompanyReport, helper: WorkerPool | None = None) -> bytes:
    return PdfRendering(report, helper).result()


def sign_report(pdf: bytes, report: CompanyReport, identity: SigningIdentity) -> bytes:
    """The report as handed over: signed with the service's certificate."""
    reason = f"Rapport de contrôle en entreprise {report.siren}".strip()
    return sign_pdf(pdf, identity, reason=reason)
