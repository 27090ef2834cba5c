"""The confirmation modal of base.html, answered as the agent does: it shows the question,
"Confirmer" goes on, "Annuler" leaves everything as it was."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def wait_until_shown(page: Page) -> None:
    """Visible, and its fade-in over (what axe-core measures is then what the agent sees)."""
    expect(page.locator("#modale-confirmation")).to_be_visible()
    page.wait_for_function(
        "() => getComputedStyle(document.getElementById('modale-confirmation')).opacity === '1'"
    )


def answer_confirmation(page: Page, *, confirm: bool) -> str:
    """Answers the open modal; returns the question it asked."""
    modal = page.locator("#modale-confirmation")
    wait_until_shown(page)
    question = modal.locator("#confirmation-question").inner_text()
    modal.get_by_role("button", name="Confirmer" if confirm else "Annuler", exact=True).click()
    expect(modal).to_be_hidden()
    return question
