"""Front-end packages installed from npm (package-lock.json) and served by the app itself."""

from __future__ import annotations

from pathlib import Path

NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
HTMX = NODE_MODULES / "htmx.org" / "dist"
CBORG = NODE_MODULES / "cborg"  # ES modules: cborg.js and lib/, for the browser's verifier
IDB = NODE_MODULES / "idb" / "build"  # index.js: IndexedDB with promises, for the outbox
ZXING = NODE_MODULES / "zxing-wasm" / "dist"  # the QR reader in WebAssembly, for offline


def vendor_modules() -> dict[str, Path]:
    """URL -> file of the npm modules the pages import, for the service worker to keep."""
    found: dict[str, Path] = {}
    if CBORG.exists():
        for path in [CBORG / "cborg.js", *sorted((CBORG / "lib").rglob("*.js"))]:
            found[f"/vendor/cborg/{path.relative_to(CBORG).as_posix()}"] = path
    if IDB.exists():
        found["/vendor/idb/index.js"] = IDB / "index.js"
    if ZXING.exists():
        for name in ("es/reader/index.js", "es/share.js", "reader/zxing_reader.wasm"):
            found[f"/vendor/zxing/{name}"] = ZXING / name
    return found
