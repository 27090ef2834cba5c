"""An agent's day at the roadside, played in Debian's Chromium as the agent plays it: the
scanner's keystrokes, the taps, the form errors; what the screen says and what is stored."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from control.rules import day_totals
from control.rules.timeline import PARIS
from tests.browser.conftest import TABLET, _checked_page, sign_in
from tests.browser.journeys.axe import assert_accessible
from tests.browser.test_offline_trust import go_offline_on_the_scan_page
from tests.web.conftest import demo_code
from tests.web.test_verdict_decisions import code_made, spoken

PHONE = {"width": 390, "height": 844}
SHOTS = (
    Path(os.environ["LIC_CONTROL_SCREENSHOTS"])
    if os.environ.get("LIC_CONTROL_SCREENSHOTS")
    else None
)


def shot(page: Page, name: str) -> None:
    """Each step's screen: checked by axe-core, and kept in docs/screenshots when asked
    (LIC_CONTROL_SCREENSHOTS)."""
    assert_accessible(page)
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        width = (page.viewport_size or {"width": 0})["width"]
        page.screenshot(path=str(SHOTS / f"journee-{name}-{width}.png"))


@pytest.fixture(params=[TABLET, PHONE], ids=["tablette", "telephone"])
def screen(request: pytest.FixtureRequest, browser: Browser, live_server: str) -> Iterator[Page]:
    """The journey at tablet and at phone size, its pages held to their CSP."""
    yield from _checked_page(browser, live_server, viewport=request.param)


def scanner_types(page: Page, code: str, *, key_by_key: bool = False) -> None:
    """A hardware scanner: a burst of text where the focus is, then Enter. Key by key it is
    exact but costs seconds a code (one DevTools call a key): once is enough to prove it."""
    if key_by_key:
        page.keyboard.type(code)
    else:
        page.keyboard.insert_text(code)
    page.keyboard.press("Enter")


def test_five_drivers_in_a_row_through_the_hardware_scanner(screen: Page, demo_world: Path) -> None:
    page = screen
    page.goto("/connexion")
    shot(page, "connexion")
    sign_in(page, "agent")
    expect(page).to_have_url(re.compile(r"/scan$"))
    assert page.evaluate("() => window.scrollY") == 0  # no field focus scrolling a phone down
    drivers = [
        ("01-conforme", "Code authentique"),
        ("02-longue-distance", "Code authentique"),
        ("12-cle-revoquee", "Clé de signature révoquée"),
        ("04-voyageurs", "Code authentique"),
        ("06-nuit", "Code authentique"),
    ]
    shot(page, "scan")
    page.click("#code")
    for position, (stem, verdict) in enumerate(drivers):
        scanner_types(page, demo_code(demo_world, stem), key_by_key=position == 0)
        expect(page.locator(".verdict-titre")).to_contain_text(verdict)
        # ready for the next driver: empty, and where a scanner types (no tap needed)
        expect(page.locator("#code")).to_have_value("")
        expect(page.locator("#code")).to_be_focused()
    shot(page, "cinq-conducteurs")


def expired_code(demo_world: Path) -> str:
    """Made three days ago, valid one day: genuine, but expired."""
    issued = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=3)
    return code_made(demo_world, issued, timedelta(days=1))[0]


@pytest.mark.parametrize("red", ["revoked", "expired"])
def test_a_red_verdict_shows_no_findings_and_collapses_the_record(
    screen: Page, demo_world: Path, red: str
) -> None:
    page = screen
    sign_in(page, "agent")
    if red == "revoked":
        code, title = demo_code(demo_world, "12-cle-revoquee"), "Clé de signature révoquée"
    else:
        code, title = expired_code(demo_world), "Code expiré"
    page.fill("#code", code)
    page.click("#form-code button[type=submit]")
    expect(page.locator(".verdict.invalide")).to_contain_text(title)
    expect(page.locator("#resultat")).not_to_contain_text("Infractions relevées")
    summary = page.get_by_text("Relevé non fiable — à titre indicatif")
    expect(summary).to_be_visible()
    expect(page.locator(".non-fiable .jours")).to_be_hidden()  # collapsed until asked
    expect(page.locator("#notes")).to_have_value(re.compile("non valable"))
    shot(page, f"verdict-rouge-{red}")
    save = page.get_by_role("link", name="Aller à l'enregistrement")
    expect(save).to_be_in_viewport()  # not thousands of pixels down
    page.get_by_text("Relevé non fiable — à titre indicatif").click()
    page.locator(".non-fiable .jour").nth(14).scroll_into_view_if_needed()
    expect(save).to_be_in_viewport()  # still there in the middle of the 28 days
    save.click()
    expect(page.locator("#enregistrer button[type=submit]")).to_be_in_viewport()


def test_a_form_error_then_the_fix_keeps_the_agents_choices_to_the_pdf(
    screen: Page, demo_world: Path
) -> None:
    page = screen
    sign_in(page, "agent")
    page.fill("#code", demo_code(demo_world, "02-longue-distance"))
    page.click("#form-code button[type=submit]")
    expect(page.locator(".verdict")).to_contain_text("Code authentique")
    boxes = page.locator("#retenues input[name=retained]")
    expect(boxes).to_have_count(4)
    labels = [box.evaluate("b => b.parentElement.textContent") for box in boxes.all()]
    natinfs = [label.split("NATINF ")[1].split(" ")[0] for label in labels]
    boxes.nth(1).uncheck()
    page.fill("#departement", "69")
    page.fill("#commune", "Vénissieux")
    page.fill("#manual_natinf", "abc")
    page.locator("#enregistrer button[type=submit]").click()
    expect(page.locator("#erreur-formulaire")).to_be_visible()
    expect(page.locator("#manual_natinf")).to_be_focused()  # the page opens at the error
    expect(page.locator("#manual_natinf")).to_be_in_viewport()
    expect(page.locator("body")).to_contain_text("Code NATINF invalide : abc")
    expect(page.locator(".verdict")).to_contain_text("Code authentique")  # nothing lost
    expect(page.locator("#retenues input[name=retained]")).to_have_count(4)
    assert not page.locator("#retenues input[name=retained]").nth(1).is_checked()
    page.locator("#erreur-formulaire").scroll_into_view_if_needed()
    shot(page, "erreur-de-formulaire")
    page.fill("#manual_natinf", "23103")
    page.locator("#enregistrer button[type=submit]").click()
    expect(page.get_by_role("heading", name="Contrôle n°")).to_be_visible()
    control_id = page.url.rsplit("/", 1)[1]
    stored = page.request.get(f"/api/controls/{control_id}").json()
    assert [f["retained"] for f in stored["findings"]] == [True, False, True, True]
    expect(page.locator("li.ecartee")).to_have_count(1)
    page.locator("li.ecartee").scroll_into_view_if_needed()
    shot(page, "controle-enregistre")

    page.click("text=Établir le bulletin")
    page.fill("#family_name", page.input_value("#family_name") or "ESSAI")
    shot(page, "bulletin-etape-1")
    page.click("text=Enregistrer et continuer")
    expect(page.locator("#etape")).to_contain_text("Entreprise, transport")
    shot(page, "bulletin-etape-2")
    page.fill("#address", "1 rue des Essais, Lyon")
    page.fill("#licence", "2020/69/0001234")
    page.fill("#max_weight", "3,5")
    page.click("text=Enregistrer et continuer")
    kept = page.locator("input[name=kept]")
    expect(kept).to_have_count(4)
    assert [box.is_checked() for box in kept.all()] == [True, False, True, True]
    kept.first.scroll_into_view_if_needed()
    shot(page, "bulletin-etape-3")
    page.click("text=Émettre le bulletin")
    expect(page).to_have_url(re.compile(r"/bulletins/\d+$"))
    shot(page, "bulletin-emis")
    pdf = page.request.get(page.url + "/pdf").body()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for position, natinf in enumerate(natinfs):
        if natinfs.count(natinf) == 1:
            assert (natinf in text) is (position != 1), natinf
    assert "23103" in text


@pytest.mark.parametrize(("role", "start", "heading"), [
    ("inspector", "/recherche", "Recherche"),
    ("admin", "/admin/utilisateurs", "Comptes"),
])  # fmt: skip
def test_each_role_lands_on_its_own_page_and_home_leads_back(
    screen: Page, role: str, start: str, heading: str
) -> None:
    page = screen
    sign_in(page, role)
    expect(page).to_have_url(re.compile(re.escape(start) + "$"))
    expect(page.locator("h1")).to_contain_text(heading)
    shot(page, f"accueil-{role}")
    start_url = page.request.get("/manifest.webmanifest").json()["start_url"]
    page.goto(start_url)  # the installed app's icon
    expect(page).to_have_url(re.compile(re.escape(start) + "$"))
    page.goto("/scan" if role == "inspector" else "/")
    if role == "inspector":
        shot(page, "inspecteur-page-reservee")
        expect(page.locator("body")).to_contain_text("Impossible de continuer")
        page.click("text=Revenir à l'accueil")
        expect(page).to_have_url(re.compile(re.escape(start) + "$"))


@pytest.mark.parametrize("size", [TABLET, PHONE], ids=["tablette", "telephone"])
def test_a_tap_on_a_day_gives_each_period_as_text(
    touch_page: Page, demo_world: Path, size: dict[str, int]
) -> None:
    page = touch_page
    page.set_viewport_size(size)  # type: ignore[arg-type]
    sign_in(page, "agent")
    page.fill("#code", demo_code(demo_world, "08-modifie-employeur"))
    page.click("#form-code button[type=submit]")
    expect(page.locator(".verdict")).to_contain_text("Code authentique")
    day = page.locator(".jour:not(.vide)").first
    periods = day.locator(".periodes li")
    expect(periods.first).to_be_hidden()
    day.locator("summary").tap()
    expect(periods.first).to_be_visible()
    expect(periods.first).to_have_text(re.compile(r"\d\d:\d\d–.*\("))
    changed = page.locator(".jour:has(.changement)").last  # not the day tapped open
    expect(changed.locator(".periodes li").first).to_be_hidden()
    changed.locator("summary").focus()  # the keyboard opens a day as a tap does
    page.keyboard.press("Enter")
    expect(changed.locator(".periodes li").first).to_be_visible()
    expect(changed.locator(".changement").first).to_have_text(
        re.compile(r"(début|fin) \d+ h \d\d → \d+ h \d\d")  # the change as text
    )
    changed.scroll_into_view_if_needed()
    shot(page, "heures-exactes")
    page.locator(".jour").nth(20).scroll_into_view_if_needed()
    expect(page.locator(".heures").first).to_be_in_viewport()  # the hour scale stays in view
    expect(page.get_by_role("link", name="Aller à l'enregistrement")).to_be_in_viewport()


def test_the_accessibility_check_sees_a_violation(page: Page) -> None:
    """The axe-core helper is not a check that always passes."""
    page.set_content('<html lang="fr"><body><main><img src="x.png"></main></body></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


def test_the_bulletin_check_page_keeps_the_menu_and_reads_codes_with_the_camera(
    page: Page,
) -> None:
    """The session's fake camera shows a driver's LIC code, not a bulletin's: the page reads
    it in the browser and says so, without sending anything."""
    sign_in(page, "agent")
    page.click("nav >> text=Vérifier un bulletin")
    expect(page.get_by_role("navigation", name="Navigation principale")).to_contain_text("Scanner")
    page.click("#bulletin-camera")
    expect(page.locator("#bulletin-camera-etat")).to_contain_text(
        "ce n'est pas celui d'un bulletin", timeout=20_000
    )
    shot(page, "verifier-bulletin")


def test_a_code_made_three_days_ago_shows_the_days_as_the_rules_count_them(
    screen: Page, demo_world: Path
) -> None:
    page = screen
    issued = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=3)
    code, record = code_made(demo_world, issued, timedelta(days=4))
    expected = {d.isoformat(): m for d, m in day_totals(record, issued).items() if m}  # type: ignore[arg-type]
    assert any(m >= 60 for m in expected.values())  # "h" totals: the wording is checked too
    go_offline_on_the_scan_page(page)  # signed in, the scan page kept, then no network
    try:
        expect(page.locator("#confiance")).to_contain_text("hors ligne")  # its copy read
        page.fill("#code", code)
        page.click("#form-code button[type=submit]")
        verdict = page.locator("#verdict-hors-ligne")  # verified by the tablet: seconds
        expect(verdict).to_contain_text("il y a 3 jours", timeout=20_000)  # on a busy one
        offline = {
            row.get_attribute("data-jour"): minutes_in(row.locator("summary").inner_text())
            for row in page.locator(".jours-hors-ligne > li").all()
        }
        page.locator(".jours-hors-ligne > li").first.scroll_into_view_if_needed()
        shot(page, "code-de-trois-jours-hors-ligne")
    finally:
        page.context.set_offline(False)
    assert {day: minutes for day, minutes in offline.items() if minutes} == expected

    page.goto("/scan")  # back online: the server checks the same code
    page.fill("#code", code)
    page.click("#form-code button[type=submit]")
    expect(page.locator(".verdict")).to_contain_text("il y a 3 jours")
    shown = {
        row.get_attribute("id").removeprefix("jour-"): row.locator(".total-jour").inner_text()
        for row in page.locator(".jour:has(.total-jour)").all()
    }
    assert shown == {day: f"{spoken(minutes)} de travail" for day, minutes in expected.items()}
    # the activity still open when the code was made is drawn up to then, not up to now
    running = page.locator(".jour .periodes li", has_text="en cours").first.text_content() or ""
    begun = re.search(r"(\d\d):(\d\d)–en cours \((.+)\)", running)
    assert begun, running
    made = issued.astimezone(PARIS)
    drawn_until = int(begun[1]) * 60 + int(begun[2]) + minutes_spoken(begun[3])
    assert drawn_until % (24 * 60) == made.hour * 60 + made.minute, running
    page.locator(f"#jour-{made.date().isoformat()} summary").click()
    shot(page, "code-de-trois-jours")


def minutes_spoken(text: str) -> int:
    """ "1 h 40", "2 h", "35 min" back to minutes."""
    found = re.fullmatch(r"(\d+) h(?: (\d\d))?|(\d+) min", text)
    assert found, text
    return int(found[3]) if found[3] else int(found[1]) * 60 + int(found[2] or 0)


def minutes_in(line: str) -> int:
    """The total of a day as the tablet lists it offline: "jeu. 03/12/2026 : 2 h 54 de
    travail (en cours)"."""
    found = re.search(r" : (\d+) h (\d\d) de travail", line)
    assert found, line
    return int(found[1]) * 60 + int(found[2])
