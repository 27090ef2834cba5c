"""The app factory: everything the app needs comes from `Settings`, nothing at import time."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from PIL import Image
from sqlalchemy.exc import DataError
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette_compress import CompressMiddleware, add_compress_type

from control.keyfiles import check_private_files, check_public_root
from control.services.control_form import GENERIC, french_errors
from control.services.workers import BusyError
from control.settings import Settings
from control.storage.database import connect, migrate
from control.storage.files import secure_data_dir
from control.storage.leases import take_lease
from control.storage.retention import cutoff, purge
from web.assets import load_assets
from web.brotli_static import BrotliStatic
from web.context import AppContext
from web.headers import SecurityHeaders
from web.rendering import make_environment, render
from web.routes import (
    account,
    admin,
    api,
    auth,
    bulletins,
    c1b,
    company_controls,
    controls,
    demo,
    greco,
    photos,
    proconnect,
    pwa,
    scan,
    schedules,
    search,
    sheets,
)
from web.security import Forbidden, MustChangePassword, NotSignedIn


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    check_public_root(settings.root_key)
    settings.session_secret()  # made now if missing, so that its mode is checked below
    settings.trusted_networks()  # a typo in the proxies stops the start here
    settings.check_sign_in()  # nor a ProConnect setting that would lock everyone out
    # an exposed secret is refused, not fixed
    check_private_files(settings.data_dir, [settings.pdf_signing_key])
    secure_data_dir(settings.data_dir)
    engine = connect(settings.database())
    migrate(engine)
    trust, problem, document, root = AppContext.load_trust(settings)
    # Pillow's own bomb check, from the settings (its default is 89 MP): the header is read
    # first, and an image over the limit is refused before any pixel is decoded
    Image.MAX_IMAGE_PIXELS = settings.max_image_pixels
    app = FastAPI(
        lifespan=_lifespan,
        # the forms FastAPI reads for File/Form parameters; `bounded_form` the others
        form_limits={"max_files": settings.max_form_files, "max_fields": settings.max_form_fields},
        dependencies=[Depends(bounded_form)],
        title="Contrôle LIC",
        summary="Contrôle des livrets individuels de contrôle (LIC) du transport routier léger.",
        version="0.1.0",
        docs_url=None,  # Swagger UI and ReDoc load from a CDN: not in an offline, strict-CSP app
        redoc_url=None,
    )
    app.state.context = AppContext(
        settings, engine, trust, problem, trust_document=document, root_document=root
    )
    if settings.pdf_signing_cert or settings.pdf_signing_key or settings.pdf_signing_chain:
        app.state.context.pdf_identity  # noqa: B018  (the administration's: a mistake stops the start)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret(),
        session_cookie="lic_session",
        max_age=settings.session_hours * 3600,
        same_site="strict",
        https_only=settings.cookie_secure,
    )
    app.add_middleware(
        BodyLimit, limit=settings.max_upload_bytes + 100_000, form_limit=settings.max_form_bytes
    )
    app.add_middleware(BrotliStatic, excluded_types=ALREADY_COMPRESSED)  # inside: not redone
    add_compress_type("text/csv")  # the exports (its list is the library's, process-wide)
    app.add_middleware(
        CompressMiddleware,
        minimum_size=COMPRESS_MINIMUM,
        zstd=False,  # brotli is smaller on our pages; zstd's speed is not what a 4G link lacks
        brotli_quality=5,  # pages and fragments: a tenth smaller than 4, as fast on our pages
        gzip_level=6,  # nearly level 9's size for a third of its time, on a small server
    )
    app.add_middleware(
        SecurityHeaders, https=settings.cookie_secure, form_targets=settings.proconnect_origins()
    )
    assets = load_assets()
    app.state.assets = assets
    app.state.templates = make_environment(assets)
    assets.mount(app)
    for module in (
        auth,
        proconnect,
        account,
        scan,
        controls,
        bulletins,
        c1b,
        photos,
        sheets,
        schedules,
        company_controls,
        search,
        greco,
        admin,
        demo,
        api,
        pwa,
    ):
        app.include_router(module.router)
    _errors(app)
    return app


# Responses are compressed on the wire (a tablet's first visit on a roadside 4G link) by
# starlette-compress: brotli, else gzip, for the text types of its list (PDFs, spreadsheets,
# ZIPs, images and fonts are compressed inside already); static files in brotli at its best
# level, once per version (web/brotli_static.py). Below the minimum the header costs more
# than it saves. Pages hold a CSRF token next to reflected input (BREACH), but the session
# cookie is SameSite=strict: another site's request carries no session, so no token to guess.
COMPRESS_MINIMUM = 500
ALREADY_COMPRESSED = (
    "application/pdf",
    "application/zip",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)

PURGE_EVERY = timedelta(hours=24)
PURGE_CHECK = 3600  # seconds: how often each worker process asks whether the purge is due


async def bounded_form(request: Request) -> None:
    """A form with files is read once, with the limits of the settings, before the route or
    the CSRF check reads it (Starlette keeps the first reading): 1 000 files per request
    otherwise. Forms of text keep the limits their route reads them with."""
    if request.method == "POST" and request.headers.get("content-type", "").startswith(
        "multipart/form-data"
    ):
        settings = request.app.state.context.settings
        await request.form(max_files=settings.max_form_files, max_fields=settings.max_form_fields)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    context: AppContext = app.state.context
    task = asyncio.create_task(_daily_purge(context)) if context.settings.retention_years else None
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
        context.close()


async def _daily_purge(context: AppContext) -> None:
    """Records are kept three years: older controls are purged once a day, by the one server
    process that takes the day's lease in the database (the others find it taken)."""
    holder = f"{socket.gethostname()}:{os.getpid()}"
    await asyncio.sleep(60)  # not in the way of start-up
    while True:
        now = datetime.now(UTC)
        if await asyncio.to_thread(take_lease, context.engine, "purge", holder, now, PURGE_EVERY):
            before = cutoff(now, context.settings.retention_years)
            await asyncio.to_thread(purge, context.engine, before, files_dir=context.files)
        await asyncio.sleep(PURGE_CHECK)


# what FastAPI itself raises, in English, as its own HTTPException
STARLETTE_ENGLISH = ("Not Found", "Method Not Allowed", "There was an error parsing the body")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _errors(app: FastAPI) -> None:
    """Every failure ends in a French message and a 4xx, HTML or JSON as asked."""

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, _: NotSignedIn) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": "Connexion requise."}, status_code=401)
        # the page asked for, with its query (a search's filters) when the sign-in forms
        # can carry it back (`suivant` is bounded at 300 characters)
        target = request.url.path
        if request.url.query and len(target) + len(request.url.query) < 300:
            target = f"{target}?{request.url.query}"
        return RedirectResponse(f"/connexion?suivant={quote(target, safe='/')}", status_code=303)

    @app.exception_handler(BusyError)
    async def busy(request: Request, error: BusyError) -> Response:
        headers = {"Retry-After": str(error.retry_after)}
        if _wants_json(request):
            return JSONResponse({"error": error.message}, status_code=503, headers=headers)
        page = render(request, "error.html", status_code=503, message=error.message)
        page.headers.update(headers)
        return page

    @app.exception_handler(MustChangePassword)
    async def must_change(request: Request, _: MustChangePassword) -> Response:
        message = "Changez d'abord votre mot de passe temporaire (page « Mon compte »)."
        if _wants_json(request):
            return JSONResponse({"error": message}, status_code=403)
        return RedirectResponse("/compte", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, error: Forbidden) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": error.message}, status_code=403)
        return render(request, "error.html", status_code=403, message=error.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        message = "Données envoyées invalides : vérifiez le formulaire."
        if _wants_json(request):
            fields = french_errors(error.errors(), GENERIC)
            return JSONResponse({"error": message, "fields": fields}, status_code=422)
        return render(request, "error.html", status_code=422, message=message)

    # Starlette's own (an unknown path, a form of too many fields, a body it cannot parse)
    # speak English: they get the French message of their status; ours keep theirs.
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        detail = str(error.detail)
        if detail.startswith("Too many files"):  # Starlette's, past `max_files`
            limit = request.app.state.context.settings.max_form_files
            message = f"Trop de fichiers dans un même envoi ({limit} au plus)."
            if _wants_json(request):
                return JSONResponse({"error": message}, status_code=413)
            return render(request, "error.html", status_code=413, message=message)
        messages = {
            400: "Requête illisible ou formulaire trop long.",
            404: "Page introuvable.",
            405: "Action non permise ici.",
            413: "Envoi trop volumineux.",
        }
        ours = isinstance(error, HTTPException) and isinstance(error.detail, str)
        message = str(error.detail) if ours else ""
        if not message or message in STARLETTE_ENGLISH:
            message = messages.get(error.status_code, "Requête refusée.")
        if _wants_json(request):
            return JSONResponse({"error": message}, status_code=error.status_code)
        return render(request, "error.html", status_code=error.status_code, message=message)

    # JSON nested deeper than the parser or the validation can recurse: hostile, never real.
    @app.exception_handler(RecursionError)
    async def too_deep(request: Request, _: RecursionError) -> Response:
        message = "Données trop imbriquées : envoi refusé."
        if _wants_json(request):
            return JSONResponse({"error": message}, status_code=400)
        return render(request, "error.html", status_code=400, message=message)

    # PostgreSQL refuses a NUL (0x00) in text, a value or a search term alike, before the
    # statement runs (SQLite takes it): whatever the route, nothing is written; a 400.
    @app.exception_handler(DataError)
    async def nul_in_text(request: Request, error: DataError) -> Response:
        if "NUL" not in str(error.orig):
            raise error  # any other: a crash, logged and answered as one
        message = "Caractère nul (0x00) refusé : retirez-le et recommencez."
        if _wants_json(request):
            return JSONResponse({"error": message}, status_code=400)
        return render(request, "error.html", status_code=400, message=message)

    # A crash: Starlette logs it with its traceback; the answer says nothing of it.
    @app.exception_handler(Exception)
    async def crashed(request: Request, _: Exception) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": CRASHED}, status_code=500)
        try:
            return render(request, "error.html", status_code=500, message=CRASHED)
        except Exception:  # the page itself may be what fails
            return HTMLResponse(f'<p role="alert">{CRASHED}</p>', status_code=500)


CRASHED = "Erreur interne du serveur : réessayez plus tard."


class BodyLimit:
    """Refuse bodies over the limit with a 413 before reading them (huge uploads). Only a
    multipart body carries files: any other (JSON, a plain form) has a far lower limit, since
    no control or bulletin comes near it and such a body is parsed whole in memory."""

    def __init__(self, app: ASGIApp, limit: int, form_limit: int | None = None) -> None:
        self.app = app
        self.upload_limit = limit
        self.form_limit = limit if form_limit is None else form_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = scope["path"].startswith("/api/")
        headers = Headers(scope=scope)
        # the upload limit only when every Content-Type sent says multipart: the parser reads
        # the first, so a JSON body must not pass under a second, multipart, header
        kinds = [k.split(";")[0].strip().lower() for k in headers.getlist("content-type")]
        uploads = bool(kinds) and all(kind == "multipart/form-data" for kind in kinds)
        limit = self.upload_limit if uploads else self.form_limit
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit, api)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await _too_large(send, limit, api)


class BodyTooLarge(Exception):  # noqa: N818
    pass


async def _too_large(send: Send, limit: int, api: bool) -> None:
    """A 413 the screen can show as it is (HTML), or JSON for the API."""
    size = f"{limit // 1_000_000} Mo" if limit >= 1_000_000 else f"{limit // 1_000} ko"
    message = f"Envoi trop volumineux ({size} au plus)."
    if api:
        body, kind = f'{{"error": "{message}"}}'.encode(), b"application/json; charset=utf-8"
    else:
        body = f'<p class="alerte erreur" role="alert">{message}</p>'.encode()
        kind = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", kind)],
        }
    )
    await send({"type": "http.response.body", "body": body})
