"""What makes the app installable and open without network: manifest, service worker."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from web.rendering import render

router = APIRouter()
STATIC = Path(__file__).resolve().parent.parent / "static"


@router.get("/manifest.webmanifest")
def manifest() -> Response:
    return JSONResponse(
        {
            "name": "Contrôle LIC",
            "short_name": "Contrôle LIC",
            "lang": "fr",
            "start_url": "/scan",
            "scope": "/",
            "display": "standalone",
            "orientation": "any",
            "background_color": "#f5f5fe",
            "theme_color": "#000091",
            "icons": [
                {"src": "/static/icon.svg", "sizes": "any", "type": "image/svg+xml"},
            ],
        },
        media_type="application/manifest+json",
    )


@router.get("/sw.js")
def service_worker() -> Response:
    """Served from the root so that its scope is the whole app."""
    response = FileResponse(STATIC / "sw.js", media_type="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@router.get("/hors-ligne")
def offline(request: Request) -> Response:
    return render(request, "offline.html")
