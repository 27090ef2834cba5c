"""An administrator's morning: a new agent's account, and a deactivation that asks first."""

from __future__ import annotations

import re

from playwright.sync_api import Dialog, Page, expect

from tests.browser.conftest import sign_in
from tests.browser.journeys.test_agent_day import shot


def test_deactivating_an_account_asks_first_and_a_no_changes_nothing(page: Page) -> None:
    sign_in(page, "admin")
    expect(page).to_have_url(re.compile(r"/admin/utilisateurs$"))
    page.fill("#login", "agent-remplacant")
    page.fill("#name", "Agent Remplaçant")
    page.fill("#password", "remplacant-pass-1")
    page.get_by_role("button", name="Ajouter").click()
    row = page.locator("tr", has_text="agent-remplacant")
    expect(row).to_contain_text("actif")
    shot(page, "comptes")

    asked: list[str] = []

    def refuse(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", refuse)
    row.locator("text=Désactiver").click()
    page.wait_for_timeout(300)
    assert asked == ["Désactiver le compte agent-remplacant ? Il ne pourra plus se connecter."]
    expect(page.locator("tr", has_text="agent-remplacant")).to_contain_text("actif")

    page.once("dialog", accept)
    page.locator("tr", has_text="agent-remplacant").locator("text=Désactiver").click()
    expect(page.locator("tr", has_text="agent-remplacant")).to_contain_text("désactivé")
    assert len(asked) == 2
