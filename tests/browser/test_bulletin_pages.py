"""The control form, the control page, each bulletin step and the issued bulletin, at tablet
and phone size: every control big enough for a gloved finger, and axe-core clean in the light
and the dark theme."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import TABLET, sign_in
from tests.browser.journeys.axe import assert_accessible
from tests.browser.journeys.test_agent_day import PHONE
from tests.browser.targets import assert_targets_large_enough
from tests.web.conftest import demo_code


@pytest.fixture(params=[TABLET, PHONE], ids=["1280x800", "390x844"])
def screen(request: pytest.FixtureRequest, browser: Browser, live_server: str) -> Iterator[Page]:
    context = browser.new_context(viewport=request.param, base_url=live_server, locale="fr-FR")
    yield context.new_page()
    context.close()


def check_in_both_themes(page: Page, url: str) -> None:
    """The page at `url`, opened in the light theme then the dark one (as the tablet's setting
    says): targets of 44 px at least, no serious or critical axe-core violation."""
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("data-fr-theme", scheme)
        assert_targets_large_enough(page)
        assert_accessible(page)


def test_control_and_bulletin_pages_fit_a_finger_in_both_themes(
    screen: Page, demo_world: Path
) -> None:
    page = screen
    sign_in(page, "agent")
    check_in_both_themes(page, "/controles/nouveau?type=paper")

    page.emulate_media(color_scheme="light")
    page.goto("/scan")
    page.fill("#code", demo_code(demo_world, "06-nuit"))
    page.keyboard.press("Enter")
    expect(page.locator(".verdict.valide")).to_be_visible()
    page.fill("#departement", "38")
    page.fill("#commune", "Grenoble")
    page.click("text=Enregistrer le contrôle >> nth=-1")
    expect(page.get_by_role("heading", name="Contrôle n°")).to_be_visible()
    control = page.url
    check_in_both_themes(page, control)
    expect(page.locator(".fr-breadcrumb")).to_contain_text("Contrôles")

    page.goto(f"{control}/bulletin")
    check_in_both_themes(page, f"{control}/bulletin?etape=1")
    page.click("button:has-text('Enregistrer et continuer')")
    expect(page.locator(".fr-stepper__state")).to_have_text("Étape 2 sur 3")
    page.fill("#licence", "2020/38/0004321")
    check_in_both_themes(page, f"{control}/bulletin?etape=2")
    page.fill("#licence", "2020/38/0004321")
    page.click("button:has-text('Enregistrer et continuer')")
    expect(page.locator(".fr-stepper__state")).to_have_text("Étape 3 sur 3")
    check_in_both_themes(page, f"{control}/bulletin?etape=3")
    boxes = page.locator(".infractions-retenues .fr-checkbox-group")
    expect(boxes.first).to_be_visible()
    for box in boxes.all():  # each retained breach: a row a finger can tick
        assert (box.locator("label").bounding_box() or {"height": 0})["height"] >= 44
    page.click("button:has-text('Émettre le bulletin')")
    expect(page.get_by_role("heading", name="version 1")).to_be_visible(timeout=30_000)
    check_in_both_themes(page, page.url)
    expect(page.locator(".fr-breadcrumb")).to_contain_text("Contrôle du")
