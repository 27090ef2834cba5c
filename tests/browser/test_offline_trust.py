"""The tablet keeps the trust list: opened again without network, the scan page says which
copy it holds and how old it is, and warns once the list is past its next update."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from control.rules import Analysis, analyze
from tests.browser.conftest import reload_through_the_service_worker, sign_in
from tests.web.conftest import demo_code, demo_verified


def go_offline_on_the_scan_page(page: Page) -> None:
    """An agent opens the scan page twice online (the second visit goes through the service
    worker, which keeps the page and the trust list), then the tablet loses the network and
    the page is opened again."""
    sign_in(page, "agent")
    page.goto("/scan")
    reload_through_the_service_worker(page)
    expect(page.locator("#confiance")).to_contain_text("à jour depuis le serveur")
    page.context.set_offline(True)
    page.reload()


def test_the_scan_page_opens_offline_with_the_kept_trust_list(page: Page) -> None:
    go_offline_on_the_scan_page(page)
    try:
        expect(page.get_by_role("heading", name="Scanner le QR code")).to_be_visible()
        confidence = page.locator("#confiance")
        expect(confidence).to_contain_text("copie conservée sur la tablette (hors ligne)")
        expect(confidence).to_contain_text(re.compile(r"\(il y a (1 h|moins d'une heure)\)"))
        expect(confidence).not_to_contain_text("Périmée")
    finally:
        page.context.set_offline(False)


def test_a_trust_list_past_its_next_update_is_flagged(page: Page) -> None:
    page.clock.install(time=datetime.now(UTC) + timedelta(days=45))  # the demo list: 30 days
    sign_in(page, "agent")
    page.goto("/scan")
    confidence = page.locator("#confiance")
    expect(confidence).to_contain_text("Périmée depuis le")
    expect(confidence).to_have_class(re.compile(r"\bfr-alert--warning\b"))


def test_a_code_is_verified_on_the_tablet_without_network(page: Page, demo_world: Path) -> None:
    go_offline_on_the_scan_page(page)
    try:
        page.fill("#code", demo_code(demo_world, "05-demenagement"))
        page.click("#form-code button[type=submit]")
        verdict = page.locator("#verdict-hors-ligne")
        expect(verdict).to_contain_text("Code authentique")
        expect(verdict).to_contain_text("Vérifié hors ligne sur la tablette")
        expect(page.locator("#resultat")).to_contain_text("Jours travaillés")
        expect(page.locator(".jours-hors-ligne li").first).to_contain_text("de travail")

        tampered = demo_code(demo_world, "05-demenagement")[:-3] + "AAA"
        page.fill("#code", tampered)
        page.click("#form-code button[type=submit]")
        expect(page.locator("#verdict-hors-ligne")).to_have_class(re.compile("invalide"))
    finally:
        page.context.set_offline(False)


def server_analysis(demo_world: Path, stem: str) -> Analysis:
    """The server's analysis of a demo code (rules run as of its iat)."""
    result = demo_verified(demo_world, stem)
    assert result.record is not None
    assert result.iat is not None
    return analyze(result.record, result.iat)


def server_findings(demo_world: Path, stem: str) -> list[str]:
    """What the server's verdict page lists for a demo code."""
    return [f"NATINF {f.natinf}" for f in server_analysis(demo_world, stem).findings]


def test_the_breaches_are_found_on_the_tablet_without_network(page: Page, demo_world: Path) -> None:
    expected = server_findings(demo_world, "02-longue-distance")
    assert len(expected) >= 2
    go_offline_on_the_scan_page(page)
    try:
        page.fill("#code", demo_code(demo_world, "02-longue-distance"))
        page.click("#form-code button[type=submit]")
        found = page.locator("#infractions-hors-ligne")
        expect(found).to_contain_text(f"Infractions relevées ({len(expected)})")
        assert found.locator("li strong").all_inner_texts() == expected
        # the weekly average is a question for the employer, apart from the offences
        expect(found).not_to_contain_text("Moyenne de")
        questions = page.locator("#questions-hors-ligne")
        expect(questions).to_contain_text("À vérifier auprès de l'employeur (1)")
        expect(questions).to_contain_text("ce ne sont pas des infractions constatées")
        expect(questions).to_contain_text("Moyenne de")
        # each finding with its NATINF line, as online: nature, qualification, the texts
        # that define and punish it, the rule applied and the fine
        first = server_analysis(demo_world, "02-longue-distance").findings[0]
        offence = first.rule.offence
        assert offence is not None
        item = found.locator("ol.infractions > li").first
        expect(item).to_contain_text(f"{offence.nature} — {offence.qualification}")
        texts = item.locator("dd").all_inner_texts()
        assert texts == [
            " ; ".join(offence.defined_by),
            " ; ".join(offence.punished_by),
            " ; ".join(first.rule.legal),
            offence.fine_wording,
        ]
        expect(page.locator(".jours-hors-ligne li.infraction").first).to_be_visible()
    finally:
        page.context.set_offline(False)


def test_the_camera_reads_and_verifies_a_code_without_network(page: Page) -> None:
    """The fake camera shows the demo code 06-nuit; offline, the frames are read on the
    tablet (BarcodeDetector or zxing-wasm) and the code verified there."""
    go_offline_on_the_scan_page(page)
    try:
        page.click("#camera-demarrer")
        verdict = page.locator("#verdict-hors-ligne")
        expect(verdict).to_contain_text("Code authentique", timeout=20_000)
        expect(page.locator("#code")).to_have_value("")  # emptied for the next driver
    finally:
        page.context.set_offline(False)
