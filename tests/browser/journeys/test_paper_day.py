"""A driver with a paper LIC: its pages photographed, a sheet transcribed, the breach found on
the transcription proposed at the bulletin's step 3; a page deleted only once confirmed."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from control.rules.timeline import PARIS
from tests.browser.confirmation import answer_confirmation
from tests.browser.journeys.test_agent_day import screen as screen  # a fixture
from tests.browser.journeys.test_agent_day import shot
from tests.browser.test_sheet_flow import open_paper_control_with_two_photos, type_periods

LONG_DAY = [
    ("00:00", "05:00", "D"),
    ("05:00", "11:00", "A"),
    ("11:00", "12:00", "D"),
    ("12:00", "19:00", "A"),
    ("19:00", "24:00", "D"),
]


def test_a_paper_lic_transcribed_through_to_bulletin_step_3(screen: Page, tmp_path: Path) -> None:
    page = screen
    open_paper_control_with_two_photos(
        page, tmp_path, on_form=lambda form: shot(form, "papier-formulaire")
    )
    infractions = page.locator(
        "section", has=page.get_by_role("heading", name="Infractions", exact=True)
    )
    expect(infractions).to_contain_text("aucune feuille du livret n'est transcrite")
    shot(page, "papier-photos")
    day = datetime.now(PARIS).date() - timedelta(days=1)
    page.locator(".pages li").nth(0).locator("text=Transcrire").click()
    page.fill("#day", day.strftime("%d/%m/%Y"))
    page.select_option("#sector", "goods-regional")  # regional: at most 12 h a day
    type_periods(page, LONG_DAY)
    shot(page, "papier-transcription")
    page.click("button:has-text('Enregistrer la feuille')")
    expect(infractions).to_contain_text("NATINF 11292")
    expect(infractions).not_to_contain_text("Aucune.")
    shot(page, "papier-controle")

    page.locator(".pages li").nth(1).locator("button:has-text('Supprimer')").click()
    answer_confirmation(page, confirm=False)
    expect(page.locator(".pages li")).to_have_count(2)  # "no": nothing deleted

    page.locator(".pages li").nth(1).locator("button:has-text('Supprimer')").click()
    answer_confirmation(page, confirm=True)
    expect(page.locator(".pages li")).to_have_count(1)

    page.click("text=Établir le bulletin")
    shot(page, "papier-bulletin-etape-1")
    page.click("text=Enregistrer et continuer")
    shot(page, "papier-bulletin-etape-2")
    page.fill("#siren", "111111118")  # a paper LIC: the agent types the company
    page.fill("#plate", "AB-123-CD")
    page.fill("#address", "1 rue des Essais, Lyon")
    page.fill("#licence", "2020/69/0001234")
    page.fill("#max_weight", "3,5")
    page.click("text=Enregistrer et continuer")
    eleven = page.locator(".fr-checkbox-group", has_text="NATINF 11292")
    expect(eleven).to_contain_text("Transcription du livret papier")
    assert eleven.locator("input[name=kept]").is_checked()
    expect(page.locator("#etape")).not_to_contain_text("Aucune infraction relevée")
    eleven.scroll_into_view_if_needed()
    shot(page, "papier-bulletin-etape-3")
