"""Make the app's PNG icons from web/static/icon.svg, for the manifest and iOS.

    /work/main/.venv/bin/python scripts/icons.py

Browsers ask for PNG icons to call the app installable (192 and 512 px), Android crops a
"maskable" icon to its own shape (a circle at worst: the mark must stay in the central
80 %), and iOS takes a 180 px apple-touch-icon, opaque, and rounds its corners itself.
The SVG is drawn by Debian's Chromium (the one the tests use), so the PNGs look like the
favicon; run again after changing icon.svg, and commit the PNGs.
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "web" / "static" / "icon.svg"
TARGET = ROOT / "web" / "static" / "icons"
CHROMIUM = "/usr/bin/chromium"
# The mark's share of a full-bleed square: its corners (stroke included) within a circle of
# 80 % of the side for the maskable icon; a little larger on iOS, whose mask is a squircle.
MASKABLE_SCALE = 0.78
APPLE_SCALE = 0.9


def full_bleed(svg: str, scale: float) -> str:
    """The icon without its rounded corners (the platform cuts its own shape), the mark
    scaled about the centre so that the cut never reaches it."""
    inner = re.sub(r"<rect [^>]*/>", "", svg.split(">", 1)[1].rsplit("</svg>", 1)[0])
    fill = re.search(r'<rect [^>]*fill="([^"]+)"', svg)
    colour = fill[1] if fill else "#000091"
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" fill="{colour}"/>'
        f'<g transform="translate(32 32) scale({scale}) translate(-32 -32)">{inner}</g></svg>'
    )


def draw(page: Page, svg: str, size: int, path: Path, *, opaque: bool) -> None:
    page.set_viewport_size({"width": size, "height": size})
    source = base64.b64encode(svg.encode()).decode()
    page.set_content(
        '<body style="margin:0">'
        f'<img src="data:image/svg+xml;base64,{source}" width="{size}" height="{size}">'
        "</body>"
    )
    page.wait_for_function("document.images[0].complete")
    shot = page.screenshot(omit_background=not opaque)
    image = Image.open(io.BytesIO(shot)).convert("RGB" if opaque else "RGBA")
    image.save(path, optimize=True)
    print(f"{path.relative_to(ROOT)}: {size}×{size}, {path.stat().st_size} octets")


def main() -> None:
    svg = SOURCE.read_text(encoding="utf-8")
    TARGET.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        for size in (192, 512):  # purpose "any": the favicon's rounded square
            draw(page, svg, size, TARGET / f"icon-{size}.png", opaque=False)
        draw(page, full_bleed(svg, MASKABLE_SCALE), 512, TARGET / "maskable-512.png", opaque=True)
        draw(page, full_bleed(svg, APPLE_SCALE), 180, TARGET / "apple-touch-icon.png", opaque=True)
        browser.close()


if __name__ == "__main__":
    main()
