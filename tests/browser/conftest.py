"""The app served for real (uvicorn on localhost) and Debian's Chromium driven by Playwright.

The camera is Chromium's fake device playing a Y4M video made from a demo QR code, so the
scan page runs exactly as on a tablet: getUserMedia, frames sent to the server, auto-stop.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
import uvicorn
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from control.settings import Settings
from control.storage.database import connect, migrate
from control.storage.users import Identity, Role, add_user, list_users, set_identity
from tests.oidc.fixtures import free_port
from tests.oidc.fixtures import oidc_provider as oidc_provider  # a fixture, for journeys too
from tests.oidc.fixtures import proconnect_port as proconnect_port  # a fixture
from tests.oidc.provider import AGENT as PROVIDER_AGENT
from tests.oidc.provider import Provider
from tests.web.conftest import PASSWORDS, demo_code
from web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
TABLET = {"width": 1280, "height": 800}
OTHER_UNIT_AGENT = ("agent-isere", "agent-isere-pass-1")  # the others have no unit
PASSWORD_CHANGER = ("agent-relais", "agent-relais-pass-1")  # changes it: kept apart


BROWSER_TESTS = Path(__file__).parent
# Each browser test takes seconds: a stuck one fails well before the suite's ceiling, so a
# wedged browser cannot eat CI's time test after test.
BROWSER_TEST_TIMEOUT = 120


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(BROWSER_TESTS):
            item.add_marker(pytest.mark.timeout(BROWSER_TEST_TIMEOUT))


def fake_camera(png: Path, target: Path, frames: int = 10) -> Path:
    """A Y4M clip (I420) showing the QR code on a grey background, as a phone held up."""
    code = cv2.imread(str(png), cv2.IMREAD_GRAYSCALE)
    width, height = 1280, 720
    side = min(620, code.shape[0])
    code = cv2.resize(code, (side, side), interpolation=cv2.INTER_AREA)
    frame = np.full((height, width), 120, np.uint8)
    top, left = (height - side) // 2, (width - side) // 2
    frame[top : top + side, left : left + side] = code
    yuv = cv2.cvtColor(cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR), cv2.COLOR_BGR2YUV_I420)
    with target.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + yuv.tobytes())
    return target


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, demo_world: Path) -> Iterator[str]:
    data = tmp_path_factory.mktemp("live")
    settings = Settings(
        data_dir=data,
        secret_key="browser-test-secret",
        trust_list=demo_world / "trust-list.json",
        root_key=demo_world / "authority" / "root.jwk.pub",
        demo_dir=demo_world,
        cookie_secure=False,
    )
    engine = connect(settings.database())
    migrate(engine)
    for role in Role:
        add_user(
            engine, role.value, f"{role.value.title()} Navigateur", role, PASSWORDS[role.value]
        )
    login, password = OTHER_UNIT_AGENT
    add_user(engine, login, "Agent Isère", Role.AGENT, password, unit="DREETS-38")
    login, password = PASSWORD_CHANGER
    add_user(engine, login, "Agent Relais", Role.AGENT, password)
    engine.dispose()
    yield from _serve(settings, free_port())


def _serve(settings: Settings, port: int) -> Iterator[str]:
    """The app served by uvicorn in a thread, at localhost (the browser's address)."""
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://localhost:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def proconnect_server(
    tmp_path_factory: pytest.TempPathFactory,
    demo_world: Path,
    oidc_provider: Provider,
    proconnect_port: int,
) -> Iterator[str]:
    """A live app signing in with the test provider (tests/oidc), passwords for admins only.
    Its account "agent" carries the email of the provider's AGENT, so the first sign-in
    binds it; "admin" keeps its password. The provider is at 127.0.0.1 and the app at
    localhost: two sites, as ProConnect and the service are (SameSite cookies tested)."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("live-proconnect"),
        secret_key="browser-test-secret-proconnect",
        trust_list=demo_world / "trust-list.json",
        root_key=demo_world / "authority" / "root.jwk.pub",
        demo_dir=demo_world,
        cookie_secure=False,
        local_sign_in="admins",
        **oidc_provider.settings(),
    )
    engine = connect(settings.database())
    migrate(engine)
    for role in (Role.AGENT, Role.ADMIN):
        add_user(engine, role.value, f"{role.value.title()} ProConnect", role, PASSWORDS[role])
    agent = next(u for u in list_users(engine) if u.login == "agent")
    set_identity(engine, agent.id, Identity(email=PROVIDER_AGENT.email))
    engine.dispose()
    yield from _serve(settings, proconnect_port)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run scripts/install (apt-get install chromium)")
    with sync_playwright() as handle:
        yield handle


@pytest.fixture(scope="session")
def browser(
    playwright: Playwright, demo_world: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Browser]:
    video = fake_camera(
        demo_world / "codes" / "06-nuit.png", tmp_path_factory.mktemp("camera") / "qr.y4m"
    )
    browser = with_camera(playwright, video)
    yield browser
    browser.close()


def with_camera(playwright: Playwright, video: Path) -> Browser:
    """Debian's Chromium whose camera films `video` (fake_camera's clip)."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    yield from _checked_page(browser, live_server)


@pytest.fixture
def touch_page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A tablet held by hand: touch events, no mouse hover."""
    yield from _checked_page(browser, live_server, has_touch=True)


@pytest.fixture
def proconnect_page(browser: Browser, proconnect_server: str) -> Iterator[Page]:
    """A page of the app that signs in with the test provider (`proconnect_server`)."""
    yield from _checked_page(browser, proconnect_server)


@pytest.fixture
def page_without_worker(browser: Browser, live_server: str) -> Iterator[Page]:
    """A browser that runs no service worker (blocked by policy, or its install failed)."""
    yield from _checked_page(browser, live_server, service_workers="block")


def _checked_page(browser: Browser, live_server: str, **options: Any) -> Iterator[Page]:
    """A page of a fresh context that fails the test if the page breaks its CSP."""
    options = {"viewport": TABLET, **options}
    context = browser.new_context(base_url=live_server, locale="fr-FR", **options)
    context.grant_permissions(["camera"], origin=live_server)
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert not violations, f"the page broke its Content-Security-Policy: {violations}"


def sign_in(page: Page, role: str, password: str = "") -> None:
    """As the account named after `role`, or as any account given its password."""
    page.goto("/connexion")
    page.fill("#login", role)
    page.fill("#password", password or PASSWORDS[role])
    page.click("#form-connexion button[type=submit]")


# functions, not strings to evaluate: the pages' CSP forbids eval
ACTIVATED = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  return registration?.active?.state === "activated";
}"""
REGISTRATION = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  if (!registration) return "no registration";
  const { installing, waiting, active } = registration;
  const state = (worker) => worker?.state ?? "none";
  return `installing: ${state(installing)}, waiting: ${state(waiting)}, active: ${state(active)}`;
}"""
CONTROLLED = "() => navigator.serviceWorker.controller !== null"


def static_url(page: Page, path: str) -> str:
    """`/static/<path>` under the version the page loads (web/assets.py): the module the page
    runs, not a second copy of it, and the one the service worker keeps for offline."""
    app = page.evaluate("""() => document.querySelector('script[src$="/app.js"]').src""")
    return f"{app.removesuffix('app.js')}{path}"


def reload_through_the_service_worker(page: Page) -> None:
    """Once the service worker the page registered is active, the page is opened again
    through it. Waiting instead for the first page to be controlled could wait for ever:
    clients.claim() misses a page whose navigation was under way when the worker activated
    (seen in CI: worker activated, page never controlled)."""
    try:
        poll(page, ACTIVATED, "the service worker was not activated")
    except AssertionError as stuck:
        raise AssertionError(f"{stuck}: {page.evaluate(REGISTRATION)}") from None
    page.reload()
    assert page.evaluate(CONTROLLED), "the page opened after activation is not controlled"


def poll(page: Page, check: str, failure: str, seconds: float = 30) -> None:
    """Until the async function `check` answers true in the page. Playwright's own
    wait_for_function does not await a promise: it would take one as true at once."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(check):
        if time.monotonic() > deadline:
            raise AssertionError(f"{failure} ({seconds:g} s)")
        page.wait_for_timeout(100)


def record_removal_control(page: Page, demo_world: Path, plate: str) -> str:
    """The agent scans the removal company's demo code and records the control at
    Saint-Priest; returns the company as the control page shows it."""
    sign_in(page, "agent")
    page.fill("#code", demo_code(demo_world, "05-demenagement"))
    page.keyboard.press("Enter")
    expect(page.locator(".verdict.valide")).to_be_visible()
    page.fill("#departement", "69")
    page.fill("#commune", "Saint-Priest")
    page.fill("#plate", plate)
    page.click("text=Enregistrer le contrôle >> nth=-1")
    expect(page.get_by_role("heading", name="Contrôle n°")).to_be_visible()
    return page.locator("dt:text('Entreprise') + dd").inner_text()
