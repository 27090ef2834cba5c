"""Inspectors' search over past controls, its CSV export, and the admins' audit log."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from openpyxl import Workbook

from control.rules.timeline import PARIS
from control.services.greco import MAX_SELECTION
from control.spreadsheet import TextSafeSheet, csv_row
from control.storage.audit import action_label, entries, record
from control.storage.controls import KIND_LABELS, ControlKind
from control.storage.search import (
    PAGE_SIZES,
    SearchQuery,
    company_tally,
    count,
    iterate,
    search,
)
from control.typed_time import DAY_HINT, day_text, parse_day
from control.verify.wording import verdict_label
from web.rendering import render
from web.security import Admin, AnyUser

router = APIRouter()
EXPORT_LIMIT = 50_000


def parse_query(request: Request) -> tuple[SearchQuery, dict[str, str]]:
    """The filters from the URL (so a search can be bookmarked); bad values are reported,
    by field name, and ignored. Dates are typed JJ/MM/AAAA; ISO is read too (older links)."""
    params = request.query_params
    problems: dict[str, str] = {}

    def day(name: str, label: str) -> date | None:
        value = params.get(name, "").strip()
        if not value:
            return None
        try:
            return parse_day(value)
        except ValueError:
            problems[name] = f"{label} invalide : ignorée. {DAY_HINT}."
            return None

    def number(name: str, default: int) -> int:
        value = params.get(name, "")
        return int(value) if value.isdigit() and len(value) < 9 else default

    kind = params.get("type", "")
    query = SearchQuery(
        text=params.get("q", "")[:200],
        siren=params.get("siren", "")[:20],
        plate=params.get("plaque", "")[:16],
        kind=ControlKind(kind) if kind in ControlKind._value2member_map_ else None,
        date_from=day("du", "Date de début"),
        date_to=day("au", "Date de fin"),
        departement=params.get("departement", "")[:3],
        natinf=params.get("natinf", "")[:5],
        with_bulletin=params.get("bulletin") == "1",
        with_photos=params.get("photos") == "1",
        sort="company" if params.get("tri") == "entreprise" else "date",
        page=number("page", 1),
        per_page=number("par", PAGE_SIZES[0]),
    )
    return query, problems


def filters_said(query: SearchQuery) -> str:
    """A search's filters for the audit log: which were used, never the typed text (it may
    be a driver's name)."""
    said = [
        "texte" if query.text else "",
        f"siren {query.siren}" if query.siren else "",
        f"plaque {query.plate}" if query.plate else "",
        f"type {query.kind.value}" if query.kind else "",
        f"du {query.date_from}" if query.date_from else "",
        f"au {query.date_to}" if query.date_to else "",
        f"dep {query.departement}" if query.departement else "",
        f"natinf {query.natinf}" if query.natinf else "",
        "bulletin" if query.with_bulletin else "",
        "photos" if query.with_photos else "",
    ]
    return " ".join(part for part in said if part) or "sans filtre"


@router.get("/recherche")
def search_page(request: Request, user: AnyUser) -> Response:
    query, problems = parse_query(request)
    engine = request.app.state.context.engine
    results = search(engine, query, user)
    record(engine, user.id, "search", f"page {query.page} {filters_said(query)}")
    return render(
        request,
        "search.html",
        "results",
        query=query,
        results=results,
        problems=problems,
        kind_labels=KIND_LABELS,
        kind_options=[(kind.value, label) for kind, label in KIND_LABELS.items()],
        page_sizes=PAGE_SIZES,
        greco_limit=MAX_SELECTION,
        params=dict(request.query_params),
        # a day read (ISO included) is shown back as the agent types it: JJ/MM/AAAA
        days={
            name: day_text(value) if value else request.query_params.get(name, "")
            for name, value in (("du", query.date_from), ("au", query.date_to))
        },
    )


BOM = "\ufeff"  # French Excel reads a CSV as UTF-8 only when it starts with one


def local_time(moment: datetime) -> str:
    """A moment as a French spreadsheet shows it: Paris time (a naive one is already), day
    first."""
    local = moment if moment.tzinfo is None else moment.astimezone(PARIS)
    return local.strftime("%d/%m/%Y %H:%M")


def csv_cells(row: tuple[object, ...]) -> tuple[object, ...]:
    return tuple(local_time(v) if isinstance(v, datetime) else v for v in row)


# the header a person reads in a French spreadsheet (the API keeps the machine names)
COLUMNS = ("Numéro", "Date", "Type", "Département", "Commune", "Lieu", "Immatriculation",
           "Conducteur", "SIREN", "Entreprise", "Verdict", "NATINF")  # fmt: skip
AUDIT_COLUMNS = ("Date", "Utilisateur", "Action", "Objet")


@router.get("/recherche.csv")
def export_csv(request: Request, user: AnyUser) -> Response:
    engine = request.app.state.context.engine
    record(engine, user.id, "export", f"csv {filters_said(parse_query(request)[0])}")

    def lines() -> Iterator[str]:
        out = io.StringIO()
        out.write(BOM)
        writer = csv.writer(out, delimiter=";")
        writer.writerow(COLUMNS)
        for written, row in enumerate(export_rows(request, user), start=1):
            writer.writerow(csv_row(csv_cells(row)))
            if written % 1000 == 0:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
        yield out.getvalue()

    query, _ = parse_query(request)
    rows = count(engine, query, user, EXPORT_LIMIT)
    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        # X-Rows-Total: the page's progress bar counts the lines received against it
        headers={
            "Content-Disposition": 'attachment; filename="controles.csv"',
            "X-Rows-Total": str(rows),
        },
    )


def export_rows(request: Request, user: AnyUser) -> Iterator[tuple[object, ...]]:
    query, _ = parse_query(request)
    engine = request.app.state.context.engine
    for c in iterate(engine, query, user, EXPORT_LIMIT):
        retained = [f.natinf for f in c.findings if f.retained]
        yield (
            c.id, c.occurred_at.astimezone(PARIS).replace(tzinfo=None), KIND_LABELS[c.kind],
            c.departement, c.commune, c.place, c.plate, c.driver_name, c.employer_siren,
            c.employer_name, verdict_label(c.verdict), " ".join(retained + list(c.manual_natinf)),
        )  # fmt: skip


@router.get("/recherche.xlsx")
def export_xlsx(request: Request, user: AnyUser) -> Response:
    """The same rows as the CSV, as a spreadsheet (dates as real dates, Paris time)."""
    said = filters_said(parse_query(request)[0])
    record(request.app.state.context.engine, user.id, "export", f"xlsx {said}")
    book = Workbook(write_only=True)
    sheet = TextSafeSheet(book, "Contrôles")
    sheet.append(COLUMNS)
    for row in export_rows(request, user):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return Response(
        out.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="controles.xlsx"'},
    )


@router.get("/entreprises/{siren}")
def company_page(request: Request, siren: str, user: AnyUser) -> Response:
    """Every visible control of a company and, per driver, the NATINF retained."""
    engine = request.app.state.context.engine
    siren = siren.replace(" ", "")[:20]
    record(engine, user.id, "open-company", siren)
    results = search(engine, SearchQuery(siren=siren, per_page=100), user)
    return render(
        request,
        "company.html",
        siren=siren,
        name=results.controls[0].employer_name if results.controls else "",
        results=results,
        tally=company_tally(engine, siren, user),
        kind_labels=KIND_LABELS,
    )


@router.get("/admin/journal")
def audit_page(request: Request, user: Admin) -> Response:
    return render(request, "audit.html", entries=entries(request.app.state.context.engine))


@router.get("/admin/journal.csv")
def audit_csv(request: Request, user: Admin) -> Response:
    record(request.app.state.context.engine, user.id, "export-audit", "csv")
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";")
    writer.writerow(AUDIT_COLUMNS)
    for entry in entries(request.app.state.context.engine, limit=100_000):
        writer.writerow(
            csv_row((local_time(entry.at), entry.login, action_label(entry.action), entry.target))
        )
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="journal.csv"'},
    )
