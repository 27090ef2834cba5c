"""Front-end packages installed from npm (package-lock.json) and served by the app itself."""

from __future__ import annotations

from pathlib import Path

NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
HTMX = NODE_MODULES / "htmx.org" / "dist"
CBORG = NODE_MODULES / "cborg"  # ES modules: cborg.js and lib/, for the browser's verifier


def cborg_modules() -> list[str]:
    """The URLs of cborg's module files, for the service worker to keep."""
    if not CBORG.exists():
        return []
    files = [CBORG / "cborg.js", *sorted((CBORG / "lib").rglob("*.js"))]
    return [f"/vendor/cborg/{path.relative_to(CBORG).as_posix()}" for path in files]
