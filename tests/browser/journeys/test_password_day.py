"""An agent changes her password, then signs out: a copy of her old session cookie opens
nothing any more, and her new password signs her in."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PASSWORD_CHANGER, TABLET, sign_in
from tests.browser.journeys.test_agent_day import shot

NEW_PASSWORD = "sept pommes sur la table"


def test_an_agent_changes_her_password_and_her_old_cookie_is_worth_nothing(
    page: Page, browser: Browser, live_server: str
) -> None:
    login, password = PASSWORD_CHANGER
    sign_in(page, login, password)
    expect(page).to_have_url(re.compile(r"/scan$"))
    page.get_by_role("link", name="Mon compte").click()
    expect(page.get_by_role("heading", name="Changer le mot de passe")).to_be_visible()
    page.fill("#current", password)
    page.fill("#new", NEW_PASSWORD)
    page.fill("#confirmation", NEW_PASSWORD)
    page.get_by_role("button", name="Changer le mot de passe").click()
    expect(page.get_by_text("Mot de passe changé.")).to_be_visible()
    shot(page, "mot-de-passe")
    old_cookies = page.context.cookies()
    page.get_by_role("button", name=re.compile("Déconnexion")).click()
    expect(page).to_have_url(re.compile(r"/connexion"))

    elsewhere = browser.new_context(viewport=TABLET, base_url=live_server, locale="fr-FR")
    try:
        elsewhere.add_cookies(old_cookies)  # a copy of the cookie taken before signing out
        copy = elsewhere.new_page()
        copy.goto("/scan")
        expect(copy).to_have_url(re.compile(r"/connexion\?suivant=/scan$"))
        expect(copy.get_by_role("heading", name="Connexion")).to_be_visible()
    finally:
        elsewhere.close()

    sign_in(page, login, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/scan$"))
