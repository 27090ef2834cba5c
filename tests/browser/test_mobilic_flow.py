"""A driver shows Mobilic's QR code: the camera reads it, online and without network, the
page says it is a Mobilic code to consult in Mobilic (never that it is genuine), and the
control is recorded with its kind, online or through the outbox, once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect

from tests.browser.conftest import _checked_page, fake_camera, poll, with_camera
from tests.browser.test_offline_trust import go_offline_on_the_scan_page
from tests.browser.test_scan_flow import asked_for, on_the_scan_page, requested, shot
from tests.mobilic_codes import mobilic_png, mobilic_url

MINE = """async (plate) => (await (await fetch("/api/controls")).json())
  .filter((c) => c.plate === plate).map((c) => c.kind)"""
LINK = mobilic_url(datetime.now(UTC) - timedelta(minutes=5))


@pytest.fixture(scope="module")
def mobilic_browser(
    playwright: Playwright, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Browser]:
    folder = tmp_path_factory.mktemp("mobilic-camera")
    browser = with_camera(
        playwright, fake_camera(mobilic_png(LINK, folder / "mobilic.png"), folder / "qr.y4m")
    )
    yield browser
    browser.close()


@pytest.fixture
def mobilic_page(mobilic_browser: Browser, live_server: str) -> Iterator[Page]:
    yield from _checked_page(mobilic_browser, live_server)


def test_the_camera_reads_a_mobilic_code_then_the_control_is_recorded(
    mobilic_page: Page, tmp_path: Path
) -> None:
    """Online too, the tablet reads the frames: none goes to the server."""
    page = mobilic_page
    on_the_scan_page(page)
    paths = requested(page)
    page.click("#camera-demarrer")
    banner = page.locator("#verdict-mobilic")
    expect(banner).to_contain_text("Code Mobilic : à consulter dans Mobilic", timeout=20_000)
    expect(page.locator("#camera-etat")).to_have_text("Code Mobilic lu.")
    assert not asked_for(paths, "/api/decode")
    expect(banner).to_contain_text("ne peut pas vérifier ce code")
    expect(page.locator(".verdict.valide")).to_have_count(0)
    link = page.locator("#ouvrir-mobilic")
    expect(link).to_have_attribute("href", LINK)
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    banner.scroll_into_view_if_needed()
    shot(page, "verdict-mobilic", tmp_path)
    page.fill("#departement", "73")
    page.fill("#commune", "Chambéry")
    page.fill("#plate", "MO-111-BL")
    page.locator("#enregistrer button[type=submit]").click()
    expect(page.get_by_role("heading", name="Contrôle n°")).to_contain_text(
        "Mobilic (consultation en ligne)"
    )
    expect(page.locator("body")).to_contain_text("selon le code (non vérifiable ici)")
    page.goto("/controles")
    expect(page.get_by_role("table")).to_contain_text("Mobilic (consultation en ligne)")


def test_without_network_a_mobilic_code_is_recorded_through_the_outbox_once(
    mobilic_page: Page,
) -> None:
    page = mobilic_page
    plate = "MO-222-HL"
    go_offline_on_the_scan_page(page)
    try:
        page.click("#camera-demarrer")
        banner = page.locator("#verdict-mobilic")
        expect(banner).to_contain_text("Code Mobilic : à consulter dans Mobilic", timeout=30_000)
        expect(banner).to_contain_text("Hors ligne : Mobilic ne peut pas être ouvert")
        expect(banner).to_contain_text("scannez de nouveau le code du conducteur")
        expect(page.locator("#ouvrir-mobilic")).to_be_disabled()
        expect(page.locator("#ouvrir-mobilic")).not_to_have_attribute("href", LINK)
        page.fill("#hl-departement", "73")
        page.fill("#hl-commune", "Modane")
        page.fill("#hl-plate", plate)
        page.click("#form-hors-ligne button[type=submit]")
        expect(page.locator("#enregistre-hors-ligne")).to_be_visible()
        expect(page.locator("#en-attente")).to_have_text("1 en attente")
    finally:
        page.context.set_offline(False)  # the "online" event starts the sync
    expect(page.locator("#en-attente")).to_be_hidden(timeout=30_000)
    poll(page, f"async () => (await ({MINE})('{plate}')).length === 1", "not synced")
    page.evaluate("window.licOutbox.sync()")  # once more: nothing left to send
    assert page.evaluate(MINE, plate) == ["mobilic"]


def test_without_network_the_claimed_dates_are_flagged_as_online(mobilic_page: Page) -> None:
    """A code claiming a generation 25 hours ago, or seventy years ahead: the tablet says
    what the server would, without network."""
    page = mobilic_page
    go_offline_on_the_scan_page(page)
    now = datetime.now(UTC)
    try:
        for made, said, unsaid in (
            (now - timedelta(hours=25), "plus de 24 heures", "dans le futur"),
            (now + timedelta(days=365 * 70), "dans le futur", "plus de 24 heures"),
        ):
            page.fill("#code", mobilic_url(made))
            page.click("#form-code button[type=submit]")
            shown = page.locator("#resultat")
            expect(shown.locator("#verdict-mobilic")).to_be_visible()
            expect(shown).to_contain_text(said)
            expect(shown).not_to_contain_text(unsaid)
    finally:
        page.context.set_offline(False)
