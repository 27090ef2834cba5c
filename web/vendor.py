"""Front-end packages installed from npm (package-lock.json) and served by the app itself."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
HTMX = NODE_MODULES / "htmx.org" / "dist"
CBORG = NODE_MODULES / "cborg"  # ES modules: cborg.js and lib/, for the browser's verifier
IDB = NODE_MODULES / "idb" / "build"  # index.js: IndexedDB with promises, for the outbox
ZXING = NODE_MODULES / "zxing-wasm" / "dist"  # the tablet's QR reader in WebAssembly
DSFR = NODE_MODULES / "@gouvfr" / "dsfr" / "dist"  # the State's design system

# Only the DSFR parts the pages use, so that a first visit stays light (the whole
# dsfr.min.css is 10 times larger). Core first: the components build on its variables.
DSFR_STYLES = (
    "core/core.main.min.css",
    "scheme/scheme.min.css",
    *(
        f"component/{name}/{name}.main.min.css"
        for name in (
            "skiplink",
            "logo",
            "header",
            "navigation",
            "link",
            "button",
            "form",
            "input",
            "select",
            "checkbox",
            "radio",
            "alert",
            "badge",
            "table",
            "breadcrumb",
            "stepper",
            "modal",
            "password",
            "callout",
            "connect",  # the ProConnect button
        )
    ),
    "component/display/display.min.css",
)
# The components, the theme's scheme among them, build on the core.
DSFR_SCRIPTS = (
    "core/core.module.min.js",
    "scheme/scheme.module.min.js",
    *(
        f"component/{name}/{name}.module.min.js"
        for name in ("navigation", "header", "modal", "password", "display")
    ),
)
# The files those styles load: the fonts' weights in use (app.css draws the DSFR's medium
# weight with the bold file) and the icons (icons.css).
DSFR_FONTS = ("Marianne-Regular", "Marianne-Bold")


# The DSFR styles in one response: 28 files gzip or brotli far better together, and each
# response costs its headers (a first visit's bytes). Their url()s are made absolute (then
# hashed: web/assets.py). Served in the DSFR's tree; the earlier URL stays for open tabs.
DSFR_BUNDLE_URL = "/vendor/dsfr/dsfr-styles.css"
EARLIER_DSFR_BUNDLE_URL = "/vendor/dsfr-styles.css"


@cache
def dsfr_styles_bundle() -> bytes:
    return "\n".join(_absolute_urls(name) for name in DSFR_STYLES).encode()


CSS_URL = re.compile(r"url\((['\"]?)([^)'\"]+)\1\)")


def _absolute_urls(name: str) -> str:
    base = f"/vendor/dsfr/{name}"

    def absolute(match: re.Match[str]) -> str:
        target = match[2] if match[2].startswith("data:") else _join(base, match[2])
        return f"url({match[1]}{target}{match[1]})"

    return CSS_URL.sub(absolute, (DSFR / name).read_text(encoding="utf-8"))


def vendor_modules() -> dict[str, Path]:
    """URL -> file of the npm modules the pages import, for the service worker to keep."""
    found: dict[str, Path] = {}
    if CBORG.exists():  # what cborg.js imports, not the package's other entries and tests
        for path in module_graph(CBORG / "cborg.js"):
            found[f"/vendor/cborg/{path.relative_to(CBORG).as_posix()}"] = path
    if IDB.exists():
        found["/vendor/idb/index.js"] = IDB / "index.js"
    if ZXING.exists():
        for name in ("es/reader/index.js", "es/share.js", "reader/zxing_reader.wasm"):
            found[f"/vendor/zxing/{name}"] = ZXING / name
    if DSFR.exists():
        found[DSFR_BUNDLE_URL] = DSFR / DSFR_STYLES[0]  # its digest: see dsfr_styles_bundle
        for name in DSFR_SCRIPTS:
            found[f"/vendor/dsfr/{name}"] = DSFR / name
        for font in DSFR_FONTS:
            found[f"/vendor/dsfr/fonts/{font}.woff2"] = DSFR / "fonts" / f"{font}.woff2"
        found.update(_dsfr_images())
    return found


# `import … from "./x.js"`, `export … from "./x.js"`, `import "./x.js"`: static, relative
# imports (a JSDoc `{import('./types.js')}` is not one)
STATIC_IMPORT = re.compile(
    r"""^\s*(?:import|export)\s[^'"]*?\bfrom\s*['"](\.{1,2}/[^'"]+)['"]"""
    r"""|^\s*import\s*['"](\.{1,2}/[^'"]+)['"]""",
    re.MULTILINE,
)


def module_graph(entry: Path) -> list[Path]:
    """The ES module `entry` and every module it imports, directly or not: the files the
    browser loads, so that the tablet keeps those and only those (a first visit's bytes)."""
    found: set[Path] = set()
    waiting = [entry]
    while waiting:
        module = waiting.pop()
        if module in found:
            continue
        found.add(module)
        for match in STATIC_IMPORT.finditer(module.read_text(encoding="utf-8")):
            waiting.append(Path(os.path.normpath(module.parent / (match[1] or match[2]))))
    return sorted(found)


def _dsfr_images() -> dict[str, Path]:
    """The DSFR icons the kept styles draw (a menu, a close button, icons.css), so that the
    pages look the same without network."""
    found: dict[str, Path] = {}
    # the buttons' sheet names a dozen icons for button kinds the pages do not use (the close
    # button's icon is in icons.css)
    sheets = [
        (DSFR / name, f"/vendor/dsfr/{name}") for name in DSFR_STYLES if "/button/" not in name
    ]
    sheets.append((STATIC / "icons.css", "/static/icons.css"))
    for path, url in sheets:
        for target in re.findall(r"url\(([^)]+\.svg)\)", path.read_text(encoding="utf-8")):
            resolved = _join(url, target.strip("'\""))
            file = DSFR / resolved.removeprefix("/vendor/dsfr/")
            if resolved.startswith("/vendor/dsfr/") and file.is_file():
                found[resolved] = file
    return found


def _join(base: str, relative: str) -> str:
    if relative.startswith("/"):
        return relative
    parts = base.split("/")[:-1]
    for piece in relative.split("/"):
        if piece == "..":
            parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)
