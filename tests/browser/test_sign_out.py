"""Signing out ends the session on the server even when the agent leaves the page at once
(the tablet handed over before the sign-in page came): the next person finds it closed."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import OTHER_UNIT_AGENT, TABLET, poll, sign_in

SIGNED_OUT = """async () => {
  const answer = await fetch("/controles", { redirect: "manual" });
  return answer.type === "opaqueredirect";
}"""


def test_a_sign_out_left_at_once_still_ends_the_session(
    page: Page, browser: Browser, live_server: str
) -> None:
    sign_in(page, *OTHER_UNIT_AGENT)
    expect(page).to_have_url(re.compile(r"/scan$"))
    cookies = page.context.cookies()
    page.click("form.deconnexion button")
    page.goto("/hors-ligne")  # left before the sign-out's answer
    poll(page, SIGNED_OUT, "the session is still open")

    elsewhere = browser.new_context(viewport=TABLET, base_url=live_server, locale="fr-FR")
    try:
        elsewhere.add_cookies(cookies)
        copy = elsewhere.new_page()
        copy.goto("/controles")
        expect(copy).to_have_url(re.compile(r"/connexion"))
    finally:
        elsewhere.close()
