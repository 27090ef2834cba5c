"""A control's record as tachograph driver card files, for the agents' analysis software."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from control.services.c1b import control_c1b
from web.context import AppContext
from web.params import ObjectId
from web.rendering import render
from web.security import AnyUser
from web.verification import InputError

router = APIRouter()


@router.get("/controles/{control_id}/c1b")
def c1b_download(request: Request, control_id: ObjectId, user: AnyUser) -> Response:
    """One file as itself, the driver's and employer's versions in a zip; a control without a
    verified LIC record is refused in French (409), one the user may not see is a 404."""
    context: AppContext = request.app.state.context
    try:
        download = control_c1b(context.engine, context.c1b_key, user, control_id)
    except InputError as error:
        return render(request, "error.html", status_code=409, message=error.message)
    if download is None:
        raise HTTPException(404, "Contrôle introuvable.")
    return Response(
        download.content,
        media_type=download.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{download.name}"',
            "Cache-Control": "no-store",
        },
    )
