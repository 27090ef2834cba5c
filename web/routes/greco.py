"""GRECO exports: a control's XML document, and a zip of the search's controls."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from control.services.errors import RefusedError
from control.services.greco import GrecoFile, control_file, selection_file
from web.params import ObjectId
from web.rendering import render
from web.routes.search import parse_query
from web.security import AnyUser

router = APIRouter()


@router.get("/controles/{control_id}/greco.xml")
def control_greco(request: Request, control_id: ObjectId, user: AnyUser) -> Response:
    engine = request.app.state.context.engine
    try:
        exported = control_file(engine, user, control_id)
    except RefusedError as problem:
        back = (f"/controles/{control_id}", "Revenir au contrôle")
        return render(request, "error.html", status_code=422, message=problem.message, back=back)
    if exported is None:
        raise HTTPException(404, "Contrôle introuvable.")
    return _download(exported)


@router.get("/recherche/greco.zip")
def search_greco(request: Request, user: AnyUser) -> Response:
    """The controls `/recherche` finds with the same filters (paging aside)."""
    query, _ = parse_query(request)
    try:
        exported = selection_file(request.app.state.context.engine, user, query)
    except RefusedError as problem:
        # the same filters back on the search page (the query string is the search's own)
        search = f"/recherche?{request.url.query}" if request.url.query else "/recherche"
        back = (search, "Revenir à la recherche")
        return render(request, "error.html", status_code=422, message=problem.message, back=back)
    return _download(exported)


def _download(exported: GrecoFile) -> Response:
    """An attachment; the name is ours (A-Z, 0-9, "-", "."), never a stored text as is."""
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": f'attachment; filename="{exported.name}"'},
    )
