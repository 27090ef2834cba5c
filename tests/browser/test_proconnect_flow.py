"""An agent signs in through the provider's own sign-in page, in Chromium, and out of both.

The provider (tests/oidc/provider.mjs) is another site than the app (127.0.0.1 and
localhost), as ProConnect is: the flow cookie (SameSite=lax) comes back on its redirect, the
session cookie (strict) is set and then sent by the next page of ours.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.oidc.provider import AGENT, Provider


def test_an_agent_signs_in_at_the_provider_and_out_of_both(
    proconnect_page: Page, proconnect_server: str, oidc_provider: Provider
) -> None:
    page = proconnect_page
    page.goto("/connexion?suivant=/controles")
    expect(page.locator("#form-connexion")).to_be_visible()  # passwords: admins only
    page.get_by_role("button", name=re.compile("S’identifier avec")).click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(oidc_provider.issuer)}/interaction/"))
    page.fill("#email", AGENT.email)
    page.get_by_role("button", name="Se connecter").click()

    expect(page).to_have_url(f"{proconnect_server}/controles")
    expect(page.locator("form.deconnexion").first).to_be_attached()  # signed in
    expect(page.get_by_role("link", name=re.compile("Agent ProConnect"))).to_be_visible()

    page.click("form.deconnexion button")
    expect(page).to_have_url(re.compile(rf"^{re.escape(oidc_provider.issuer)}/session/end"))
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(proconnect_server)}/connexion"))
    page.goto("/controles")
    expect(page).to_have_url(re.compile(r"/connexion\?suivant="))  # our session ended

    # the provider's ended too: it asks for the agent again
    page.get_by_role("button", name=re.compile("S’identifier avec")).click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(oidc_provider.issuer)}/interaction/"))
    expect(page.locator("#email")).to_be_visible()
