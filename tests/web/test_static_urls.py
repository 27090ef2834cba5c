"""Static files under content-hashed URLs: kept a year by the browser and never asked for
again, a new URL for new content, the earlier URLs still served, and the short lifetimes of
what must be asked for at each use (pages, the service worker, the manifest)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from tests.web.conftest import sign_in
from web.assets import IMMUTABLE, load_assets
from web.vendor import STATIC, ZXING

HASHED = re.compile(r"""/(?:static|vendor)/(?:[a-z-]+/)?~[0-9a-f]{12}/[^"'`()\s]+""")


def test_every_file_a_page_names_is_hashed_and_kept_a_year(client: TestClient) -> None:
    sign_in(client, "agent")
    page = client.get("/scan").text
    named = re.findall(r'(?:src|href)="(/(?:static|vendor)/[^"]+)"', page)
    assert len(named) >= 10
    for url in named:
        assert HASHED.fullmatch(url), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["cache-control"] == IMMUTABLE, url


def test_scripts_styles_and_the_service_worker_name_the_hashed_files(client: TestClient) -> None:
    """Module imports, a style sheet's url()s and the worker's precache fetch hashed files
    too: import maps would miss the worker and the style sheets."""
    assets = client.app.state.assets  # type: ignore[attr-defined]
    scan = client.get(assets.url("/static/offline-scan.js")).text
    assert f'from "{assets.url("/static/dom.js")}"' in scan
    styles = client.get(assets.url("/static/app.css")).text
    assert f"url({assets.url('/vendor/dsfr/fonts/Marianne-Bold.woff2')})" in styles
    dsfr = client.get(assets.url("/vendor/dsfr/dsfr-styles.css")).text
    assert "url(/vendor/dsfr/~" in dsfr
    assert "url(/vendor/dsfr/fonts" not in dsfr
    decoder = client.get(assets.url("/static/qr-reader.js")).text
    assert assets.url("/vendor/zxing/reader/zxing_reader.wasm") in decoder
    worker = client.get("/sw.js").text
    assert f'from "{assets.url("/static/outbox-store.js")}"' in worker
    modules = json.loads(re.search(r"const MODULES = (\[.*?\]);", worker)[1])  # type: ignore[index]
    shell = re.findall(r'^  "(/(?:static|vendor)/[^"]+)",$', worker, re.MULTILINE)
    assert len(shell) >= 10
    for url in [*modules, *shell]:
        assert HASHED.fullmatch(url), url
        assert client.get(url).headers["cache-control"] == IMMUTABLE, url
    icons = client.get("/manifest.webmanifest").json()["icons"]
    assert all(HASHED.fullmatch(icon["src"]) for icon in icons)


def test_the_earlier_urls_still_serve_the_files_revalidated(client: TestClient) -> None:
    """Tabs and installed workers of the previous version ask for these."""
    for url in ("/static/app.js", "/vendor/dsfr-styles.css", "/vendor/htmx/htmx.min.js"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["cache-control"] == "no-cache", url
        again = client.get(url, headers={"If-None-Match": response.headers["etag"]})
        assert again.status_code == 304, url


def test_an_unknown_version_is_not_found_and_never_kept(client: TestClient) -> None:
    for url in (
        "/static/~000000000000/app.js",
        "/vendor/zxing/~000000000000/reader/zxing_reader.wasm",
        "/static/~/app.js",
        client.app.state.assets.url("/static/"),  # type: ignore[attr-defined]
        client.app.state.assets.url("/static/../../pyproject.toml"),  # type: ignore[attr-defined]
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Page introuvable" in response.text
        assert response.headers["cache-control"] in ("no-cache", "no-store"), url


def test_a_hostile_file_name_is_not_found_never_an_error(client: TestClient) -> None:
    """The app's scripts and styles are read by the app itself (to hash their URLs): a NUL
    byte or a name longer than the file system allows is a 404 there too."""
    assets = client.app.state.assets  # type: ignore[attr-defined]
    long_name = "a" * 300
    for url in (
        "/static/app.css%00.js",
        assets.url("/static/app.css") + "%00.js",
        f"/static/{long_name}.js",
        assets.url(f"/static/{long_name}/{long_name}.css"),
        f"/vendor/dsfr/{long_name}.css",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Page introuvable" in response.text


def test_pages_the_worker_and_the_manifest_keep_short_lifetimes(client: TestClient) -> None:
    assert client.get("/connexion").headers["cache-control"] == "no-store"
    assert client.get("/sw.js").headers["cache-control"] == "no-cache"
    assert client.get("/manifest.webmanifest").headers["cache-control"] == "no-store"


def test_a_changed_file_gets_a_new_url_and_the_packages_keep_theirs(tmp_path: Path) -> None:
    """One version per tree: a release of the app changes every /static URL, never the QR
    reader's, which tablets then keep."""
    static = tmp_path / "static"
    shutil.copytree(STATIC, static)
    before = load_assets(static)
    assert load_assets(static) == before  # the same files, the same URLs
    (static / "app.css").write_text((static / "app.css").read_text() + "\n/* v2 */\n")
    after = load_assets(static)
    assert after.url("/static/app.css") != before.url("/static/app.css")
    assert after.url("/static/app.js") != before.url("/static/app.js")
    wasm = "/vendor/zxing/reader/zxing_reader.wasm"
    assert ZXING.exists()
    assert after.url(wasm) == before.url(wasm)
    assert after.url("/manifest.webmanifest") == "/manifest.webmanifest"  # not a static file
