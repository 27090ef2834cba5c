"""A double tap on "Enregistrer le contrôle" while the network is slow records one control,
and the agent lands on it."""

from __future__ import annotations

import contextlib
from pathlib import Path

from playwright.sync_api import APIResponse, Page, Route, expect
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import sign_in
from tests.browser.test_offline_trust import go_offline_on_the_scan_page
from tests.web.conftest import demo_code


def stored_with_plate(page: Page, plate: str) -> list[dict[str, object]]:
    listed = page.request.get("/api/controls?per_page=500").json()
    return [control for control in listed if control["plate"] == plate]


def paper_form(page: Page, driver: str, plate: str = "") -> None:
    """The paper LIC form opened and filled as the agent does at Voreppe."""
    page.goto("/controles/nouveau?type=paper")
    page.fill("#departement", "38")
    page.fill("#commune", "Voreppe")
    page.fill("#driver_name", driver)
    if plate:
        page.fill("#plate", plate)


def test_a_double_tap_on_a_slow_network_records_one_control(page: Page, demo_world: Path) -> None:
    held: list[tuple[Route, APIResponse]] = []

    def slow(route: Route) -> None:
        """Each tap's request reaches the server at once; its answer is held back."""
        if route.request.method != "POST":
            route.continue_()
            return
        held.append((route, route.fetch(max_redirects=0)))

    sign_in(page, "agent")
    page.fill("#code", demo_code(demo_world, "02-longue-distance"))
    page.keyboard.press("Enter")
    expect(page.locator(".verdict")).to_contain_text("Code authentique")
    page.fill("#departement", "69")
    page.fill("#commune", "Corbas")
    page.fill("#plate", "DT-222-AP")
    page.route("**/controles", slow)
    button = page.locator("text=Enregistrer le contrôle >> nth=-1")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)  # the mouse, not a locator: it does not wait for the navigation
    page.wait_for_timeout(250)  # a second tap, the first answer not back yet
    page.mouse.click(x, y)
    page.wait_for_timeout(250)
    assert len(held) == 2, "the browser sent the form twice"
    for route, answer in held:  # the answers come back; the page follows the last one
        with contextlib.suppress(PlaywrightError):  # the first navigation, replaced
            route.fulfill(response=answer)
    expect(page.get_by_role("heading", name="Contrôle n°")).to_be_visible()
    stored = stored_with_plate(page, "DT-222-AP")
    assert len(stored) == 1
    assert page.url.endswith(f"/controles/{stored[0]['id']}")
    assert [f["retained"] for f in stored[0]["findings"]] == [True] * 4  # as the page ticked them


TAP_TWICE = """(selector) => {
  const form = document.querySelector(selector);
  form.requestSubmit();
  form.requestSubmit(); // the second tap, while the tablet is still keeping the first
}"""


def test_a_double_tap_without_network_keeps_one_control_of_each_kind(
    page: Page, demo_world: Path
) -> None:
    go_offline_on_the_scan_page(page)
    try:
        page.fill("#code", demo_code(demo_world, "05-demenagement"))
        page.click("#form-code button[type=submit]")
        expect(page.locator("#verdict-hors-ligne")).to_contain_text("Code authentique")
        page.fill("#hl-departement", "38")
        page.fill("#hl-commune", "Voreppe")
        page.evaluate(TAP_TWICE, "#form-hors-ligne")
        expect(page.locator("#enregistre-hors-ligne")).to_be_visible()

        paper_form(page, "Conductrice Essai")
        page.evaluate(TAP_TWICE, "#form-controle")
        expect(page.locator("#enregistre-hors-ligne")).to_be_visible()
        expect(page.locator("#en-attente")).to_have_text("2 en attente")
        page.goto("/en-attente")
        expect(page.locator("#file-attente li")).to_have_count(2)
    finally:
        page.context.set_offline(False)


# The network comes back between two taps: the first is being kept on the tablet, the
# second would be posted to the server, the control recorded there and kept in the outbox.
TAP_OFFLINE_THEN_ONLINE = """(selector) => {
  window.online = false;
  Object.defineProperty(navigator, "onLine", { configurable: true, get: () => window.online });
  const form = document.querySelector(selector);
  form.requestSubmit();  // offline: the tablet starts keeping the control
  window.online = true;  // the network is back before it is kept
  form.requestSubmit();  // the second tap
}"""


def test_a_second_tap_while_the_first_is_kept_offline_is_not_posted_when_the_network_returns(
    page: Page,
) -> None:
    sign_in(page, "agent")
    paper_form(page, "Conductrice Retour", "RT-333-AP")
    page.evaluate(TAP_OFFLINE_THEN_ONLINE, "#form-controle")
    page.wait_for_timeout(1000)  # a post, had one left, would have been answered by now
    assert page.url.endswith("/controles/nouveau?type=paper"), "the second tap was posted"
    assert stored_with_plate(page, "RT-333-AP") == []  # only the outbox holds it, once
    expect(page.locator("#enregistre-hors-ligne")).to_be_visible()
    expect(page.locator("#en-attente")).to_have_text("1 en attente")


def test_back_on_a_sent_form_and_sent_again_records_nothing_more(page: Page) -> None:
    """The page is served anew on Back (no-store), with a new key; the browser puts back some
    of what was typed, and the form its key: sent again, it lands on the control recorded, or
    (a field the browser left out typed otherwise) says in French it is already recorded."""
    sign_in(page, "agent")
    paper_form(page, "Conducteur Retour", "BK-444-AP")
    page.locator("#form-controle button[type=submit]").click()
    expect(page.get_by_role("heading", name="Contrôle n°")).to_be_visible()
    recorded = page.url
    page.go_back()
    expect(page.locator("#commune")).to_have_value("Voreppe")  # put back by the browser
    page.fill("#departement", "38")  # not put back (autocomplete="off"): typed again
    page.fill("#plate", "BK-444-AP")
    page.locator("#form-controle button[type=submit]").click()
    page.wait_for_load_state()
    number = recorded.rsplit("/", 1)[1]
    if page.url != recorded:  # the moment, prefilled anew, may have moved on a minute
        expect(page.locator("main")).to_contain_text(
            f"déjà été enregistré comme contrôle n° {number}"
        )
        expect(page.locator(f'main a[href="/controles/{number}"]')).to_be_visible()
    assert len(stored_with_plate(page, "BK-444-AP")) == 1


def test_back_on_an_earlier_sent_form_names_its_own_control(page: Page) -> None:
    """Two forms sent one after the other in a tab: back on the first, sent again with
    another choice, the refusal names the first control, not the last one sent."""
    sign_in(page, "agent")
    recorded = []
    for plate in ("BK-555-AP", "BK-666-AP"):
        paper_form(page, "Conducteur Retour", plate)
        page.locator("#form-controle button[type=submit]").click()
        expect(page.get_by_role("heading", name="Contrôle n°")).to_be_visible()
        recorded.append(page.url.rsplit("/", 1)[1])
    for _ in range(3):
        page.go_back()
    expect(page.locator("#commune")).to_have_value("Voreppe")
    page.fill("#departement", "38")
    page.fill("#plate", "BK-777-AP")  # another choice
    page.locator("#form-controle button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(f"contrôle n° {recorded[0]}, avec d'autres")
    assert stored_with_plate(page, "BK-777-AP") == []
