"""A repeat visit costs next to nothing: a new tab of the same session does not fetch the
pages kept for use without network again; a new session does (they hold its token)."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import poll, reload_through_the_service_worker, sign_in

FORMS = [
    "/en-attente",
    "/controles/nouveau?type=paper",
    "/controles/nouveau?type=none",
    "/controles/nouveau?type=schedule",
]
ALL_KEPT = f"""async () => (await Promise.all({FORMS!r}.map((p) => caches.match(p))))
  .every(Boolean)"""
# each kept form page: when it was fetched, and whether it holds this page's session token
KEPT_AT = f"""async () => Promise.all({FORMS!r}.map(async (p) => {{
  const hit = await caches.match(p);
  if (!hit) return null;
  const token = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRF-Token"];
  return [hit.headers.get("Date"), (await hit.text()).includes(`"${{token}}"`)];
}}))"""
OF_THIS_SESSION = f"""async () => (await ({KEPT_AT})()).every((entry) => entry?.[1])"""


def _kept(page: Page) -> list[str]:
    reload_through_the_service_worker(page)
    poll(page, ALL_KEPT, "the agent's pages were not kept")
    page.wait_for_timeout(1100)  # the server's Date header counts seconds
    return list(page.evaluate(KEPT_AT))


def test_a_new_tab_of_the_same_session_fetches_no_kept_page_again(page: Page) -> None:
    sign_in(page, "agent")
    page.wait_for_url("**/scan")
    before = _kept(page)
    tab = page.context.new_page()
    tab.goto("/scan")
    tab.wait_for_timeout(1500)  # what the worker would fetch, it fetches at once
    assert tab.evaluate(KEPT_AT) == before


def test_a_new_session_keeps_its_pages_again(page: Page) -> None:
    sign_in(page, "agent")
    page.wait_for_url("**/scan")
    assert all(holds_token for _, holds_token in _kept(page))
    page.context.clear_cookies()  # the session ended on the server's side, not signed out
    sign_in(page, "agent")
    page.wait_for_url("**/scan")
    poll(page, OF_THIS_SESSION, "the pages kept in the earlier session were kept again")
