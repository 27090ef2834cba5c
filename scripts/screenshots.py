"""A screenshot of every page of the app, at tablet, upright tablet and phone size, in the
light and dark themes: docs/screenshots/<page>-<width>x<height>-<theme>.png.

    /work/main/.venv/bin/python scripts/screenshots.py [--pages scan,verdict-valide] [--out DIR]

The demo app is served on localhost (SQLite in a temporary folder, the demo world, a few
hundred synthetic controls); the records the pages show (a control of each kind, a bulletin,
a sheet, a schedule, a company report) are made through the app's own forms, as the tests
make them. One Chromium, one browser context per role, size and theme, reused page after
page. A page that fails is said and skipped; the others go on. Viewport screenshots (what
the user sees first), PNGs quantised so that the folder stays a few MB.
"""

from __future__ import annotations

import argparse
import io
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import uvicorn  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from PIL import Image  # noqa: E402
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright  # noqa: E402

from control.demo.build import build_demo  # noqa: E402
from control.demo.company import company_files, company_records  # noqa: E402
from control.demo.controls import load  # noqa: E402
from control.settings import Settings  # noqa: E402
from control.storage.database import connect, migrate  # noqa: E402
from control.storage.users import Role, add_user  # noqa: E402
from control.verify.keys import load_private  # noqa: E402
from web.app import create_app  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SIZES = ((1280, 800), (800, 1280), (390, 844))
THEMES = ("light", "dark")
PASSWORDS = {
    "agent": "agent-password-1",
    "inspector": "inspector-pass-1",
    "admin": "admin-password-1",
}
VALID, REVOKED = "02-longue-distance", "12-cle-revoquee"  # codes not recorded below


@dataclass
class World:
    """What the pages show: the ids of the records made for them."""

    url: str
    demo: Path
    ids: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Shot:
    """One page: who sees it, where it is, and what to do there before the picture."""

    name: str
    role: str | None  # None: signed out
    path: str  # "{control}"-style fields filled from World.ids
    then: Callable[[Page, World], None] | None = None


def code_of(world: World, stem: str) -> str:
    return (world.demo / "codes" / f"{stem}.txt").read_text().strip()


def scanned(stem: str) -> Callable[[Page, World], None]:
    def scan(page: Page, world: World) -> None:
        page.fill("#code", code_of(world, stem))
        page.click("#form-code button[type=submit]")
        page.wait_for_selector(".verdict-titre", timeout=15_000)

    return scan


def validation_errors(page: Page, _: World) -> None:
    page.locator("form button[type=submit]").last.click()
    page.wait_for_timeout(300)


PAGES = [
    Shot("connexion", None, "/connexion"),
    Shot("demo", None, "/demo"),
    Shot("verifier-bulletin", None, "/verifier-bulletin"),
    Shot("hors-ligne", None, "/hors-ligne"),
    Shot("erreur-404", None, "/page-qui-n-existe-pas"),
    Shot("scan", "agent", "/scan"),
    Shot("verdict-valide", "agent", "/scan", scanned(VALID)),
    Shot("verdict-invalide", "agent", "/scan", scanned(REVOKED)),
    Shot("controle-lic-papier", "agent", "/controles/nouveau?type=paper"),
    Shot("controle-sans-lic", "agent", "/controles/nouveau?type=none"),
    Shot("controle-horaire", "agent", "/controles/nouveau?type=schedule"),
    Shot("controle-erreurs", "agent", "/controles/nouveau?type=none", validation_errors),
    Shot("controle", "agent", "/controles/{electronic}"),
    Shot("controle-photos", "agent", "/controles/{paper}#photos"),
    Shot("bulletin-etape-1", "agent", "/controles/{draft}/bulletin?etape=1"),
    Shot("bulletin-etape-2", "agent", "/controles/{draft}/bulletin?etape=2"),
    Shot("bulletin-etape-3", "agent", "/controles/{draft}/bulletin?etape=3"),
    Shot("bulletin-emis", "agent", "{bulletin}"),
    Shot("feuille", "agent", "/controles/{paper}/feuilles/nouvelle"),
    Shot("horaire", "agent", "/controles/{schedule}/horaire"),
    Shot("en-attente", "agent", "/en-attente"),
    Shot("compte", "agent", "/compte"),
    Shot("controles", "inspector", "/controles"),
    Shot("recherche", "inspector", "/recherche?plaque=BS-286-TW"),
    Shot("controles-entreprise", "inspector", "/controles-entreprise"),
    Shot("rapport-entreprise", "inspector", "/controles-entreprise/{company}"),
    Shot("entreprise", "inspector", "/entreprises/{siren}"),
    Shot("comptes", "admin", "/admin/utilisateurs"),
    Shot("journal", "admin", "/admin/journal"),
]


def serve(folder: Path) -> tuple[World, TestClient, uvicorn.Server]:
    world_dir = folder / "demo"
    build_demo(world_dir, datetime.now(UTC).replace(second=0, microsecond=0))
    settings = Settings(
        data_dir=folder / "data",
        secret_key="screenshots-secret-key",
        trust_list=world_dir / "trust-list.json",
        root_key=world_dir / "authority" / "root.jwk.pub",
        demo_dir=world_dir,
        cookie_secure=False,
    )
    settings.data_dir.mkdir()
    engine = connect(settings.database())
    migrate(engine)
    names = {"agent": "Camille Martin", "inspector": "Sacha Bernard", "admin": "Dominique Petit"}
    for role in Role:
        add_user(engine, role.value, names[role.value], role, PASSWORDS[role.value])
    load(engine, 300, 1, lambda _: None)
    engine.dispose()
    app = create_app(settings)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return (
        World(f"http://127.0.0.1:{port}", world_dir),
        TestClient(app, follow_redirects=False),
        server,
    )


def make_records(world: World, client: TestClient) -> None:
    """A control of each kind and what hangs on them, through the app's forms (the tests'
    helpers). A record that cannot be made is said; the pages needing it are skipped."""
    from tests.web.conftest import sign_in
    from tests.web.test_bulletins import electronic_control, fill_bulletin, issue_bulletin
    from tests.web.test_company_controls import new_company_control, upload
    from tests.web.test_paper_findings import paper_control_of
    from tests.web.test_schedules import post_schedule, schedule_control
    from tests.web.test_sheets import post_sheet

    steps: list[tuple[str, Callable[[], object]]] = []
    token = ""

    def agent() -> None:
        nonlocal token
        token = sign_in(client, "agent")

    def electronic() -> None:
        world.ids["electronic"] = str(electronic_control(client, token, code_of(world, "06-nuit")))

    def draft() -> None:
        control = electronic_control(client, token, code_of(world, "01-conforme"))
        world.ids["draft"] = str(control)
        fill_bulletin(client, token, control)

    def bulletin() -> None:
        location = issue_bulletin(client, token, int(world.ids["electronic"]))
        world.ids["bulletin"] = location

    def paper() -> None:
        control = paper_control_of(client, token)
        world.ids["paper"] = str(control)
        post_sheet(client, token, control, day="2026-11-24")
        photo = io.BytesIO()
        Image.new("RGB", (1200, 1600), (235, 235, 228)).save(photo, "JPEG")
        files = [("photos", ("page-1.jpg", photo.getvalue(), "image/jpeg"))]
        client.post(f"/controles/{control}/photos", data={"csrf": token}, files=files)

    def schedule() -> None:
        control = schedule_control(client, token)
        world.ids["schedule"] = str(control)
        post_schedule(client, token, control)

    def company() -> None:
        inspector = sign_in(client, "inspector")
        control = new_company_control(client, inspector)
        world.ids["company"] = str(control)
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        key = load_private(world.demo / "issuers" / "mobilic-2026.jwk")
        upload(client, inspector, control, company_files(company_records(30, now, 9), key, now))
        client.post(f"/controles-entreprise/{control}/rapport", data={"csrf": inspector})
        world.ids["siren"] = "111111118"

    steps += [("agent", agent), ("electronic", electronic), ("draft", draft)]
    steps += [("bulletin", bulletin), ("paper", paper), ("schedule", schedule)]
    steps += [("company", company)]
    for name, step in steps:
        try:
            step()
        except Exception as error:  # said, and the others go on
            said = (str(error) or repr(error)).splitlines()[0][:200]
            print(f"données « {name} » non créées / record not made: {said}", file=sys.stderr)


def signed_in(
    browser: Browser, world: World, role: str | None, size: tuple[int, int], theme: str
) -> BrowserContext:
    width, height = size
    context = browser.new_context(
        base_url=world.url,
        viewport={"width": width, "height": height},
        locale="fr-FR",
        color_scheme="dark" if theme == "dark" else "light",
        service_workers="block",  # every page as the server sends it
    )
    if role is not None:
        page = context.new_page()
        page.goto("/connexion")
        page.fill("#login", role)
        page.fill("#password", PASSWORDS[role])
        page.click("#form-connexion button[type=submit]")
        page.wait_for_load_state()
        page.close()
    return context


def save(shot: bytes, path: Path) -> None:
    """Quantised to 256 colours: a tenth of the size, no visible loss on flat UI."""
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--pages", default="", help="names, comma-separated (default: all)")
    args = parser.parse_args()
    wanted = {name for name in args.pages.split(",") if name}
    pages = [shot for shot in PAGES if not wanted or shot.name in wanted]
    args.out.mkdir(parents=True, exist_ok=True)
    failed = 0
    with tempfile.TemporaryDirectory() as folder:
        world, client, server = serve(Path(folder))
        make_records(world, client)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            for size in SIZES:
                for theme in THEMES:
                    contexts: dict[str | None, BrowserContext] = {}
                    for shot in pages:
                        target = args.out / f"{shot.name}-{size[0]}x{size[1]}-{theme}.png"
                        try:
                            if shot.role not in contexts:
                                contexts[shot.role] = signed_in(
                                    browser, world, shot.role, size, theme
                                )
                            take(contexts[shot.role], shot, world, target)
                        except Exception as error:  # said; the others go on
                            failed += 1
                            print(
                                f"échec / failed: {target.name}: {str(error).splitlines()[0]}",
                                file=sys.stderr,
                            )
                    for context in contexts.values():
                        context.close()
            browser.close()
        server.should_exit = True
    done = len(pages) * len(SIZES) * len(THEMES) - failed
    print(f"{done} captures dans {args.out} / screenshots written, {failed} en échec / failed")


def take(context: BrowserContext, shot: Shot, world: World, target: Path) -> None:
    try:
        path = shot.path.format(**world.ids)
    except KeyError as missing:
        raise RuntimeError(f"pas de données « {missing.args[0]} » / record not made") from None
    page = context.new_page()
    try:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        if shot.then is not None:
            shot.then(page, world)
        page.evaluate("document.fonts.ready")
        save(page.screenshot(), target)
    finally:
        page.close()


if __name__ == "__main__":
    main()
