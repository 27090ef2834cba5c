"""A tablet shared by several agents: what one agent kept offline is sent only under that
agent's session, never under the next agent's, and signing out leaves no page with the
agent's name nor any session token on the tablet (the outbox's items stay, for their agent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    OTHER_UNIT_AGENT,
    poll,
    reload_through_the_service_worker,
    sign_in,
    static_url,
)
from tests.browser.test_outbox import COUNT_MINE, record_offline

NAME = "Agent Navigateur"  # the "agent" account's name (conftest.live_server)

# Every cached response (Cache Storage) whose body holds one of the needles: its path.
CACHED_WITH = """async (needles) => {
  const found = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const text = await (await cache.match(request)).text();
      const path = new URL(request.url).pathname;
      if (needles.some((needle) => text.includes(needle))) found.push(path);
    }
  }
  return found;
}"""
# The keys of the outbox database's `meta` store, and how many items wait in it.
KEPT_ON_THE_TABLET = """async () => new Promise((resolve, reject) => {
  const opening = indexedDB.open("controle-lic");
  opening.onerror = () => reject(opening.error);
  opening.onsuccess = () => {
    const db = opening.result;
    const read = db.transaction(["meta", "outbox"]);
    const keys = read.objectStore("meta").getAllKeys();
    const items = read.objectStore("outbox").count();
    read.oncomplete = () => {
      db.close();
      resolve({ meta: keys.result.map(String), items: items.result });
    };
  };
})"""
CONTROLS_OF = """async (plate) => {
  const controls = await (await fetch("/api/controls")).json();
  return controls.filter((c) => c.plate === plate).map((c) => String(c.agent_id));
}"""


KEEP_A_CONTROL = """async (outbox) => {
  const { enqueue } = await import(outbox);
  await enqueue({ kind: "none", plate: "SO-412-NO" });
}"""


# The worker tells the pages when its pass is over (outboxChanged).
WORKER_PASS_WATCHED = """() => {
  window.workerPassDone = false;
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data?.outboxChanged) window.workerPassDone = true;
  });
}"""


def sign_out(page: Page) -> None:
    page.click("form.deconnexion button")
    page.wait_for_url("**/connexion")


def agent_id(page: Page) -> str:
    found = page.locator("body").get_attribute("data-agent")
    assert found, "the page does not say whose session it is"
    return found


def test_a_control_kept_offline_waits_for_its_own_agent(page: Page, demo_world: Path) -> None:
    """Agent A records a control offline and signs out; agent B signs in online: nothing of
    A's is sent under B, whose pages only say that it waits. A signs in again: sent as A's."""
    plate = "AG-411-OF"
    record_offline(page, demo_world, plate)
    page.route("**/api/controls", lambda route: route.abort())  # A signs out before any sync
    page.context.set_offline(False)
    sign_out(page)
    page.unroute("**/api/controls")

    login, password = OTHER_UNIT_AGENT
    sign_in(page, login, password)
    page.wait_for_url("**/scan")
    page.evaluate("window.licOutbox.sync()")
    assert page.evaluate(CONTROLS_OF, plate) == []  # none recorded under B
    expect(page.locator("#en-attente")).to_have_text("1 en attente d'un autre agent")
    page.goto("/en-attente")
    expect(page.locator("#autres-agents")).to_contain_text(
        "1 contrôle d'un autre agent attend sa connexion"
    )
    expect(page.locator("#file-vide")).to_have_text(
        "Rien de votre part en attente : vos contrôles sont sur le serveur."
    )  # not "nothing waiting": the tablet still holds A's control
    expect(page.locator("#file-attente li")).to_have_count(0)
    expect(page.locator("#contenu")).not_to_contain_text(plate)
    sign_out(page)

    sign_in(page, "agent")
    page.wait_for_url("**/scan")
    expected = {"controls": 1, "photos": [2]}
    for _ in range(50):  # the page opened online sends A's item
        held = page.evaluate(COUNT_MINE, plate)
        if held == expected:
            break
        page.wait_for_timeout(200)
    assert held == expected
    assert page.evaluate(CONTROLS_OF, plate) == [agent_id(page)]  # A's, not B's
    expect(page.locator("#en-attente")).to_be_hidden()


def test_the_service_worker_sends_only_the_items_of_the_session_it_holds(
    page: Page, demo_world: Path, live_server: str
) -> None:
    """Background Sync after agent B signed in on A's tablet: the worker holds B's token, so
    it sends B's items only; A's control waits for A."""
    plate = "SW-413-OF"
    record_offline(page, demo_world, plate)
    page.route("**/api/controls", lambda route: route.abort())
    page.context.set_offline(False)
    sign_out(page)
    page.unroute("**/api/controls")
    login, password = OTHER_UNIT_AGENT
    sign_in(page, login, password)
    page.wait_for_url("**/scan")
    expect(page.locator("#en-attente")).to_have_text("1 en attente d'un autre agent")

    page.context.grant_permissions(["background-sync"], origin=live_server)
    cdp = page.context.new_cdp_session(page)
    registrations: list[dict[str, Any]] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    for _ in range(50):
        if registrations:
            break
        page.wait_for_timeout(100)
    [registration] = [r for r in registrations if not r.get("isDeleted")]
    page.evaluate(WORKER_PASS_WATCHED)
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {"origin": live_server, "registrationId": registration["registrationId"],
         "tag": "outbox", "lastChance": False},
    )  # fmt: skip
    poll(page, "() => window.workerPassDone === true", "the worker made no pass")
    assert page.evaluate(CONTROLS_OF, plate) == []
    assert page.evaluate(KEPT_ON_THE_TABLET)["items"] == 1


def test_signing_out_leaves_no_personal_page_nor_token(page: Page) -> None:
    """The kept scan page (the agent's name, the session's token) and the saved token go at
    sign-out; a control waiting in the outbox stays for its agent."""
    sign_in(page, "agent")
    page.goto("/scan")
    reload_through_the_service_worker(page)
    token = page.evaluate(
        "() => JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token']"
    )
    poll(
        page,
        f"async () => ({CACHED_WITH})({[NAME]!r}).then((found) => found.includes('/scan'))",
        "the scan page was not kept",
    )
    page.context.set_offline(True)  # a control waits in the outbox
    page.evaluate(KEEP_A_CONTROL, static_url(page, "outbox.js"))
    page.context.set_offline(False)
    page.route("**/api/controls", lambda route: route.abort())  # and keeps waiting
    assert any(key.startswith("csrf") for key in page.evaluate(KEPT_ON_THE_TABLET)["meta"])

    sign_out(page)
    assert page.evaluate(CACHED_WITH, [NAME, token]) == []
    kept = page.evaluate(KEPT_ON_THE_TABLET)
    assert [key for key in kept["meta"] if key.startswith("csrf")] == []
    assert kept["items"] == 1
