"""Photos of the pages of a paper LIC, kept with the control."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, File, Form, Header, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response

from control.capture.errors import CaptureError
from control.capture.images import Limits
from control.capture.pages import PageScan, scan_page
from control.storage.audit import about_control
from control.storage.audit import record as record_access
from control.storage.photos import (
    MAX_PHOTOS,
    AnnexedPhotoError,
    PhotoLimitError,
    add_photo,
    count_photos,
    delete_photo,
    list_photos,
    photo_with_key,
    reorder,
)
from web.access import editable_control, visible_control
from web.context import AppContext
from web.declared_agent import SameAgent
from web.params import ObjectId
from web.rendering import render
from web.security import Agent, AnyUser, Csrf
from web.uploads import read_upload
from web.verification import InputError

router = APIRouter()
PHOTO_KEY = re.compile(r"^[A-Za-z0-9_-]{8,80}$")


def photos_fragment(
    request: Request, control_id: int, problems: list[str], status_code: int = 200
) -> Response:
    engine = request.app.state.context.engine
    return render(
        request,
        "photos.html",
        "photos",
        status_code=status_code,
        control_id=control_id,
        photos=list_photos(engine, control_id),
        problems=problems,
        max_photos=MAX_PHOTOS,
        editable=True,  # rendered after a change, which only the control's agent may make
    )


@router.post("/controles/{control_id}/photos", dependencies=[Csrf, SameAgent])
async def upload_photos(
    request: Request,
    control_id: ObjectId,
    user: Agent,
    photos: Annotated[list[UploadFile], File()],
    idempotency_key: Annotated[
        str | None, Header(description="A tablet's key for this one photo: sent twice, kept once")
    ] = None,
) -> Response:
    """Each photo is straightened and kept; a bad one is reported and the others kept."""
    context: AppContext = request.app.state.context
    editable_control(request, control_id, user)
    if idempotency_key is not None and (len(photos) != 1 or not PHOTO_KEY.match(idempotency_key)):
        raise HTTPException(
            422, "Une clé d'idempotence vaut pour une seule photo (8 à 80 caractères)."
        )
    replay = idempotency_key is not None and photo_with_key(
        context.engine, control_id, idempotency_key
    )
    room = MAX_PHOTOS - count_photos(context.engine, control_id)
    if len(photos) > room and not replay:  # before any photo is read or straightened
        problem = (
            f"{MAX_PHOTOS} photos au plus par contrôle : il en a déjà {MAX_PHOTOS - room}, "
            f"envoyez-en {max(room, 0)} au plus."
        )
        return photos_fragment(request, control_id, [problem], 422)
    limits = context.image_limits
    problems: list[str] = []
    kept = 0
    for upload in photos:
        name = (upload.filename or "photo")[:80]
        try:
            data = await read_upload(upload, limits.max_bytes)
            scan = await context.pool.run(
                _straighten_and_keep, data, limits, context, control_id, idempotency_key
            )
            kept += 1
            if scan.blurred:
                problems.append(f"{name} : photo floue, reprenez-la si la page est illisible.")
        except CaptureError as error:
            problems.append(f"{name} : {type(error).message_fr}")
        except (InputError, PhotoLimitError) as error:
            problems.append(f"{name} : {error}")
    status = 422 if photos and not kept else 200
    if request.headers.get("HX-Request"):
        return photos_fragment(request, control_id, problems, status)
    if status == 422:
        return photos_fragment(request, control_id, problems, status)
    return RedirectResponse(f"/controles/{control_id}#photos", status_code=303)


def _straighten_and_keep(
    data: bytes, limits: Limits, context: AppContext, control_id: int, key: str | None
) -> PageScan:
    """Heavy (straightening, JPEG encoding, writing files): run in `context.pool`."""
    scan = scan_page(data, limits)
    add_photo(context.engine, context.files, control_id, scan, key)
    return scan


@router.get("/controles/{control_id}/photos/{photo_id}.jpg")
def photo_file(
    request: Request, control_id: ObjectId, photo_id: ObjectId, user: AnyUser
) -> Response:
    visible_control(request, control_id, user)
    engine = request.app.state.context.engine
    for photo in list_photos(engine, control_id):
        if photo.id == photo_id:
            record_access(
                engine, user.id, "open-photo", about_control(control_id, f"photo {photo_id}")
            )
            return FileResponse(photo.path, media_type="image/jpeg")
    raise HTTPException(404, "Photo introuvable.")


@router.post("/controles/{control_id}/photos/{photo_id}/supprimer", dependencies=[Csrf])
def remove_photo(
    request: Request, control_id: ObjectId, photo_id: ObjectId, user: Agent
) -> Response:
    """Soft: the photo is hidden, its files kept until the retention purge, and the deletion
    audited. A photo annexed to an issued bulletin is kept (409)."""
    editable_control(request, control_id, user)
    engine = request.app.state.context.engine
    try:
        deleted = delete_photo(engine, control_id, photo_id, user.id)
    except AnnexedPhotoError as error:
        raise HTTPException(409, str(error)) from None
    if deleted:
        record_access(
            engine, user.id, "delete-photo", about_control(control_id, f"photo {photo_id}")
        )
    if request.headers.get("HX-Request"):
        return photos_fragment(request, control_id, [])
    return RedirectResponse(f"/controles/{control_id}#photos", status_code=303)


@router.post("/controles/{control_id}/photos/ordre", dependencies=[Csrf])
def order_photos(
    request: Request,
    control_id: ObjectId,
    user: Agent,
    move: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """`move` is `<id>:up` or `<id>:down`."""
    editable_control(request, control_id, user)
    engine = request.app.state.context.engine
    ids = [p.id for p in list_photos(engine, control_id)]
    photo, _, direction = move.partition(":")
    if photo.isdigit() and int(photo) in ids:
        i = ids.index(int(photo))
        j = i - 1 if direction == "up" else i + 1
        if 0 <= j < len(ids):
            ids[i], ids[j] = ids[j], ids[i]
            reorder(engine, control_id, ids)
    if request.headers.get("HX-Request"):
        return photos_fragment(request, control_id, [])
    return RedirectResponse(f"/controles/{control_id}#photos", status_code=303)
