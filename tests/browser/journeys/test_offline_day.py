"""The first day offline: an agent signs in once, the network goes, and a QR control, a
paper LIC, a driver without a LIC and one with a service schedule are all recorded on the
tablet (or the phone), then synced."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import poll, sign_in
from tests.browser.journeys.test_agent_day import screen as screen  # a fixture
from tests.browser.journeys.test_agent_day import shot
from tests.web.conftest import demo_code
from tests.web.test_bulletins import page_photo_bytes

KEPT = [
    "/scan",
    "/en-attente",
    "/controles/nouveau?type=paper",
    "/controles/nouveau?type=none",
    "/controles/nouveau?type=schedule",
]
ALL_KEPT = """async (paths) => {
  const hits = await Promise.all(paths.map((path) => caches.match(path)));
  return hits.every(Boolean);
}"""
MINE = """async (commune) => (await (await fetch("/api/controls")).json())
  .filter((c) => c.commune === commune).map((c) => [c.kind, c.manual_natinf, c.id])"""
PHOTOS = """async (id) => new Set((await (await fetch(`/controles/${id}`)).text())
  .match(/\\/photos\\/\\d+\\.jpg/g) || []).size"""
COMMUNES = {1280: "Saint-Égrève", 390: "Le Fontanil-Cornillon"}  # one a screen: its controls


def commune(page: Page) -> str:
    return COMMUNES[(page.viewport_size or {"width": 0})["width"]]


def place(page: Page, prefix: str = "#") -> None:
    page.fill(f"{prefix}departement", "38")
    page.fill(f"{prefix}commune", commune(page))


def test_first_sign_in_then_no_network_qr_paper_and_no_lic_are_kept_then_synced(
    screen: Page, demo_world: Path
) -> None:
    page = screen
    sign_in(page, "agent")  # the first visit: nothing was opened before
    expect(page).to_have_url(re.compile(r"/scan$"))
    poll(page, f"() => ({ALL_KEPT})({KEPT!r})", "the agent's pages were not kept for offline use")
    page.context.set_offline(True)
    try:
        page.goto("/en-attente")
        expect(page.get_by_role("heading", level=1)).not_to_contain_text("Pas de réseau")
        shot(page, "hors-ligne-en-attente-premier-jour")

        page.goto("/scan")
        page.fill("#code", demo_code(demo_world, "05-demenagement"))
        page.click("#form-code button[type=submit]")
        verdict = page.locator("#verdict-hors-ligne")
        expect(verdict).to_contain_text("Code authentique")
        expect(verdict).to_contain_text("Émetteur")
        expect(verdict).to_contain_text("Code généré")
        expect(verdict).to_contain_text("hors ligne")
        days = page.locator(".jours-hors-ligne > li summary").all_text_contents()
        dates = [line.split(" :")[0] for line in days]
        assert len(dates) == len(set(dates))  # each date once
        assert not any(": 0 h 00 de travail" in line for line in days)
        newest = page.locator(".jours-hors-ligne > li").first
        newest.locator("summary").click()  # a tap gives the times, as online
        offline_periods = newest.locator(".periodes li").all_text_contents()
        # a service day is listed under the date it starts: near midnight that is not the
        # newest calendar day of the online list, so the same date is compared
        newest_date = newest.get_attribute("data-jour")
        assert offline_periods
        place(page, "#hl-")
        page.fill("#hl-place", "RN 75, sortie nord")
        page.fill("#hl-manual_natinf", "20525")  # as online: an offence the agent adds
        page.click("#form-hors-ligne button[type=submit]")
        kept_here = page.locator("#enregistre-hors-ligne")
        expect(kept_here).to_be_visible()
        kept_here.scroll_into_view_if_needed()  # on a phone, above the bulletin's fields
        shot(page, "hors-ligne-qr")

        page.goto("/controles/nouveau?type=none")
        expect(page.locator("#contenu h1")).to_contain_text("Pas de LIC")
        place(page)
        page.fill("#driver_name", "Conducteur Essai")
        page.click("#form-controle button[type=submit]")
        expect(kept_here).to_be_visible()
        expect(kept_here).to_have_class(re.compile("fr-alert--info"))  # as for a QR control

        shot(page, "hors-ligne-sans-lic")
        page.goto("/controles/nouveau?type=paper")
        place(page)
        page.fill("#driver_name", "Conductrice Essai")
        page.set_input_files(  # the paper LIC's pages, kept with the control until the sync
            "#hl-photos",
            [{"name": "page-1.jpg", "mimeType": "image/jpeg", "buffer": page_photo_bytes(1)}],
        )
        page.click("#form-controle button[type=submit]")
        expect(page.locator("#enregistre-hors-ligne")).to_be_visible()
        shot(page, "hors-ligne-papier")

        page.goto("/controles/nouveau?type=schedule")  # a service schedule instead of a LIC
        place(page)
        page.fill("#driver_name", "Conducteur Horaire")
        page.click("#form-controle button[type=submit]")
        expect(page.locator("#enregistre-hors-ligne")).to_be_visible()
        shot(page, "hors-ligne-horaire")
        wide = (page.viewport_size or {"width": 0})["width"] >= 992  # the DSFR's menu folds
        counter = page.locator("#en-attente" if wide else "#en-attente-etroit")
        expect(counter).to_be_visible()  # on a phone too, without opening the menu
        expect(counter).to_have_text("4 en attente")

        page.goto("/en-attente")
        expect(page.locator("#file-attente li")).to_have_count(4)
        shot(page, "hors-ligne-en-attente")
    finally:
        page.context.set_offline(False)
    expect(page.locator("#file-attente li")).to_have_count(0, timeout=20_000)  # no reload
    shot(page, "hors-ligne-synchronise")
    page.goto("/scan")  # the same code, checked by the server: the same periods, worded alike
    page.fill("#code", demo_code(demo_world, "05-demenagement"))
    page.click("#form-code button[type=submit]")
    expect(page.locator(".verdict")).to_contain_text("Code authentique")
    served = page.locator(f"#jour-{newest_date} .periodes").first.locator("li").all_text_contents()
    assert served == offline_periods
    kept = page.evaluate(f"({MINE})", commune(page))
    assert sorted(kind for kind, _, _ in kept) == ["electronic", "none", "paper", "schedule"]
    assert ["23103"] in [natinf for _, natinf, _ in kept]
    assert ["20525"] in [natinf for _, natinf, _ in kept]
    paper = next(control_id for kind, _, control_id in kept if kind == "paper")
    assert page.evaluate(f"({PHOTOS})", paper) == 1
