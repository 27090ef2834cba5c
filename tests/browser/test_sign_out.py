"""A shared tablet's session ends when its agent signs out, whatever happens next: the page
left at once (the tablet handed over before the sign-in page came), no network at that
moment, or the next agent signing in over it. A copy of the cookie then opens nothing."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Cookie, Page, expect

from tests.browser.conftest import OTHER_UNIT_AGENT, TABLET, poll, sign_in
from tests.browser.test_outbox import record_offline

SIGN_OUT_SENT = """() => localStorage.getItem("lic-deconnexion-en-attente") === null"""
SIGNED_OUT = """async () => {
  const answer = await fetch("/controles", { redirect: "manual" });
  return answer.type === "opaqueredirect";
}"""


def assert_ended(browser: Browser, live_server: str, cookies: list[Cookie]) -> None:
    """The cookie as it was, in another browser: its session has ended."""
    elsewhere = browser.new_context(viewport=TABLET, base_url=live_server, locale="fr-FR")
    try:
        elsewhere.add_cookies(cookies)
        copy = elsewhere.new_page()
        copy.goto("/controles")
        expect(copy).to_have_url(re.compile(r"/connexion"))
    finally:
        elsewhere.close()


def test_a_sign_out_left_at_once_still_ends_the_session(
    page: Page, browser: Browser, live_server: str
) -> None:
    sign_in(page, *OTHER_UNIT_AGENT)
    expect(page).to_have_url(re.compile(r"/scan$"))
    context = page.context
    cookies = context.cookies()
    page.click("form.deconnexion button")
    page.close()  # left before the sign-out's answer
    later = context.new_page()
    later.goto("/hors-ligne")
    poll(later, SIGNED_OUT, "the session is still open")

    assert_ended(browser, live_server, cookies)


def test_a_sign_out_without_network_ends_the_session_when_the_network_is_back(
    page: Page, browser: Browser, live_server: str, demo_world: Path
) -> None:
    record_offline(page, demo_world, "SO-413-OF")  # signed in, pages kept, network gone
    cookies = page.context.cookies()
    page.click("form.deconnexion button")
    expect(page.get_by_text("Pas de réseau")).to_be_visible()
    expect(page.locator("form.deconnexion")).to_have_count(0)  # no one's name, no session

    page.context.set_offline(False)
    page.goto("/connexion")  # the next person opens the app, online
    poll(page, SIGN_OUT_SENT, "the sign-out made offline was not sent")
    assert_ended(browser, live_server, cookies)


def test_the_next_agents_sign_in_ends_the_session_the_tablet_held(
    page: Page, browser: Browser, live_server: str
) -> None:
    sign_in(page, "agent")
    expect(page).to_have_url(re.compile(r"/scan$"))
    cookies = page.context.cookies()
    sign_in(page, *OTHER_UNIT_AGENT)  # over the first agent's session, never signed out
    expect(page).to_have_url(re.compile(r"/scan$"))
    assert_ended(browser, live_server, cookies)
