"""The demo page: the demo drivers' QR codes, to scan from another device."""

from __future__ import annotations

import json
import re

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, Response

from control.record.model import Sector
from control.rules.catalogue import ALL_RULES, SECTOR_LABELS
from control.verify.wording import verdict_label
from web.rendering import render

router = APIRouter()
STEM = re.compile(r"^\d{2}-[a-z-]+$")


@router.get("/demo")
def demo_page(request: Request) -> Response:
    demo_dir = request.app.state.context.settings.demo_dir
    if demo_dir is None or not (demo_dir / "manifest.json").exists():
        raise HTTPException(404, "Pas de données de démonstration sur ce serveur.")
    manifest = json.loads((demo_dir / "manifest.json").read_text(encoding="utf-8"))
    rules = {rule.id: rule for rule in ALL_RULES}
    drivers = [
        {
            "file": entry["file"],
            "note": entry.get("note") or "",
            "sector": SECTOR_LABELS[Sector(entry["sector"])],
            "verdict": verdict_label(entry["expected_verdict"]),
            "findings": [
                f"NATINF {rules[r].natinf} — {rules[r].title}" if r in rules else r
                for r in entry.get("findings", [])
            ],
        }
        for entry in manifest
    ]
    return render(request, "demo.html", drivers=drivers)


@router.get("/demo/codes/{stem}.png")
def demo_code(request: Request, stem: str) -> Response:
    demo_dir = request.app.state.context.settings.demo_dir
    path = None if demo_dir is None else demo_dir / "codes" / f"{stem}.png"
    if path is None or not STEM.match(stem) or not path.exists():
        raise HTTPException(404, "Code de démonstration introuvable.")
    return FileResponse(path, media_type="image/png")
