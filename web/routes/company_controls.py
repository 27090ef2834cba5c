"""Company controls: the inspector imports the drivers' files, then establishes the report."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response

from control.company.establish import KeptFile, establish, summary
from control.company.files import MAX_FILE_BYTES, DriverFile, read_driver_file
from control.rules.catalogue import NATINF_TITLES
from control.storage.audit import record as record_access
from control.storage.company import (
    CompanyControl,
    CompanyFileLimitError,
    add_files,
    create_company_control,
    get_company_control,
    list_company_controls,
    list_files,
    save_report,
)
from control.storage.users import Role, User
from control.verify.trustlist import TrustList
from web.context import AppContext
from web.forms import optional_siren
from web.params import ObjectId
from web.rendering import render
from web.security import Csrf, Inspector
from web.uploads import read_upload
from web.verification import InputError

router = APIRouter()
BASE = "/controles-entreprise"


def owned(request: Request, control_id: int, user: User) -> CompanyControl:
    """The inspector's own company control (any, for an admin); 404 otherwise, so that
    another inspector's investigation is not even known to exist."""
    found = get_company_control(request.app.state.context.engine, control_id)
    if found is None or (user.role is not Role.ADMIN and found.inspector_id != user.id):
        raise HTTPException(404, "Contrôle en entreprise introuvable.")
    return found


def trust_list(context: AppContext) -> TrustList:
    if context.trust is None:
        raise HTTPException(
            503, f"Liste de confiance indisponible : {context.trust_problem} Réessayez plus tard."
        )
    return context.trust


def control_page(
    request: Request,
    control: CompanyControl,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    files = list_files(request.app.state.context.engine, control.id)
    stale = control.report_at is not None and any(f.added_at > control.report_at for f in files)
    return render(
        request,
        "company_control.html",
        "fichiers",
        status_code=status_code,
        control=control,
        files=files,
        usable=sum(f.problem is None for f in files),
        problems=problems or [],
        stale=stale,
        max_file_kb=MAX_FILE_BYTES // 1000,
        titles=NATINF_TITLES,
    )


@router.get(BASE)
def company_controls_page(request: Request, user: Inspector) -> Response:
    engine = request.app.state.context.engine
    mine = None if user.role is Role.ADMIN else user.id
    return render(
        request,
        "company_controls.html",
        controls=list_company_controls(engine, mine),
        values={},
        errors={},
    )


@router.post(BASE, dependencies=[Csrf])
def create(
    request: Request,
    user: Inspector,
    siren: Annotated[str, Form(max_length=20)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    engine = request.app.state.context.engine
    try:
        siren = optional_siren(siren)
    except ValueError as error:
        return render(
            request,
            "company_controls.html",
            status_code=422,
            controls=list_company_controls(engine, None if user.role is Role.ADMIN else user.id),
            values={"siren": siren, "name": name},
            errors={"siren": str(error)},
        )
    control_id = create_company_control(engine, user.id, siren, name.strip())
    return RedirectResponse(f"{BASE}/{control_id}", status_code=303)


@router.get(BASE + "/{control_id}")
def company_control(request: Request, control_id: ObjectId, user: Inspector) -> Response:
    control = owned(request, control_id, user)
    record_access(
        request.app.state.context.engine,
        user.id,
        "open-company-control",
        f"entreprise {control_id}",
    )
    return control_page(request, control)


@router.post(BASE + "/{control_id}/fichiers", dependencies=[Csrf])
async def import_files(
    request: Request,
    control_id: ObjectId,
    user: Inspector,
    fichiers: Annotated[list[UploadFile], File()],
) -> Response:
    """Each file is read and checked alone; a bad one is kept with its reason, so that the
    inspector sees which driver's file to ask for again."""
    context: AppContext = request.app.state.context
    control = owned(request, control_id, user)
    trust = trust_list(context)
    received: list[tuple[str, bytes | None]] = []
    for upload in fichiers:
        name = (upload.filename or "fichier")[:120]
        try:
            received.append((name, await read_upload(upload, MAX_FILE_BYTES)))
        except InputError:
            received.append((name, None))
    # verifying is CPU work: in the pool, off the event loop
    read = await context.pool.run(_read_all, received, trust, datetime.now(UTC))
    try:
        add_files(context.engine, control.id, read)
    except CompanyFileLimitError as error:
        return control_page(request, control, [str(error)], 422)
    problems = [f"{file.name} : {file.problem}" for file, _ in read if file.problem]
    if request.headers.get("HX-Request"):
        return control_page(request, control, problems)
    return RedirectResponse(f"{BASE}/{control.id}#fichiers", status_code=303)


def _read_all(
    received: list[tuple[str, bytes | None]], trust: TrustList, now: datetime
) -> list[tuple[DriverFile, str]]:
    """Each file read alone, with the text to keep when it is usable."""
    too_big = f"fichier trop gros (plus de {MAX_FILE_BYTES // 1000} ko)."
    read = []
    for name, data in received:
        if data is None:
            read.append((DriverFile(name, problem=too_big), ""))
            continue
        file = read_driver_file(name, data, trust, now)
        read.append((file, data.decode("utf-8-sig") if file.problem is None else ""))
    return read


@router.post(BASE + "/{control_id}/rapport", dependencies=[Csrf])
def establish_report(request: Request, control_id: ObjectId, user: Inspector) -> Response:
    context: AppContext = request.app.state.context
    control = owned(request, control_id, user)
    files = list_files(context.engine, control.id)
    if not any(f.problem is None for f in files):
        return control_page(
            request, control, ["Importez d'abord au moins un fichier utilisable."], 422
        )
    now = datetime.now(UTC)
    kept = [KeptFile(f.name, f.content, f.problem) for f in files]
    done = context.pool.call(
        establish,
        kept,
        trust_list(context),
        now,
        control.siren,
        control.name,
        identity=context.pdf_identity,
        helper=context.report_helper,
    )
    save_report(
        context.engine, context.files, control.id, now, summary(done.report), done.pdf, done.xlsx
    )
    return RedirectResponse(f"{BASE}/{control.id}#rapport", status_code=303)


@router.get(BASE + "/{control_id}/rapport.{extension}")
def report_file(
    request: Request, control_id: ObjectId, extension: str, user: Inspector
) -> Response:
    control = owned(request, control_id, user)
    paths = {"pdf": control.pdf_path, "xlsx": control.xlsx_path}
    path = paths.get(extension)
    if path is None or not path.exists():
        raise HTTPException(404, "Rapport introuvable : établissez-le d'abord.")
    record_access(
        request.app.state.context.engine,
        user.id,
        f"download-company-report-{extension}",
        f"entreprise {control_id}",
    )
    media = {
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[extension]
    stamp = f"{control.report_at:%Y%m%d}" if control.report_at else ""
    filename = f"controle-entreprise-{control.siren or control.id}-{stamp}.{extension}"
    return FileResponse(path, media_type=media, filename=filename)
