"""A bulletin filled on the tablet without network waits, marked as pending, and is issued by
the server on sync; one issued meanwhile by other means is a conflict the agent resolves."""

from __future__ import annotations

import io
import re
from pathlib import Path

from playwright.sync_api import Page, Route, expect
from pypdf import PdfReader

from tests.browser.targets import assert_targets_large_enough
from tests.browser.test_outbox import record_offline

CONTROL_OF = """async (plate) => {
  const controls = (await (await fetch("/api/controls")).json()).filter((c) => c.plate === plate);
  return controls.map((c) => c.id);
}"""
ISSUE_ELSEWHERE = """async (id) => {
  const token = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRF-Token"];
  const response = await fetch(`/api/controls/${id}/bulletin`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json", "X-CSRF-Token": token,
      "Idempotency-Key": "other-device-0001",
    },
    body: JSON.stringify({ observations: "Émis depuis un autre poste." }),
  });
  return (await response.json()).number;
}"""


def fill_bulletin(page: Page, observations: str) -> None:
    # typed times, never the browser's picker (its AM/PM speaks the tablet's language)
    expect(page.locator("#hl-start_time")).to_have_attribute("type", "text")
    assert_targets_large_enough(page)  # the photos' box among them, drawn by offline-scan.js
    hours, minutes = map(int, page.input_value("#hl-start_time").split(":"))
    end = min(hours * 60 + minutes + 10, 23 * 60 + 59)  # the agent says when it ended
    page.fill("#hl-end_time", f"{end // 60:02d}:{end % 60:02d}")
    page.fill("#hl-origin", "Voreppe")
    page.fill("#hl-destination", "Grenoble")
    page.fill("#hl-observations", observations)
    page.click("#bulletin-hors-ligne button[type=submit]")
    expect(page.locator("#bulletin-en-attente")).to_contain_text("pas encore de numéro")


def bulletins_of(page: Page, control_id: int) -> list[str]:
    page.goto(f"/controles/{control_id}")
    return re.findall(r"Bulletin n° (\S+) — version (\d+)", page.content())


def only_bulletin_text(page: Page, plate: str) -> str:
    """The text of the one bulletin (version 1) of the one control of `plate`, as its PDF
    reads, opened from the control's page."""
    [control_id] = page.evaluate(CONTROL_OF, plate)
    [(number, version)] = bulletins_of(page, control_id)
    assert version == "1"
    page.click(f"text=Bulletin n° {number}")
    pdf = page.request.get(page.url + "/pdf").body()
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_a_bulletin_filled_offline_is_issued_on_sync(page: Page, demo_world: Path) -> None:
    plate = "BL-407-OF"
    record_offline(page, demo_world, plate, stem="02-longue-distance")
    fill_bulletin(page, "Bulletin rempli sans réseau.")
    page.context.set_offline(False)
    page.evaluate("window.licOutbox.sync()")
    expect(page.locator("#en-attente")).to_be_hidden()
    text = only_bulletin_text(page, plate)
    assert "Bulletin rempli sans réseau." in text
    assert "Voreppe" in text


def test_a_bulletin_typed_while_the_sync_took_its_control_is_issued_not_lost(
    page: Page, demo_world: Path
) -> None:
    """The network comes back while the agent types the bulletin: the control leaves the
    outbox before the bulletin is attached. What was typed goes with it all the same."""
    plate = "BL-408-OF"
    record_offline(page, demo_world, plate, stem="02-longue-distance")
    page.context.set_offline(False)
    page.evaluate("window.licOutbox.sync()")
    expect(page.locator("#en-attente")).to_be_hidden()  # the control is on the server
    fill_bulletin(page, "Tapé pendant la synchronisation.")
    page.evaluate("window.licOutbox.sync()")
    expect(page.locator("#en-attente")).to_be_hidden()
    text = only_bulletin_text(page, plate)  # one control, replayed for the bulletin
    assert "Tapé pendant la synchronisation." in text


def test_a_bulletin_issued_meanwhile_is_a_conflict_the_agent_resolves(
    page: Page, demo_world: Path
) -> None:
    plate = "CF-408-OF"
    record_offline(page, demo_world, plate, stem="02-longue-distance")
    fill_bulletin(page, "Version de la tablette.")

    def no_network(route: Route) -> None:
        route.abort()

    page.route("**/api/controls/*/bulletin", no_network)  # the bulletin's turn finds no network
    page.context.set_offline(False)
    page.evaluate("window.licOutbox.sync()")
    expect(page.locator("#en-attente")).to_have_text("1 en attente")
    page.unroute("**/api/controls/*/bulletin")
    [control_id] = page.evaluate(CONTROL_OF, plate)
    other = page.evaluate(ISSUE_ELSEWHERE, control_id)  # another device issued one meanwhile

    page.goto("/en-attente")
    page.click("#synchroniser")
    listed = page.locator("#file-attente li")
    expect(listed).to_contain_text("conflit : Un bulletin a déjà été émis")
    expect(listed).to_contain_text("Bulletin en attente d'émission")
    # The agent's choice lands while a sync started elsewhere (the worker, another page) is
    # in flight: it must still be sent, not left waiting for the next sync.
    page.evaluate(
        """(label) => {
          window.licOutbox.sync();
          [...document.querySelectorAll("#file-attente button")]
            .find((b) => b.textContent === label).click();
        }""",
        f"Émettre comme correction du bulletin n° {other}",
    )
    expect(page.locator("#file-vide")).to_be_visible()
    assert bulletins_of(page, control_id) == [(other, "1"), (other, "2")]
