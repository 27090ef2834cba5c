"""Static files under content-hashed URLs, cached for a year without revalidation.

Each served tree (the app's /static, each npm package under /vendor) has one version: a
digest of its content. `/static/app.css` is fetched as `/static/~<version>/app.css`, which
changes whenever the tree changes, so it is sent `immutable` for a year: a repeat visit asks
nothing, and a new version is new URLs. One version per tree rather than per file because
a prefix keeps relative imports working unchanged (cborg's lib/, zxing's WebAssembly beside
its loader) and needs no rewriting of third-party code; and one per package, not one for the
whole app, so that a release of the app does not make tablets fetch the QR reader (412 KiB)
or the DSFR again: the new service worker's precache finds them in the HTTP cache.

The app's own scripts and styles name other files by absolute URL (`import … from
"/static/dom.js"`, `url(/vendor/dsfr/…)`); they are served with those URLs made hashed, here,
so that pages, modules, the service worker (where import maps do not apply) and style sheets
all fetch the hashed files. The version of /static covers the packages' versions it names.

The unhashed URLs keep working, revalidated at each use (`no-cache`, set in web/headers.py):
open tabs and installed workers of the previous version still find their files. An unknown
version is a 404, never today's file under yesterday's name.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import Scope

from web.vendor import CBORG, DSFR, HTMX, IDB, STATIC, ZXING, dsfr_styles_bundle

IMMUTABLE = "public, max-age=31536000, immutable"
MARK = "~"  # starts the version segment: `~` is in no file name the trees hold
# an absolute URL into a tree, in a JS string or a CSS url(): what the app's files name
NAMED_URL = re.compile(r"""(?<=["'`(])/(?:static|vendor)/[^"'`()\s]*""")
REWRITTEN = (".js", ".css")  # the app's own files that name others
DSFR_STYLES_FILE = "dsfr-styles.css"  # the DSFR styles the pages use, in one file


@dataclass(frozen=True)
class Tree:
    """Files served under `prefix`, from `directory`, as of `version`."""

    prefix: str  # "/static/", "/vendor/zxing/"
    directory: Path
    version: str
    own: bool = False  # the app's files, whose scripts and styles name others by URL

    def hashed(self, path: str) -> str:
        return f"{self.prefix}{MARK}{self.version}/{path.removeprefix(self.prefix)}"


@dataclass(frozen=True)
class Assets:
    """The one home of static URLs: `url` for templates, routes and the rewritten files."""

    trees: tuple[Tree, ...]
    _rewritten: dict[str, bytes] = field(default_factory=dict, compare=False, hash=False)

    def url(self, path: str) -> str:
        """`path` under its tree's version; a path outside every tree as it is."""
        tree = self.tree_of(path)
        return tree.hashed(path) if tree else path

    def tree_of(self, path: str) -> Tree | None:
        found = [tree for tree in self.trees if path.startswith(tree.prefix)]
        return max(found, key=lambda tree: len(tree.prefix), default=None)

    def rewrite(self, text: str) -> str:
        """Every absolute URL into a tree that `text` names, made hashed."""
        return NAMED_URL.sub(lambda match: self.url(match[0]), text)

    def rewritten(self, file: Path) -> bytes:
        """The app's own script or style sheet with the URLs it names hashed (kept: the
        files do not change while the app runs, nor do the versions)."""
        key = str(file)
        if key not in self._rewritten:
            self._rewritten[key] = self.rewrite(file.read_text(encoding="utf-8")).encode()
        return self._rewritten[key]

    @property
    def fingerprint(self) -> str:
        """One digest of every tree's version: what the service worker's cache is named after."""
        return _digest(*(f"{tree.prefix}{tree.version}".encode() for tree in self.trees))

    def dsfr_styles(self) -> bytes:
        """The DSFR styles the pages use, in one file, their url()s hashed (kept)."""
        if DSFR_STYLES_FILE not in self._rewritten:
            bundle = self.rewrite(dsfr_styles_bundle().decode()).encode()
            self._rewritten[DSFR_STYLES_FILE] = bundle
        return self._rewritten[DSFR_STYLES_FILE]

    def mount(self, app: FastAPI) -> None:
        for tree in self.trees:
            extra = {DSFR_STYLES_FILE: self.dsfr_styles} if tree.directory == DSFR else {}
            app.mount(tree.prefix.rstrip("/"), AssetFiles(tree, self, extra), name=tree.prefix)


def load_assets(static: Path = STATIC) -> Assets:
    """The trees and their versions, from the files as they are now (once, at start)."""
    vendor = [
        Tree(f"/vendor/{name}/", directory, _package_version(directory))
        for name, directory in (
            ("htmx", HTMX),
            ("cborg", CBORG),
            ("idb", IDB),
            ("dsfr", DSFR),
            ("zxing", ZXING),
        )
        if directory.exists()
    ]
    files = sorted(path for path in static.rglob("*") if path.is_file())
    version = _digest(
        *(f"{tree.prefix}{tree.version}".encode() for tree in vendor),
        *(p.relative_to(static).as_posix().encode() + b"\0" + p.read_bytes() for p in files),
    )
    return Assets((Tree("/static/", static, version, own=True), *vendor))


def _package_version(directory: Path) -> str:
    """An npm package's content, as npm pins it: its package.json (name, version), which the
    lockfile's integrity hash ties to the files. The DSFR's styles bundle is made here, from
    a list in web/vendor.py: its bytes count too."""
    package = directory / "package.json"
    if not package.exists():
        package = directory.parent / "package.json"
    extra = dsfr_styles_bundle() if directory == DSFR else b""
    return _digest(package.read_bytes(), extra)


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:12]


class AssetFiles(StaticFiles):
    """A tree's files under their hashed URL (immutable) and their plain one (revalidated)."""

    def __init__(self, tree: Tree, assets: Assets, extra: dict[str, Callable[[], bytes]]) -> None:
        super().__init__(directory=tree.directory)
        self.tree = tree
        self.assets = assets
        self.extra = extra

    async def get_response(self, path: str, scope: Scope) -> Response:
        first, _, rest = path.partition("/")
        hashed = first.startswith(MARK)
        if hashed:
            if first != MARK + self.tree.version or not rest:
                raise HTTPException(status_code=404)
            path = rest
        response = await self._file(path, scope)
        if hashed and response.status_code in (200, 304):
            response.headers["Cache-Control"] = IMMUTABLE
        return response

    async def _file(self, path: str, scope: Scope) -> Response:
        if path in self.extra:
            return tagged_response(self.extra[path](), "text/css", scope)
        if self.tree.own and path.endswith(REWRITTEN):
            full = self._own_file(path)
            kind = mimetypes.guess_type(full)[0] or "text/plain"
            return tagged_response(self.assets.rewritten(full), kind, scope)
        return await super().get_response(path, scope)

    def _own_file(self, path: str) -> Path:
        """The file at `path`, else a 404: a NUL byte or a name longer than the file system
        allows raise in its calls (StaticFiles catches them only for the files it serves)."""
        try:
            full, found = self.lookup_path(path)
            if found is not None and Path(full).is_file():
                return Path(full)
        except (ValueError, OSError):
            pass
        raise HTTPException(status_code=404)


def tagged_response(body: bytes, kind: str, scope: Scope) -> Response:
    """`body`, or a 304 to a client that holds it already (its ETag is its digest)."""
    tag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
    for name, value in scope["headers"]:
        if name == b"if-none-match" and value.decode("latin-1") == tag:
            return Response(status_code=304, headers={"ETag": tag})
    return Response(body, media_type=kind, headers={"ETag": tag})
