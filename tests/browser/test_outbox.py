"""A control recorded without network waits on the tablet with its photos and reaches the
server exactly once, even when a sync is cut off after the server kept what it was sent and
is then repeated."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import poll, sign_in, static_url
from tests.browser.test_offline_trust import go_offline_on_the_scan_page
from tests.web.conftest import demo_code
from tests.web.test_bulletins import page_photo_bytes

PLATE = "HL-404-OF"
COUNT_MINE = """async (plate) => {
  const controls = (await (await fetch("/api/controls")).json()).filter((c) => c.plate === plate);
  const photos = await Promise.all(controls.map(async (c) => {
    const page = await (await fetch(`/controles/${c.id}`)).text();
    return new Set(page.match(/\\/photos\\/\\d+\\.jpg/g) || []).size;
  }));
  return { controls: controls.length, photos };
}"""


def record_offline(
    page: Page, demo_world: Path, plate: str, stem: str | None = "05-demenagement"
) -> None:
    """Without network: the code verified on the tablet (typed, or read by the fake camera
    when `stem` is None), the control and two photos kept."""
    go_offline_on_the_scan_page(page)
    if stem is None:
        page.click("#camera-demarrer")
    else:
        page.fill("#code", demo_code(demo_world, stem))
        page.click("#form-code button[type=submit]")
    expect(page.locator("#verdict-hors-ligne")).to_contain_text("Code authentique", timeout=20_000)
    expect(page.locator("#resultat")).to_contain_text("Jours travaillés")
    expect(page.locator("#infractions-hors-ligne")).to_contain_text("Infractions relevées")
    page.fill("#hl-departement", "38")
    page.fill("#hl-commune", "Voreppe")
    page.fill("#hl-plate", plate)
    page.set_input_files(
        "#hl-photos",
        [
            {"name": f"page-{n}.jpg", "mimeType": "image/jpeg", "buffer": page_photo_bytes(n)}
            for n in (1, 2)
        ],
    )
    for box in page.locator("#form-hors-ligne input[name=retained]").all()[:1]:
        box.uncheck()  # the agent does not retain the first finding
    page.click("#form-hors-ligne button[type=submit]")
    expect(page.locator("#enregistre-hors-ligne")).to_be_visible()
    expect(page.locator("#en-attente")).to_have_text("1 en attente")


def test_a_control_recorded_offline_is_synced_once(page: Page, demo_world: Path) -> None:
    """Scanned with the camera, verified and analysed on the tablet, recorded with two
    photos: synced once through a cut control, a cut photo and two more syncs."""
    record_offline(page, demo_world, PLATE, stem=None)
    counter = page.locator("#en-attente")

    cut: list[int] = []

    def cut_after_the_server_answers(route: Route) -> None:
        response = route.fetch()  # the server records the control...
        cut.append(response.status)
        route.abort()  # ...and the tablet never hears back

    page.route("**/api/controls", cut_after_the_server_answers)
    page.context.set_offline(False)  # the "online" event starts the sync
    for _ in range(100):  # the route handler runs as the page's events are processed
        if cut:
            break
        page.wait_for_timeout(100)
    assert cut == [201]
    expect(counter).to_have_text("1 en attente")  # not dropped: no answer came

    page.unroute("**/api/controls")
    page.route("**/controles/*/photos", cut_after_the_server_answers)
    page.evaluate("window.licOutbox.sync()")  # the control again, then the first photo, cut
    assert cut == [201, 303] or cut == [201, 200], cut
    expect(counter).to_have_text("1 en attente")

    page.unroute("**/controles/*/photos")
    page.evaluate("window.licOutbox.sync()")
    expect(counter).to_be_hidden()
    page.evaluate("window.licOutbox.sync()")  # once more: nothing left to send
    assert page.evaluate(COUNT_MINE, PLATE) == {"controls": 1, "photos": [2]}


def test_a_page_closed_in_the_middle_of_a_sync_loses_nothing(page: Page, demo_world: Path) -> None:
    """The agent closes the app while the first photo is on its way: the server kept it, the
    tablet never heard. The next page opened finishes the sync, once."""
    plate = "KL-405-OF"
    record_offline(page, demo_world, plate)
    photos: list[int] = []

    def keep_and_hang(route: Route) -> None:
        photos.append(route.fetch().status)  # the server keeps the photo; no answer follows

    page.route("**/controles/*/photos", keep_and_hang)
    page.context.set_offline(False)
    for _ in range(100):
        if photos:
            break
        page.wait_for_timeout(100)
    assert photos in ([303], [200])
    context = page.context
    page.close()  # mid-sync: the second photo was never sent

    again = context.new_page()
    again.goto("/scan")  # a page opened online syncs the outbox
    expected = {"controls": 1, "photos": [2]}
    for _ in range(50):  # the sync runs in the background of the page
        held = again.evaluate(COUNT_MINE, plate)
        if held == expected:
            break
        again.wait_for_timeout(200)
    assert held == expected
    expect(again.locator("#en-attente")).to_be_hidden()


RETAINED = """async (plate) => {
  const controls = (await (await fetch("/api/controls")).json()).filter((c) => c.plate === plate);
  return controls.map((c) => c.findings.map((f) => [f.natinf, f.retained]));
}"""


def test_the_findings_retained_offline_are_kept_by_the_server(page: Page, demo_world: Path) -> None:
    plate = "RT-406-OF"
    record_offline(page, demo_world, plate, stem="02-longue-distance")
    shown = page.locator("#form-hors-ligne input[name=retained]")
    assert shown.count() == 0  # the form has gone: recorded
    page.context.set_offline(False)
    page.evaluate("window.licOutbox.sync()")
    expect(page.locator("#en-attente")).to_be_hidden()
    [findings] = page.evaluate(RETAINED, plate)
    assert [retained for _, retained in findings] == [False] + [True] * (len(findings) - 1)
    assert len(findings) >= 2


SYNC_TAGS = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  return (await registration.sync.getTags()).includes("outbox");
}"""


def test_the_service_worker_sends_the_outbox_with_the_app_closed(
    page: Page, demo_world: Path, live_server: str
) -> None:
    """Background Sync: the page asks for it when it keeps a control; the network comes back
    after the app was closed, and the service worker alone sends the control and photos."""
    plate = "BG-409-OF"
    # granted by default in Chromium's settings; a test context starts with none granted
    page.context.grant_permissions(["background-sync"], origin=live_server)
    record_offline(page, demo_world, plate)
    poll(page, SYNC_TAGS, "the page did not ask for Background Sync")
    context = page.context
    page.close()  # the app is closed: no page of it runs the outbox

    bare = context.new_page()
    bare.goto("/static/icon.svg")  # same origin, no script of the app
    cdp = context.new_cdp_session(bare)
    registrations: list[dict[str, Any]] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    context.set_offline(False)
    for _ in range(50):
        if registrations:
            break
        bare.wait_for_timeout(100)
    [registration] = [r for r in registrations if not r.get("isDeleted")]
    origin = re.match(r"https?://[^/]+", registration["scopeURL"])
    assert origin
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {"origin": origin[0], "registrationId": registration["registrationId"], "tag": "outbox",
         "lastChance": False},
    )  # fmt: skip
    for _ in range(50):
        mine = [c for c in context.request.get("/api/controls").json() if c["plate"] == plate]
        if mine:
            break
        bare.wait_for_timeout(200)
    assert len(mine) == 1
    for _ in range(50):  # the photos follow the control
        page_html = context.request.get(f"/controles/{mine[0]['id']}").text()
        if len(set(re.findall(r"/photos/\d+\.jpg", page_html))) == 2:
            break
        bare.wait_for_timeout(200)
    assert len(set(re.findall(r"/photos/\d+\.jpg", page_html))) == 2


KEEP_A_CONTROL = """async (outbox) => {
  const { enqueue, waiting } = await import(outbox);
  const stuck = new Promise((_, fail) => setTimeout(() => fail(new Error("still waiting")), 10000));
  await Promise.race([enqueue({ kind: "none", plate: "SW-410-NO" }), stuck]);
  return (await waiting()).map((item) => item.body.plate);
}"""


def test_a_control_is_kept_when_the_browser_runs_no_service_worker(
    page_without_worker: Page,
) -> None:
    """Keeping a control must not wait for a service worker to ask for Background Sync:
    with none ever active, the form stayed stuck and the agent might enter the control again."""
    page = page_without_worker
    sign_in(page, "agent")
    page.goto("/scan")
    page.context.set_offline(True)  # kept, not sent: the page's own sync must not take it
    try:
        assert page.evaluate(KEEP_A_CONTROL, static_url(page, "outbox.js")) == ["SW-410-NO"]
        expect(page.locator("#en-attente")).to_have_text("1 en attente")
    finally:
        page.context.set_offline(False)
