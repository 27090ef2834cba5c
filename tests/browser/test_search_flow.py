"""An inspector's search in Chromium: company fragment, plate, open, export; and an agent of
another unit, who cannot find or open the control."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import OTHER_UNIT_AGENT, record_removal_control, sign_in


def test_an_inspector_searches_opens_and_exports(
    page: Page, demo_world: Path, tmp_path: Path
) -> None:
    company = record_removal_control(page, demo_world, "QR-777-ST").split(" (")[0]
    control_url = page.url
    page.click("text=Déconnexion")
    page.wait_for_url("**/connexion")

    sign_in(page, "inspector")
    page.goto("/recherche")
    fragment = company.split()[1][:4].lower()  # "Transports Alizé" → "aliz"
    page.fill("#q", fragment)
    page.wait_for_url(re.compile(f"q={fragment}"))  # the search can be bookmarked
    expect(page.locator("#resultats table")).to_contain_text("QR-777-ST")
    page.fill("#q", "zzzz-nothing")
    expect(page.locator("#resultats")).to_contain_text("0 contrôle")
    page.fill("#q", "")
    page.fill("#plaque", "qr-777-st")
    expect(page.locator("#resultats")).to_contain_text("1 contrôle")
    with page.expect_download() as download:
        page.click("text=Exporter en CSV")
    saved = tmp_path / "export.csv"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "controles.csv"
    assert "QR-777-ST" in saved.read_text(encoding="utf-8")
    expect(page.locator("#export-etat")).to_contain_text("Export terminé : 1 ligne.")
    page.locator("#resultats table a").first.click()
    expect(page.get_by_role("heading", name="Contrôle n°")).to_be_visible()
    expect(page.locator("body")).to_contain_text("13152")

    page.click("text=Déconnexion")
    page.wait_for_url("**/connexion")

    sign_in(page, *OTHER_UNIT_AGENT)
    page.goto("/recherche?plaque=qr-777-st")
    expect(page.locator("#resultats")).to_contain_text("0 contrôle")
    response = page.goto(control_url)
    assert response is not None
    assert response.status == 404  # not 403: nothing says the control exists
    expect(page.locator("body")).not_to_contain_text("QR-777-ST")
