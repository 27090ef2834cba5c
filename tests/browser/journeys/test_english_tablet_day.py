"""A tablet set to English: the agent still sees only French (no "Choose File", no
"mm/dd/yyyy", no AM/PM), types dates and times as in France, and gets French messages under
the fields, from the page for a missing field and from the server for an impossible date."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from control.rules.timeline import PARIS
from tests.browser.conftest import TABLET, sign_in

ENGLISH = re.compile(r"Choose File|No file chosen|mm/dd/yyyy|dd/mm/yyyy|\b(AM|PM)\b|--:--")
NATIVE_PICKERS = "input[type=date], input[type=time], input[type=datetime-local], input[type=month]"


@pytest.fixture
def english_page(browser: Browser, live_server: str) -> Iterator[Page]:
    context = browser.new_context(viewport=TABLET, base_url=live_server, locale="en-US")
    yield context.new_page()
    context.close()


def assert_only_french(page: Page) -> None:
    assert page.evaluate("() => navigator.language") == "en-US"
    expect(page.locator(NATIVE_PICKERS)).to_have_count(0)
    for field in page.locator("input[type=file]").all():  # drawn as a French button
        box = field.bounding_box()  # the native one kept for the keyboard, out of sight
        assert box is None or box["width"] <= 1, box
        label = page.locator(f"label[for='{field.get_attribute('id')}']")
        expect(label).to_be_visible()
    text = page.locator("body").inner_text()
    assert not ENGLISH.search(text), ENGLISH.search(text)


def test_an_english_tablet_records_a_control_and_its_bulletin_in_french(
    english_page: Page,
) -> None:
    page = english_page
    yesterday = (datetime.now(PARIS) - timedelta(days=1)).strftime("%d/%m/%Y")
    sign_in(page, "agent")
    page.goto("/controles/nouveau?type=paper")
    assert_only_french(page)
    page.fill("#driver_name", "Jean Essai")
    page.fill("#occurred_at", f"{yesterday} 14h30")
    page.fill("#departement", "69")
    page.click("button:has-text('Enregistrer le contrôle')")  # the commune is missing
    expect(page.locator("#commune-messages")).to_have_text("Ce champ est obligatoire.")
    expect(page.locator("#commune")).to_be_focused()
    assert page.url.endswith("/controles/nouveau?type=paper")  # nothing sent

    page.fill("#commune", "Lyon")
    expect(page.locator("#commune-messages")).to_have_text("")
    page.fill("#occurred_at", "32/11/2026 14h30")  # the form's shape, but no such day
    page.click("button:has-text('Enregistrer le contrôle')")
    expect(page.locator("#occurred_at-messages")).to_have_text(
        "Date et heure invalides. Format attendu : JJ/MM/AAAA HH:MM."
    )
    expect(page.locator(".fr-alert--error")).to_contain_text("n'a pas été enregistré")
    expect(page.locator("#commune")).to_have_value("Lyon")  # what was typed stays
    assert_only_french(page)

    page.fill("#occurred_at", f"{yesterday} 14h30")
    page.click("button:has-text('Enregistrer le contrôle')")
    expect(page.get_by_role("heading", name="Contrôle n°")).to_be_visible()
    assert_only_french(page)
    expect(page.locator("label[for=photos-fichiers]")).to_have_text("Prendre une photo")
    control_id = page.url.rsplit("/", 1)[1]
    stored = page.request.get(f"/api/controls/{control_id}").json()
    day = datetime.strptime(yesterday, "%d/%m/%Y")
    assert datetime.fromisoformat(stored["occurred_at"]) == day.replace(
        hour=14, minute=30, tzinfo=PARIS
    )

    page.click("text=Établir le bulletin")
    assert_only_french(page)
    expect(page.locator("#control_date")).to_have_value(yesterday)
    expect(page.locator("#start_time")).to_have_value("14:30")
    page.fill("#end_time", "15h10")
    page.fill("#birth_date", "3/4/1980")
    page.click("button:has-text('Enregistrer et continuer')")
    expect(page.locator(".fr-stepper__state")).to_have_text("Étape 2 sur 3")
    assert_only_french(page)
    page.fill("#siren", "111111118")  # a paper LIC: the agent types the company
    page.fill("#plate", "AB-123-CD")
    page.fill("#address", "1 rue des Essais, Lyon")
    page.fill("#licence", "2020/69/0001234")
    page.fill("#max_weight", "3,5")
    page.click("button:has-text('Enregistrer et continuer')")
    expect(page.locator(".fr-stepper__state")).to_have_text("Étape 3 sur 3")
    assert_only_french(page)
    page.click("button:has-text('Émettre le bulletin')")
    # issuing signs a PDF (PAdES): seconds on a busy machine
    expect(page.get_by_role("heading", name="version 1")).to_be_visible(timeout=30_000)
    assert_only_french(page)
    pdf = page.request.get(page.url + "/pdf").body()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "14 h 30" in text
    assert "15 h 10" in text
    assert "03/04/1980" in text

    page.goto("/verifier-bulletin")
    assert_only_french(page)
    expect(page.locator("label[for=pdf]")).to_have_text("Choisir le bulletin (PDF)")
