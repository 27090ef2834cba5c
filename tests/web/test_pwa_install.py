"""The manifest that makes the app installable: PNG icons of the sizes it says, a maskable
icon whose mark survives the platform's crop, the icon iOS asks for."""

from __future__ import annotations

import io
import json
import math
import posixpath
import re

from fastapi.testclient import TestClient
from PIL import Image


def _image(client: TestClient, url: str) -> Image.Image:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["content-type"] == "image/png", url
    return Image.open(io.BytesIO(response.content))


def test_the_manifest_names_the_app_in_french(client: TestClient) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["id"] == "/"
    assert manifest["lang"] == "fr"
    assert manifest["name"] == manifest["short_name"] == "Contrôle LIC"
    assert "livrets individuels de contrôle" in manifest["description"]


def test_each_png_icon_of_the_manifest_has_the_size_it_declares(client: TestClient) -> None:
    icons = client.get("/manifest.webmanifest").json()["icons"]
    pngs = [icon for icon in icons if icon["type"] == "image/png"]
    declared = {(icon["sizes"], icon["purpose"]) for icon in pngs}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= declared
    for icon in pngs:
        width, height = (int(side) for side in icon["sizes"].split("x"))
        assert _image(client, icon["src"]).size == (width, height), icon["src"]


def test_the_maskable_icon_keeps_its_mark_in_the_central_80_percent(client: TestClient) -> None:
    """Outside the safe zone (a circle of 40 % of the side about the centre) there is only
    the background: a round mask never cuts the mark."""
    icon = client.get("/manifest.webmanifest").json()["icons"]
    src = next(i["src"] for i in icon if i.get("purpose") == "maskable")
    image = _image(client, src).convert("RGB")
    side = image.width
    background = image.getpixel((0, 0))
    pixels = image.load()
    assert pixels is not None
    outside = [
        (x, y)
        for x in range(0, side, 2)
        for y in range(0, side, 2)
        if math.hypot(x + 0.5 - side / 2, y + 0.5 - side / 2) > 0.4 * side
    ]
    stray = [point for point in outside if pixels[point] != background]
    assert not stray, f"{len(stray)} pixels of the mark outside the safe zone: {stray[:5]}"
    marked = sum(1 for x in range(side) if pixels[x, side // 2 - 40] != background)
    assert marked > 0, "the icon has no mark at all"


def test_the_apple_touch_icon_is_opaque_and_180_px(client: TestClient) -> None:
    image = _image(client, "/static/icons/apple-touch-icon.png")
    assert image.size == (180, 180)
    assert image.mode == "RGB"  # iOS fills transparency with black


def test_the_service_worker_leaves_the_install_icons_to_the_system(client: TestClient) -> None:
    """The icons serve the installation (online), which keeps them; no page draws them, so
    the tablet's offline copy does without them (17 kB less on a first visit)."""
    worker = client.get("/sw.js").text
    icons = client.get("/manifest.webmanifest").json()["icons"]
    pngs = [icon["src"] for icon in icons if icon["src"].endswith(".png")]
    assert pngs
    for src in pngs:
        assert f'"{src}"' not in worker, src
    icon = client.app.state.assets.url("/static/icon.svg")  # type: ignore[attr-defined]
    assert f'"{icon}"' in worker  # the pages' own icon (the tab's) stays


def test_the_tablet_keeps_the_modules_cborg_loads_and_no_others(client: TestClient) -> None:
    """A first visit downloads what the worker keeps: cborg.js and what it imports, whole
    (offline, a missing module breaks the verifier), not the package's tests or other entries."""
    worker = client.get("/sw.js").text
    modules = json.loads(re.search(r"const MODULES = (\[.*?\]);", worker)[1])  # type: ignore[index]
    cborg = client.app.state.assets.url("/vendor/cborg/")  # type: ignore[attr-defined]
    kept = {url for url in modules if url.startswith(cborg)}
    assert f"{cborg}cborg.js" in kept
    assert f"{cborg}lib/diagnostic_test.js" not in kept
    assert f"{cborg}lib/json/decode.js" not in kept
    for url in kept:
        source = client.get(url).text
        for target in re.findall(
            r"""^\s*(?:import|export)\s[^'"]*?from\s*'(\.[^']+)'""", source, re.M
        ):
            assert posixpath.normpath(posixpath.join(posixpath.dirname(url), target)) in kept, (
                url,
                target,
            )
