"""What makes the app installable and open without network: manifest, service worker."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from control.bulletins.model import HAND_OVER_LABELS
from control.rules.french import VERSION_LABELS
from control.rules.table import rule_table
from control.verify.wording import MOBILIC, VERDICTS, WARNINGS
from web.assets import Assets, tagged_response
from web.presenters import FLAG_LABELS
from web.rendering import render
from web.security import Agent
from web.vendor import EARLIER_DSFR_BUNDLE_URL, vendor_modules

router = APIRouter()
STATIC = Path(__file__).resolve().parent.parent / "static"


@router.get(EARLIER_DSFR_BUNDLE_URL)
def dsfr_styles(request: Request) -> Response:
    """The DSFR styles at their earlier URL, for tabs opened before the hashed URLs: the
    pages now name them in the DSFR's tree (web/assets.py), revalidated here at each use."""
    return tagged_response(request.app.state.assets.dsfr_styles(), "text/css", request.scope)


@router.get("/manifest.webmanifest")
def manifest(request: Request) -> Response:
    asset = request.app.state.assets.url
    return JSONResponse(
        {
            "id": "/",
            "name": "Contrôle LIC",
            "short_name": "Contrôle LIC",
            "description": (
                "Contrôle des livrets individuels de contrôle (LIC) du transport routier "
                "léger : lecture du code QR, verdict, contrôle et bulletin, même sans réseau."
            ),
            "lang": "fr",
            "dir": "ltr",
            "start_url": "/",  # each role's start page; offline, the kept scan page
            "scope": "/",
            "display": "standalone",
            "orientation": "any",
            "background_color": "#f5f5fe",
            "theme_color": "#000091",
            "icons": [
                {"src": asset("/static/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
                # PNGs for the browsers that install only with them (scripts/icons.py)
                *(
                    {
                        "src": asset(f"/static/icons/icon-{size}.png"),
                        "sizes": f"{size}x{size}",
                        "type": "image/png",
                        "purpose": "any",
                    }
                    for size in (192, 512)
                ),
                {
                    "src": asset("/static/icons/maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
        },
        media_type="application/manifest+json",
    )


@router.get("/liste-de-confiance.json")
def trust_list_document(request: Request) -> Response:
    """The signed trust list the server verifies with, for the tablet to keep: public keys
    only. The service worker refreshes its copy whenever the network allows."""
    return _public_document(request.app.state.context.trust_document)


@router.get("/cle-racine.json")
def root_key_document(request: Request) -> Response:
    """The authority's public key, with which the tablet checks the trust list it keeps."""
    return _public_document(request.app.state.context.root_document)


def _public_document(document: bytes) -> Response:
    if not document:
        raise HTTPException(503, "Aucune liste de confiance valide n'est chargée sur le serveur.")
    return Response(document, media_type="application/json", headers={"Cache-Control": "no-cache"})


@router.get("/sw.js")
def service_worker(request: Request) -> Response:
    """Served from the root so that its scope is the whole app, under a short lifetime, and
    named after the static files it caches: when one of them changes the worker's bytes
    change, so browsers install it again and drop the stale copies (the cache is first for
    static files). It fetches the files under their hashed URLs, as the pages do."""
    return Response(
        _service_worker(request.app.state.assets),
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache"},
    )


@cache
def _service_worker(assets: Assets) -> bytes:
    # /libelles-hors-ligne.json and /regles.json are kept too
    wording = (
        VERDICTS,
        WARNINGS,
        MOBILIC,
        FLAG_LABELS,
        VERSION_LABELS,
        HAND_OVER_LABELS,
        rule_table(),
    )
    digest = hashlib.sha256((assets.fingerprint + repr(wording)).encode())
    scripts = sorted([*STATIC.glob("verify/*.js"), *STATIC.glob("rules/*.js")])
    modules = [f"/static/{p.relative_to(STATIC).as_posix()}" for p in scripts]
    modules += list(vendor_modules())
    source = (STATIC / "sw.js").read_text(encoding="utf-8")
    source = source.replace("const MODULES = [];", f"const MODULES = {json.dumps(modules)};")
    source = source.replace('"lic-shell-v1"', f'"lic-shell-{digest.hexdigest()[:12]}"')
    return assets.rewrite(source).encode()


@router.get("/hors-ligne")
def offline(request: Request) -> Response:
    """Precached by the service worker, on whoever's session: rendered as signed out, so the
    copy kept on a shared tablet carries no agent's name nor session token."""
    return render(request, "offline.html", user=None, csrf="")


@router.get("/en-attente")
def outbox_page(request: Request, user: Agent) -> Response:
    """What the tablet holds for the server: listed by web/static/outbox-page.js from the
    device's own storage (the page itself holds nothing, so the device may keep it)."""
    return render(request, "outbox.html")
