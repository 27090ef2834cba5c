"""Bulletins and paper pages in Chromium: three steps, the PDF, a correction, photos."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from control.capture.simulate import page_photo
from tests.browser.confirmation import answer_confirmation
from tests.browser.conftest import sign_in
from tests.web.conftest import demo_code


def record_control(page: Page, code: str) -> None:
    page.fill("#code", code)
    page.keyboard.press("Enter")
    expect(page.locator(".verdict.valide")).to_be_visible()
    page.fill("#departement", "38")
    page.fill("#commune", "Grenoble")
    page.click("text=Enregistrer le contrôle >> nth=-1")
    expect(page.get_by_role("heading", name="Contrôle n°")).to_be_visible()


def go_through_steps(page: Page) -> None:
    page.click("text=Établir")
    expect(page.locator(".fr-stepper__title")).to_contain_text("Contrôle et conducteur")
    page.click("button:has-text('Enregistrer et continuer')")
    expect(page.locator(".fr-stepper__title")).to_contain_text("Entreprise")
    page.fill("#licence", "2020/38/0004321")
    page.click("button:has-text('Enregistrer et continuer')")
    expect(page.locator(".fr-stepper__title")).to_contain_text("Infractions")
    page.click("button:has-text('Émettre le bulletin')")


def test_issue_download_and_correct_a_bulletin(
    page: Page, demo_world: Path, tmp_path: Path
) -> None:
    sign_in(page, "agent")
    record_control(page, demo_code(demo_world, "06-nuit"))
    go_through_steps(page)
    # issuing signs a PDF (PAdES): seconds on a busy machine
    expect(page.get_by_role("heading", name="version 1")).to_be_visible(timeout=30_000)
    with page.expect_download() as download:
        page.click("text=Télécharger le PDF")
    saved = tmp_path / "bulletin.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes()[:4] == b"%PDF"
    page.click("button:has-text('Corriger')")
    page.fill("#place", "Rocade sud")
    # each step awaited before the next click: under load a second click could land on the
    # first step's button again and leave the form one step short
    page.click("button:has-text('Enregistrer et continuer')")
    expect(page.locator(".fr-stepper__title")).to_contain_text("Entreprise")
    page.click("button:has-text('Enregistrer et continuer')")
    expect(page.locator(".fr-stepper__title")).to_contain_text("Infractions")
    page.click("button:has-text('Émettre le bulletin')")
    expect(page.get_by_role("heading", name="version 2")).to_be_visible(timeout=30_000)
    expect(page.locator(".historique li")).to_have_count(2)


def test_a_wrong_siren_key_is_shown_in_french(page: Page, demo_world: Path) -> None:
    sign_in(page, "agent")
    record_control(page, demo_code(demo_world, "01-conforme"))
    page.click("text=Établir")
    page.click("button:has-text('Enregistrer et continuer')")
    page.fill("#siren", "298412975")
    page.click("button:has-text('Enregistrer et continuer')")
    expect(page.locator("#siren-messages")).to_contain_text("clé de contrôle")


def test_photograph_three_pages_of_a_paper_lic(page: Page, tmp_path: Path) -> None:
    sign_in(page, "agent")
    page.get_by_role("button", name="Sans code QR").click()  # the menu's group
    page.click("nav >> text=LIC papier")
    page.fill("#departement", "69")
    page.fill("#commune", "Lyon")
    page.click("button:has-text('Enregistrer le contrôle')")
    files = []
    for n in range(3):
        path = tmp_path / f"page-{n}.jpg"
        path.write_bytes(page_photo(n))
        files.append(str(path))
    page.set_input_files("#photos-fichiers", files)
    page.click("#form-photos button[type=submit]")
    expect(page.locator(".pages li")).to_have_count(3, timeout=20_000)
    page.locator(".pages li").first.locator("button:has-text('Supprimer')").click()
    assert answer_confirmation(page, confirm=True).startswith("Supprimer la page 1 ?")
    expect(page.locator(".pages li")).to_have_count(2)
