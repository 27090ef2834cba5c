"""The verdict read at arm's length in sunlight, on a tablet and on a phone, in the light and
the dark theme, online and on the tablet without network: white text on a solid banner at
4.5:1 at least, the word at 48 px or more, valid and refused banners apart in greyscale (as
glare or a monochrome screen shows them), every target 44 px, no serious axe violation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import TABLET, sign_in
from tests.browser.journeys.axe import assert_accessible
from tests.browser.targets import assert_targets_large_enough
from tests.browser.test_offline_trust import go_offline_on_the_scan_page
from tests.mobilic_codes import mobilic_url
from tests.web.conftest import demo_code

PHONE = {"width": 390, "height": 844}
SIZES = {"tablet": TABLET, "phone": PHONE}
MINIMUM_CONTRAST = 4.5
MINIMUM_WORD_PX = 48
# on 0–255: what still tells the two banners apart once colour and most contrast are gone
MINIMUM_GREY_GAP = 40

# Every text of the banner: its colour, and the banner's own background (solid, opaque).
BANNER_COLOURS = """(banner) => {
  const texts = [...banner.querySelectorAll(".verdict-titre, p, dt, dd")];
  return {
    background: getComputedStyle(banner).backgroundColor,
    texts: texts.map((el) => getComputedStyle(el).color),
    word: parseFloat(getComputedStyle(banner.querySelector(".verdict-titre")).fontSize),
  };
}"""


def channels(css: str) -> tuple[float, ...]:
    """'rgb(24, 117, 60)' or 'rgba(…, 1)' as numbers."""
    return tuple(float(part) for part in css[css.index("(") + 1 : -1].split(","))


def luminance(css: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""

    def linear(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(v) for v in channels(css)[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def grey_mean(banner: Locator) -> float:
    """The banner as a greyscale photo shows it: its mean grey on 0–255."""
    # caret "initial": Playwright would hide the caret with a style the pages' CSP refuses
    photo = banner.screenshot(caret="initial")
    return float(ImageStat.Stat(Image.open(BytesIO(photo)).convert("L")).mean[0])


def readable_banner(page: Page, size: str) -> float:
    """Checks what the banner says to the eye, and returns its mean grey."""
    banner = page.locator(".verdict")
    colours = banner.evaluate(BANNER_COLOURS)
    background = colours["background"]
    assert len(channels(background)) == 3 or channels(background)[3] == 1, background
    worst = min(contrast(text, background) for text in colours["texts"])
    assert worst >= MINIMUM_CONTRAST, f"{background}: text at {worst:.2f}:1"
    assert colours["word"] >= MINIMUM_WORD_PX, colours["word"]
    if size == "tablet":  # the banner shows in full after a scan, without scrolling
        box = banner.bounding_box()
        assert box is not None
        assert box["y"] >= -1, box
        assert box["y"] + box["height"] <= TABLET["height"] + 1, box
    return grey_mean(banner)


def open_the_scan_page(page: Page, size: str, theme: str) -> None:
    page.set_viewport_size(SIZES[size])
    page.emulate_media(color_scheme=theme)  # "system" by default: the tablet's setting
    sign_in(page, "agent")
    expect(page.get_by_role("heading", name="Scanner le QR code du conducteur")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("data-fr-theme", theme)


def scan(page: Page, code: str) -> None:
    page.fill("#code", code)
    page.click("#form-code button[type=submit]")


def tampered(code: str) -> str:
    return code[:-12] + ("A" if code[-12] != "A" else "B") + code[-11:]


def check_the_page(page: Page) -> None:
    assert_targets_large_enough(page)
    assert_accessible(page)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_the_verdict_reads_in_sunlight(page: Page, demo_world: Path, size: str, theme: str) -> None:
    open_the_scan_page(page, size, theme)
    assert page.evaluate("() => window.scrollY") == 0  # opens at the top, field focus or not
    expect(page.locator("#confiance")).to_contain_text("Liste de confiance du")
    # the list's age is a key fact: in the text's own colour, not a pale grey
    trust, text = page.evaluate(
        "() => [document.getElementById('confiance'), document.body]"
        ".map((el) => getComputedStyle(el).color)"
    )
    assert trust == text, (trust, text)
    check_the_page(page)

    code = demo_code(demo_world, "02-longue-distance")
    scan(page, code)
    expect(page.locator(".verdict.valide")).to_contain_text("Code authentique")
    expect(page.locator(".verdict .fr-icon-checkbox-circle-fill")).to_be_visible()
    valid = readable_banner(page, size)
    check_the_page(page)

    scan(page, tampered(code))
    expect(page.locator(".verdict.invalide")).to_be_visible()
    expect(page.locator(".verdict .fr-icon-close-circle-fill")).to_be_visible()
    refused = readable_banner(page, size)
    check_the_page(page)
    assert valid - refused >= MINIMUM_GREY_GAP, f"grey: valid {valid:.1f}, refused {refused:.1f}"


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_the_offline_verdict_reads_as_the_online_one(
    page: Page, demo_world: Path, size: str, theme: str
) -> None:
    page.set_viewport_size(SIZES[size])
    page.emulate_media(color_scheme=theme)
    go_offline_on_the_scan_page(page)
    try:
        expect(page.locator("html")).to_have_attribute("data-fr-theme", theme)
        code = demo_code(demo_world, "02-longue-distance")
        scan(page, code)
        expect(page.locator("#verdict-hors-ligne.valide")).to_contain_text("Code authentique")
        expect(page.locator(".verdict .fr-icon-checkbox-circle-fill")).to_be_visible()
        valid = readable_banner(page, size)
        check_the_page(page)

        scan(page, tampered(code))
        expect(page.locator("#verdict-hors-ligne.invalide")).to_be_visible()
        expect(page.locator(".verdict .fr-icon-close-circle-fill")).to_be_visible()
        refused = readable_banner(page, size)
        check_the_page(page)
        assert valid - refused >= MINIMUM_GREY_GAP, f"valid {valid:.1f}, refused {refused:.1f}"
    finally:
        page.context.set_offline(False)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_mobilic_code_reads_as_information_online_and_offline(
    page: Page, demo_world: Path, theme: str
) -> None:
    """Neither the green of a genuine code nor the red of a false one: the blue of
    information, as readable, apart from the green in greyscale."""
    open_the_scan_page(page, "tablet", theme)
    scan(page, mobilic_url())
    expect(page.locator(".verdict.neutre")).to_contain_text("Code Mobilic")
    expect(page.locator("#resultat")).not_to_contain_text("plus de 24 heures")
    expect(page.locator(".verdict .fr-icon-info-fill")).to_be_visible()
    online = readable_banner(page, "tablet")
    check_the_page(page)
    go_offline_on_the_scan_page(page)
    try:
        scan(page, mobilic_url(datetime.now(UTC) - timedelta(days=2)))
        expect(page.locator(".verdict.neutre")).to_contain_text("hors ligne")
        expect(page.locator("#resultat")).to_contain_text("Code généré il y a plus de 24 heures.")
        offline = readable_banner(page, "tablet")
        check_the_page(page)
    finally:
        page.context.set_offline(False)
    assert abs(online - offline) < MINIMUM_GREY_GAP / 2, (online, offline)
    page.goto("/scan")
    scan(page, demo_code(demo_world, "02-longue-distance"))
    expect(page.locator(".verdict.valide")).to_be_visible()
    assert readable_banner(page, "tablet") - online >= MINIMUM_GREY_GAP
