"""A controller's first complete path, in Debian's Chromium at tablet size."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import poll, reload_through_the_service_worker, sign_in
from tests.web.conftest import PASSWORDS, csrf_in, demo_code

KEPT_SCAN_PAGE = "async () => Boolean(await caches.match('/scan'))"
SHOTS = (
    Path(os.environ.get("LIC_CONTROL_SCREENSHOTS", ""))
    if os.environ.get("LIC_CONTROL_SCREENSHOTS")
    else None
)


def shot(page: Page, name: str, tmp_path: Path) -> None:
    """Screenshots go to docs/screenshots when asked (LIC_CONTROL_SCREENSHOTS=dir)."""
    folder = SHOTS or tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"))


def on_the_scan_page(page: Page) -> None:
    """Signed in as an agent, once the scan page has loaded: its camera button answers."""
    sign_in(page, "agent")
    page.wait_for_url("**/scan")


def requested(page: Page) -> list[str]:
    """The paths the page asks for from now on (through its service worker or not)."""
    paths: list[str] = []
    page.on("request", lambda request: paths.append(request.url.split("//", 1)[1]))
    return paths


def asked_for(paths: list[str], prefix: str) -> bool:
    """Whether a path starting with `prefix` was asked for, under its content-hashed URL or
    not (`/vendor/zxing/~<hash>/reader/…` is `/vendor/zxing/reader/…`)."""
    plain = (re.sub(r"/~[0-9a-f]+/", "/", "/" + path.split("/", 1)[1]) for path in paths)
    return any(path.startswith(prefix) for path in plain)


def test_scan_from_the_camera_then_record_the_control(page: Page, tmp_path: Path) -> None:
    """The camera's frames are read on the tablet (zxing-wasm: headless Chromium has no
    BarcodeDetector): none goes to the server, only the code read, through the form."""
    sign_in(page, "agent")
    expect(page.get_by_role("heading", name="Scanner le QR code du conducteur")).to_be_visible()
    shot(page, "scan", tmp_path)
    paths = requested(page)
    page.click("#camera-demarrer")
    # the reader's WebAssembly first: the server brotli-compresses it once, seconds when busy
    expect(page.locator(".verdict")).to_contain_text("Code authentique", timeout=30_000)
    assert asked_for(paths, "/vendor/zxing/reader/zxing_reader.wasm")
    assert asked_for(paths, "/verifier")
    assert not asked_for(paths, "/api/decode")
    expect(page.locator(".jour")).to_have_count(28)
    expect(page.locator(".infractions")).to_contain_text("NATINF 32083")
    page.locator(".verdict").scroll_into_view_if_needed()
    shot(page, "verdict", tmp_path)
    page.locator(".jour.infraction").first.scroll_into_view_if_needed()
    shot(page, "jours", tmp_path)
    page.fill("#departement", "69")
    page.fill("#commune", "Vénissieux")
    page.fill("#plate", "AB-123-CD")
    page.locator("#enregistrer button[type=submit]").click()
    expect(page.get_by_role("heading", name="Contrôle n°")).to_be_visible()
    expect(page.locator("body")).to_contain_text("NATINF 32083")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Contrôles", exact=True
    ).click()
    expect(page.get_by_role("table")).to_contain_text("Vénissieux")


@pytest.mark.parametrize("broken", ["no WebAssembly nor BarcodeDetector", "WASM unreachable"])
def test_a_browser_without_a_reader_sends_its_frames_to_the_server(
    page_without_worker: Page, broken: str
) -> None:
    """An old browser, or zxing's WebAssembly that cannot be fetched: the frames go to
    POST /api/decode and the agent gets the verdict all the same."""
    page = page_without_worker  # a service worker would answer the WASM from its cache
    if broken == "WASM unreachable":
        page.route("**/zxing_reader.wasm", lambda route: route.abort())
    else:
        page.add_init_script(script="delete window.WebAssembly; delete window.BarcodeDetector;")
    on_the_scan_page(page)
    paths = requested(page)
    page.click("#camera-demarrer")
    expect(page.locator(".verdict")).to_contain_text("Code authentique", timeout=20_000)
    assert asked_for(paths, "/api/decode")
    expect(page.locator("#camera-etat")).to_have_text("Code lu : vérification…")


# A BarcodeDetector reading QR codes (Chrome on Android has one), reading the text the test
# puts in window.licShown: a stand-in for the device's own, which headless Chromium lacks.
FAKE_DETECTOR = """
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ["qr_code", "ean_13"]; }
  constructor(options) { this.formats = options.formats; }
  async detect() { return window.licShown ? [{ rawValue: window.licShown }] : []; }
};
"""


def test_a_barcode_detector_reads_the_frames_and_zxing_is_never_fetched(
    page: Page, demo_world: Path
) -> None:
    page.add_init_script(script=FAKE_DETECTOR)
    on_the_scan_page(page)
    paths = requested(page)
    page.click("#camera-demarrer")
    expect(page.locator("#camera-etat")).to_have_text("Visez le QR code du conducteur.")
    page.evaluate("window.licShown = 'https://example.org/menu-du-jour'")
    expect(page.locator("#camera-etat")).to_have_text("QR code lu, mais ce n'est pas un code LIC.")
    expect(page.locator("#resultat")).to_be_empty()
    page.evaluate(f"window.licShown = '{demo_code(demo_world, '12-cle-revoquee')}'")
    verdict = page.locator(".verdict.invalide")
    expect(verdict).to_contain_text("Clé de signature révoquée", timeout=10_000)
    assert not asked_for(paths, "/vendor/zxing/")
    assert not asked_for(paths, "/api/decode")


def test_a_pasted_tampered_code_is_red(page: Page, demo_world: Path) -> None:
    sign_in(page, "agent")
    code = demo_code(demo_world, "01-conforme")
    tampered = code[:-12] + ("A" if code[-12] != "A" else "B") + code[-11:]
    page.fill("#code", tampered)
    page.keyboard.press("Enter")  # as a hardware scanner ends its input
    expect(page.locator(".verdict.invalide")).to_be_visible()
    expect(page.locator(".verdict")).not_to_contain_text("Code authentique")


def test_a_photo_upload_is_verified(page: Page, demo_world: Path) -> None:
    sign_in(page, "agent")
    page.set_input_files("#photo", str(demo_world / "codes" / "04-voyageurs.png"))
    page.click("#form-photo button[type=submit]")
    expect(page.locator(".verdict.valide")).to_contain_text("Code authentique")


def test_a_wrong_password_is_refused(page: Page) -> None:
    page.goto("/connexion")
    page.fill("#login", "agent")
    page.fill("#password", "not the password")
    page.click("button[type=submit]")
    expect(page.locator(".fr-alert--error")).to_contain_text(
        "Identifiant ou mot de passe incorrect"
    )


def test_an_agent_cannot_reach_the_admin_pages(page: Page) -> None:
    sign_in(page, "agent")
    menu = page.get_by_role("navigation", name="Navigation principale")
    expect(menu).to_contain_text("Scanner")
    expect(menu).not_to_contain_text("Comptes")
    expect(menu).not_to_contain_text("Administration")
    response = page.goto("/admin/utilisateurs")
    assert response is not None
    assert response.status == 403
    expect(page.locator(".fr-alert--error")).to_contain_text("réservée")


@pytest.mark.parametrize("width", [1280])
def test_pages_do_not_overflow_the_tablet(page: Page, demo_world: Path, width: int) -> None:
    sign_in(page, "agent")
    page.fill("#code", demo_code(demo_world, "08-modifie-employeur"))
    page.keyboard.press("Enter")
    expect(page.locator(".verdict")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False


def test_the_app_opens_without_network_once_installed(page: Page) -> None:
    sign_in(page, "agent")
    page.goto("/scan")
    reload_through_the_service_worker(page)  # which keeps a copy of the page
    poll(page, KEPT_SCAN_PAGE, "the service worker did not keep the scan page")
    page.context.set_offline(True)
    page.goto("/scan")
    expect(page.get_by_role("heading", name="Scanner le QR code du conducteur")).to_be_visible()
    page.goto("/controles")
    expect(page.get_by_role("heading", name="Pas de réseau")).to_be_visible()
    page.context.set_offline(False)


def sign_in_before_any_page(page: Page, role: str) -> None:
    """Signed in through the context's own requests: the first page the browser then opens
    is the first to register the service worker, so it cannot have gone through it."""
    token = csrf_in(page.request.get("/connexion").text(), "/connexion")
    answer = page.request.post(
        "/connexion",
        form={"csrf": token, "login": role, "password": PASSWORDS[role], "suivant": "/scan"},
        max_redirects=0,
    )
    assert answer.status == 303, answer.status


def test_the_scan_page_of_the_first_visit_is_kept_for_use_without_network(page: Page) -> None:
    """The tablet's first visit: the scan page was opened before the service worker was
    active, so it did not go through it. The worker keeps a copy all the same, and the app
    opens without network from then on, with no second visit needed."""
    sign_in_before_any_page(page, "agent")
    page.goto("/scan")
    poll(page, KEPT_SCAN_PAGE, "the scan page of the first visit was not kept")
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Scanner le QR code du conducteur")).to_be_visible()
    expect(page.locator("#confiance")).to_contain_text("copie conservée sur la tablette")
    page.context.set_offline(False)


def test_the_app_is_installable(page: Page) -> None:
    page.goto("/connexion")
    manifest = page.evaluate(
        "fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())"
    )
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"  # each role's start page (offline: the kept scan page)
