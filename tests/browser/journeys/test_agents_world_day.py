"""An agent's day in the agents' world, in Debian's Chromium (issue #22): she signs in through
ProConnect, the first driver holds up a Mobilic code to the camera, the second a LIC code; both
controls are recorded; the second goes on to GRECO and, as driver card files, to the
tachograph software. Unhappy paths first: a colleague ProConnect knows and the service does
not; the GRECO export refused until the administrator sets the agent's RIO / matricule."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect

from control.rules import analyze
from tests.browser.conftest import TABLET, fake_camera, sign_in, with_camera
from tests.browser.journeys.axe import assert_accessible
from tests.exports.test_c1b import expected_minutes, read_minutes
from tests.mobilic_codes import mobilic_png, mobilic_url
from tests.oidc.provider import AGENT, UNKNOWN, Provider, ProviderAccount
from tests.web.conftest import demo_verified

MATRICULE = "RIO-4521"
LIC_CODE = "03-messagerie"  # two breaches; the employer amended two days: two C1B files
STORED = """async () => (await (await fetch("/api/controls")).json())
  .map((c) => [c.kind, c.plate])"""


@pytest.fixture(scope="module")
def cameras(
    playwright: Playwright, demo_world: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Browser]]:
    """Two tablets' cameras: one films a Mobilic code made three minutes ago, the other a
    demo LIC code."""
    folder = tmp_path_factory.mktemp("journee-cameras")
    link = mobilic_url(datetime.now(UTC) - timedelta(minutes=3))
    mobilic = mobilic_png(link, folder / "mobilic.png")
    lic = demo_world / "codes" / f"{LIC_CODE}.png"
    browsers = {
        "mobilic": with_camera(playwright, fake_camera(mobilic, folder / "mobilic.y4m")),
        "lic": with_camera(playwright, fake_camera(lic, folder / "lic.y4m")),
    }
    yield browsers
    for browser in browsers.values():
        browser.close()


def tablet(browser: Browser, server: str, state: Any = None) -> BrowserContext:
    context = browser.new_context(
        viewport=TABLET, base_url=server, locale="fr-FR", accept_downloads=True, storage_state=state
    )
    context.grant_permissions(["camera"], origin=server)
    return context


def through_proconnect(page: Page, account: ProviderAccount) -> None:
    """The sign-in page's ProConnect button, then the provider's own page."""
    page.goto("/connexion")
    page.get_by_role("button", name=re.compile("S’identifier avec")).click()
    page.fill("#email", account.email)
    page.get_by_role("button", name="Se connecter").click()


def record_here(page: Page, plate: str) -> int:
    """The place and the vehicle, then the control is recorded: its number."""
    page.fill("#departement", "73")
    page.fill("#commune", "Chambéry")
    page.fill("#plate", plate)
    page.locator("#enregistrer button[type=submit]").click()
    heading = page.get_by_role("heading", name="Contrôle n°")
    expect(heading).to_be_visible()
    return int(re.findall(r"\d+", heading.inner_text())[0])


def demo_record(demo_world: Path) -> tuple[Any, datetime]:
    """The record the LIC code carries, and when it was made, as the server reads them."""
    result = demo_verified(demo_world, LIC_CODE)
    assert result.record is not None
    assert result.iat is not None
    return result.record, result.iat


def download(page: Page, name: str) -> tuple[str, bytes]:
    with page.expect_download() as started:
        page.get_by_role("link", name=name).click()
    got = started.value
    return got.suggested_filename, Path(got.path()).read_bytes()


def test_an_agent_signs_in_with_proconnect_scans_mobilic_and_lic_and_exports(
    cameras: dict[str, Browser],
    browser: Browser,
    proconnect_server: str,
    oidc_provider: Provider,
    demo_world: Path,
) -> None:
    # A colleague ProConnect knows, without an account here: told whom to ask, not let in.
    stranger = tablet(browser, proconnect_server)
    page = stranger.new_page()
    through_proconnect(page, UNKNOWN)
    expect(page.get_by_role("heading", name="Pas encore de compte Contrôle LIC")).to_be_visible()
    expect(page.locator("main")).to_contain_text(UNKNOWN.email)
    expect(page.locator("main")).to_contain_text("Votre demande d'accès est enregistrée")
    expect(page.locator("main")).to_contain_text("Prévenez l'administrateur")
    assert_accessible(page)
    page.goto("/controles")
    expect(page).to_have_url(re.compile(r"/connexion\?suivant="))
    stranger.close()

    # The agent: ProConnect, then the first driver's Mobilic code at the camera.
    first = tablet(cameras["mobilic"], proconnect_server)
    page = first.new_page()
    through_proconnect(page, AGENT)
    expect(page).to_have_url(re.compile(r"/scan$"))  # the agent's first page, signed in
    expect(page.get_by_role("link", name=re.compile("Agent ProConnect"))).to_be_visible()
    page.click("#camera-demarrer")
    banner = page.locator("#verdict-mobilic")
    expect(banner).to_contain_text("Code Mobilic : à consulter dans Mobilic", timeout=20_000)
    expect(banner).to_contain_text("ne peut pas vérifier ce code")
    expect(page.locator(".verdict.valide")).to_have_count(0)  # never called genuine
    assert_accessible(page)
    mobilic_control = record_here(page, "MO-220-BL")
    expect(page.locator("main")).to_contain_text("Mobilic (consultation en ligne)")
    # Mobilic's controls are not the issuer's record: no export is offered for them
    expect(page.get_by_role("link", name="Télécharger les fichiers C1B")).to_have_count(0)
    state = first.storage_state()
    first.close()

    # The second driver's LIC code, on the tablet whose camera films it (same session).
    second = tablet(cameras["lic"], proconnect_server, state)
    page = second.new_page()
    page.goto("/scan")
    page.click("#camera-demarrer")
    expect(page.locator(".verdict")).to_contain_text("Code authentique", timeout=20_000)
    expect(page.locator(".jour")).to_have_count(28)
    lic_control = record_here(page, "LI-221-CD")
    assert lic_control != mobilic_control
    assert page.evaluate(STORED)[:2] == [["electronic", "LI-221-CD"], ["mobilic", "MO-220-BL"]]

    # GRECO refused, saying what is missing: her matricule is not set yet.
    page.get_by_role("link", name="Exporter pour GRECO (XML)").click()
    expect(page.locator("main")).to_contain_text("Export GRECO impossible")
    expect(page.locator("main")).to_contain_text("RIO / matricule")
    assert_accessible(page)

    # The administrator (a password, the break-glass way) sets it on the agent's account.
    office = tablet(browser, proconnect_server)
    admin = office.new_page()
    sign_in(admin, "admin")
    admin.goto("/admin/utilisateurs")
    expect(admin.locator("#demandes")).to_contain_text(UNKNOWN.email)  # the colleague's request
    admin.get_by_role("link", name="agent", exact=True).click()
    expect(admin.locator("main")).to_contain_text("lié à ProConnect")  # bound at sign-in
    admin.fill("#matricule", MATRICULE)
    admin.get_by_role("button", name="Enregistrer l'identité").click()
    expect(admin.get_by_role("status").filter(has_text="Identité enregistrée.")).to_be_visible()

    # Now the XML, read back: the agent, the place, the vehicle, each retained NATINF.
    page.goto(f"/controles/{lic_control}")
    name, xml = download(page, "Exporter pour GRECO (XML)")
    assert re.fullmatch(r"R73CE\d{12}LI-221-CD\.xml", name), name  # Camille Essai
    document = etree.fromstring(xml)
    control = document.find("Controle")
    assert control is not None

    def field(element: Any, tag: str) -> str:
        return str(element.findtext(f"{tag}/content") or "")

    assert field(control, "controleur_Identification") == MATRICULE
    assert field(control, "controleur_Nom") == AGENT.usual_name.upper()
    assert field(control, "lieuCommune_Intitule") == "Chambéry"
    assert field(control, "immatriculation") == "LI-221-CD"
    shown = set(re.findall(r"NATINF (\d+)", page.locator("main").inner_text()))
    exported = {field(i, "nATINF") for i in document.findall("Infraction")}
    record, made = demo_record(demo_world)
    assert exported == {f.natinf for f in analyze(record, made).findings}  # all retained
    assert exported == shown

    # The C1B files: the driver's and the employer's versions, each day as recorded.
    name, content = download(page, "Télécharger les fichiers C1B")
    assert name.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    assert sorted(n.rsplit("_", 1)[-1] for n in files) == ["EMPLOYEUR.C1B", "SALARIE.C1B"]
    driver = [a for d in record.days for a in (d.driver_activities or d.activities)]
    employer = [a for d in record.days for a in d.activities]
    assert driver != employer
    versions = {n.rsplit("_", 1)[-1]: read_minutes(data) for n, data in files.items()}
    assert versions["SALARIE.C1B"] == expected_minutes(driver, made)
    assert versions["EMPLOYEUR.C1B"] == expected_minutes(employer, made)
    second.close()

    # Every export is in the journal, by control number.
    admin.goto("/admin/journal")
    journal = admin.locator("main")
    expect(journal).to_contain_text(f"contrôle {lic_control}")
    expect(journal).to_contain_text("Export GRECO")
    expect(journal).to_contain_text("C1B")
    office.close()
