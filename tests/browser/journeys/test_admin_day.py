"""An administrator's morning: a new agent's account, and a deactivation that asks first in
the confirmation modal: "Annuler" and Escape change nothing, "Confirmer" deactivates."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.confirmation import answer_confirmation, wait_until_shown
from tests.browser.conftest import sign_in
from tests.browser.journeys.test_agent_day import shot

QUESTION = "Désactiver le compte agent-remplacant ? Il ne pourra plus se connecter."


def test_deactivating_an_account_asks_first_and_a_no_changes_nothing(page: Page) -> None:
    page.on("dialog", lambda dialog: pytest_fail_on_browser_dialog(dialog.message))
    sign_in(page, "admin")
    expect(page).to_have_url(re.compile(r"/admin/utilisateurs$"))
    page.fill("#login", "agent-remplacant")
    page.fill("#name", "Agent Remplaçant")
    page.fill("#password", "remplacant-pass-1")
    page.get_by_role("button", name="Ajouter").click()
    row = page.locator("tr", has_text="agent-remplacant")
    expect(row).to_contain_text("actif")
    shot(page, "comptes")

    deactivate = row.get_by_role("button", name="Désactiver le compte agent-remplacant")
    deactivate.click()
    modal = page.locator("#modale-confirmation")
    wait_until_shown(page)
    shot(page, "comptes-confirmation")
    assert answer_confirmation(page, confirm=False) == QUESTION
    page.reload()  # what is stored, not what the page shows
    expect(page.locator("tr", has_text="agent-remplacant")).to_contain_text("actif")

    # by keyboard: Escape closes it, nothing sent, the focus back on the button
    deactivate = page.locator("tr", has_text="agent-remplacant").get_by_role(
        "button", name="Désactiver le compte agent-remplacant"
    )
    deactivate.focus()
    page.keyboard.press("Enter")
    expect(modal).to_be_visible()
    page.keyboard.press("Escape")
    expect(modal).to_be_hidden()
    expect(deactivate).to_be_focused()
    page.reload()
    expect(page.locator("tr", has_text="agent-remplacant")).to_contain_text("actif")

    page.locator("tr", has_text="agent-remplacant").get_by_role(
        "button", name="Désactiver le compte agent-remplacant"
    ).click()
    assert answer_confirmation(page, confirm=True) == QUESTION
    expect(page.locator("tr", has_text="agent-remplacant")).to_contain_text("désactivé")
    page.reload()
    expect(page.locator("tr", has_text="agent-remplacant")).to_contain_text("désactivé")

    # stored: the account can no longer sign in
    page.click("text=Déconnexion")
    page.wait_for_url("**/connexion")
    sign_in(page, "agent-remplacant", "remplacant-pass-1")
    expect(page).to_have_url(re.compile(r"/connexion"))
    expect(page.get_by_role("alert")).to_be_visible()
    shot(page, "connexion-compte-desactive")


def pytest_fail_on_browser_dialog(message: str) -> None:
    raise AssertionError(f"the browser's own dialog was used: {message}")
