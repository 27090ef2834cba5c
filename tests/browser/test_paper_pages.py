"""The paper LIC's pages for gloved fingers, in both themes: the photos, the transcription of
a daily sheet and the service schedule. On the sheet only the 24-hour grid's quarter cells are
small (data-dense); the typed periods and the zoomable photo beside them are their large way."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from control.rules.timeline import PARIS
from tests.browser.conftest import TABLET, sign_in
from tests.browser.journeys.axe import TAGS, assert_accessible, axe_source
from tests.browser.targets import assert_targets_large_enough, small_targets
from tests.browser.test_sheet_flow import open_paper_control_with_two_photos, typed_rows
from web.rendering import french_date

PHONE = {"width": 390, "height": 844}


@pytest.fixture(params=[TABLET, PHONE], ids=["tablette", "telephone"])
def screen(request: pytest.FixtureRequest, browser: Browser, live_server: str) -> Iterator[Page]:
    context = browser.new_context(viewport=request.param, base_url=live_server, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


# axe-core on one part of a page: the control page's other sections are another work's
SCOPED = """async ([tags, scope]) => {
  const result = await axe.run(document.querySelector(scope),
    { runOnly: { type: "tag", values: tags } });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes[0].target.join(" ")}`);
}"""


def accessible(page: Page, scope: str | None) -> None:
    if scope is None:
        assert_accessible(page)
        return
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(axe_source())
    violations = page.evaluate(SCOPED, [TAGS, scope])
    assert not violations, f"{page.url} {scope}: " + "\n".join(violations)


def in_both_themes(page: Page, scope: str | None = None) -> None:
    """axe-core in the light theme, then in the dark one the tablet asks for at night."""
    accessible(page, scope)
    page.emulate_media(color_scheme="dark")
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-fr-theme", "dark")
    accessible(page, scope)
    page.emulate_media(color_scheme="light")
    page.reload()


def test_photos_and_sheet_are_large_enough_and_accessible(screen: Page, tmp_path: Path) -> None:
    page = screen
    open_paper_control_with_two_photos(page, tmp_path)
    photos = page.locator("#photos-livret")
    expect(photos.get_by_text("Prendre une photo")).to_be_visible()
    assert_targets_large_enough(page)
    in_both_themes(page, "#photos-livret")

    page.locator(".pages li").nth(0).get_by_role("link", name="Transcrire").click()
    expect(page.locator("#barre-horaire")).to_be_visible()
    assert_targets_large_enough(page)
    # the exemption is the grid's alone: without it, its quarters are the small targets
    dense = page.evaluate("() => document.querySelectorAll('[data-dense] .quart').length")
    assert dense == 96
    page.evaluate("() => document.getElementById('barre-horaire').removeAttribute('data-dense')")
    assert len(small_targets(page)) == 96
    page.reload()
    in_both_themes(page)


def test_the_page_photo_is_enlarged_beside_the_grid(page: Page, tmp_path: Path) -> None:
    open_paper_control_with_two_photos(page, tmp_path)
    page.locator(".pages li").nth(0).get_by_role("link", name="Transcrire").click()
    photo = page.locator("#photo-cadre img")
    expect(photo).to_be_visible()
    width = photo.bounding_box()["width"]  # type: ignore[index]
    enlarge = page.get_by_role("button", name="Agrandir la photo")
    enlarge.click()
    expect(enlarge).to_have_attribute("aria-pressed", "true")
    assert photo.bounding_box()["width"] > 2 * width  # type: ignore[index]
    enlarge.click()
    expect(enlarge).to_have_attribute("aria-pressed", "false")
    assert photo.bounding_box()["width"] == pytest.approx(width)  # type: ignore[index]


def test_periods_typed_as_text_paint_the_grid_and_are_stored(page: Page, tmp_path: Path) -> None:
    open_paper_control_with_two_photos(page, tmp_path)
    day = datetime.now(PARIS).date() - timedelta(days=1)
    page.locator(".pages li").nth(0).get_by_role("link", name="Transcrire").click()
    page.fill("#day", day.strftime("%d/%m/%Y"))
    page.select_option("#sector", "goods-regional")
    first = page.locator("#periodes-saisies .periode").first
    first.locator("[name=periode_debut]").fill("06:00")
    first.locator("[name=periode_fin]").fill("10:38")
    first.locator("[name=periode_activite]").select_option(label="Conduite")

    # the grid holds it on its quarters: 06:00 to 10:45, said to the agent
    driving = page.locator("#barre-horaire .quart.m-A")
    expect(driving).to_have_count(19)
    assert driving.first.get_attribute("data-index") == "24"
    assert driving.last.get_attribute("data-index") == "42"
    expect(page.locator("#arrondi")).to_contain_text("10:38 ramené à 10:45")
    expect(page.locator("#traces")).to_contain_text("A 4 h 45")
    assert typed_rows(page) == ["06:00 – 10:45 A"]

    # and the grid painted by finger writes the rows: 10:45–11:00 of rest tapped
    page.locator('input[name="marque"][value="D"]').check()
    page.locator('.quart[data-index="43"]').click()
    assert typed_rows(page) == ["06:00 – 10:45 A", "10:45 – 11:00 D"]
    page.click("button:has-text('Enregistrer la feuille')")

    expect(page.locator("#feuilles")).to_contain_text(french_date(day))
    page.locator("#feuilles").get_by_role("link", name="corriger").first.click()
    assert typed_rows(page) == ["06:00 – 10:45 A", "10:45 – 11:00 D"]
    stored = page.locator("#grid").input_value()
    assert stored == "." * 24 + "A" * 19 + "D" + "." * 52


def test_a_missing_day_is_said_in_french_under_its_field(page: Page, tmp_path: Path) -> None:
    open_paper_control_with_two_photos(page, tmp_path)
    page.locator(".pages li").nth(0).get_by_role("link", name="Transcrire").click()
    page.fill("#day", "")
    page.select_option("#sector", "goods-regional")
    page.click("button:has-text('Enregistrer la feuille')")
    expect(page.locator("#day-messages")).to_have_text("Ce champ est obligatoire.")
    expect(page.locator("#day")).to_be_focused()
    page.fill("#day", "31/02/2026")
    page.click("button:has-text('Enregistrer la feuille')")
    expect(page.locator("#day-messages")).to_contain_text("Date de la feuille invalide.")


def schedule_control(page: Page) -> None:
    sign_in(page, "agent")
    page.goto("/controles/nouveau?type=schedule")
    page.fill("#driver_name", "Inès Roux")
    page.fill("#departement", "38")
    page.fill("#commune", "Grenoble")
    page.click("button:has-text('Enregistrer le contrôle')")
    page.goto(page.url.split("#")[0] + "/horaire")


def test_the_schedule_form_is_large_enough_and_accessible(screen: Page) -> None:
    page = screen
    schedule_control(page)
    expect(page.locator("#start_0")).to_be_visible()
    assert_targets_large_enough(page)
    in_both_themes(page)


def test_a_schedule_typed_in_french_hours(page: Page) -> None:
    schedule_control(page)
    page.select_option("#stated_activity", "driving")
    page.fill("#start_0", "25h")
    page.get_by_role("button", name="Enregistrer l'horaire").click()
    expect(page.locator("#start_0-messages")).to_have_text("Format attendu : HH:MM")
    for n in range(5):
        page.fill(f"#start_{n}", "6h")
        page.fill(f"#end_{n}", "14h30")
    page.fill("#breaks_0", "10h-10h20")
    page.get_by_role("button", name="Enregistrer l'horaire").click()
    expect(page.locator("#horaire")).to_contain_text("06:00–14:30")
    page.goto(page.url.split("#")[0] + "/horaire")
    expect(page.locator("#end_4")).to_have_value("14:30")
    expect(page.locator("#breaks_0")).to_have_value("10:00–10:20")
