"""The lists and the other pages around them, in Chromium at tablet and phone size: the
navigation on one row at 1280 px and behind the "Menu" button on a phone, every target a
gloved finger can hit, and axe-core in the light and dark themes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import TABLET, record_removal_control, sign_in
from tests.browser.journeys.axe import assert_accessible
from tests.browser.targets import assert_targets_large_enough

PHONE = {"width": 390, "height": 844}

# each role's pages (besides the scan, verdict and bulletin pages, checked elsewhere)
PAGES = {
    "agent": ["/controles", "/recherche?plaque=LI-390-ST", "/compte", "/en-attente"],
    "inspector": [
        "/controles",
        "/recherche?plaque=LI-390-ST",
        "/controles-entreprise",
        "/entreprises/{siren}",
    ],
    "admin": ["/admin/utilisateurs", "/admin/journal", "/compte"],
}


def screen_page(browser: Browser, live_server: str, size: dict[str, int], dark: bool) -> Page:
    context = browser.new_context(
        viewport=size,
        base_url=live_server,
        locale="fr-FR",
        color_scheme="dark" if dark else "light",
    )
    return context.new_page()


@pytest.fixture(scope="module")
def recorded_siren(browser: Browser, live_server: str, demo_world: Path) -> str:
    """A control recorded by the agent, so that the lists and the search have a row."""
    page = screen_page(browser, live_server, TABLET, dark=False)
    company = record_removal_control(page, demo_world, "LI-390-ST")
    page.context.close()
    found = re.search(r"\b(\d{9})\b", company)
    assert found, company
    return found.group(1)


def nav_tops(page: Page) -> list[float]:
    return list(
        page.evaluate(
            "() => [...document.querySelectorAll('#navigation-principale .fr-nav__item')]"
            ".filter((item) => item.getBoundingClientRect().width > 0)"
            ".map((item) => Math.round(item.getBoundingClientRect().top))"
        )
    )


@pytest.mark.parametrize("role", ["agent", "inspector", "admin"])
def test_the_navigation_stays_on_one_row_on_a_landscape_tablet(page: Page, role: str) -> None:
    sign_in(page, role)
    page.goto("/controles" if role != "admin" else "/admin/utilisateurs")
    tops = nav_tops(page)
    assert len(tops) >= 3, tops  # the entries are there, shown
    assert len(set(tops)) == 1, f"{role}: the menu wraps onto rows at {sorted(set(tops))}"
    expect(page.locator("#bouton-menu")).to_be_hidden()


@pytest.mark.parametrize("role", ["agent", "inspector", "admin"])
def test_on_a_phone_the_menu_button_opens_the_navigation(
    browser: Browser, live_server: str, role: str
) -> None:
    page = screen_page(browser, live_server, PHONE, dark=False)
    sign_in(page, role)
    page.goto("/recherche")
    navigation = page.locator("#navigation-principale")
    expect(navigation).to_be_hidden()  # folded: the page starts with its content
    page.get_by_role("button", name="Menu").click()
    expect(navigation).to_be_visible()
    current = navigation.get_by_role("link", name="Recherche", exact=True)
    expect(current).to_be_visible()
    expect(current).to_have_attribute("aria-current", "page")
    assert_targets_large_enough(page)
    current.click()  # a link of the open menu leads to its page
    expect(page).to_have_url(re.compile(r"/recherche$"))
    page.context.close()


def test_the_current_page_is_marked_in_the_navigation(page: Page) -> None:
    sign_in(page, "admin")
    page.goto("/admin/journal")
    menu = page.locator("#navigation-principale")
    expect(menu.locator("[aria-current]")).to_have_count(2)  # the group and its entry
    expect(menu.get_by_role("button", name="Administration")).to_have_attribute(
        "aria-current", "true"
    )
    page.goto("/controles")
    expect(menu.get_by_role("link", name="Contrôles", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(menu.get_by_role("link", name="Recherche", exact=True)).not_to_have_attribute(
        "aria-current", "page"
    )


@pytest.mark.parametrize("size", [TABLET, PHONE], ids=["tablette", "telephone"])
@pytest.mark.parametrize("role", ["agent", "inspector", "admin"])
def test_every_target_is_large_and_every_page_accessible_in_both_themes(
    browser: Browser, live_server: str, recorded_siren: str, role: str, size: dict[str, int]
) -> None:
    for dark in (False, True):
        page = screen_page(browser, live_server, size, dark)
        sign_in(page, role)
        page.wait_for_url(lambda url: "/connexion" not in url)
        for path in PAGES[role]:
            page.goto(path.format(siren=recorded_siren))
            expect(page.locator("html")).to_have_attribute(
                "data-fr-theme", "dark" if dark else "light"
            )
            if "plaque" in path or path == "/controles":
                expect(page.locator("#contenu table").first).to_contain_text("LI-390-ST")
            assert_targets_large_enough(page)
            assert_accessible(page)
        page.context.close()


@pytest.mark.parametrize("size", [TABLET, PHONE], ids=["tablette", "telephone"])
def test_the_sign_in_and_error_pages_are_large_and_accessible(
    browser: Browser, live_server: str, size: dict[str, int]
) -> None:
    for dark in (False, True):
        page = screen_page(browser, live_server, size, dark)
        page.goto("/connexion")
        page.fill("#login", "agent")
        page.fill("#password", "not-the-password")
        page.click("#form-connexion button[type=submit]")
        expect(page.get_by_role("alert")).to_be_visible()
        assert_targets_large_enough(page)
        assert_accessible(page)
        page.get_by_text("Afficher", exact=True).click()  # the DSFR's password box
        expect(page.locator("#password")).to_have_attribute("type", "text")
        page.goto("/hors-ligne")
        assert_targets_large_enough(page)
        assert_accessible(page)
        page.context.close()


def test_a_search_takes_french_dates_and_keeps_them_so(page: Page, recorded_siren: str) -> None:
    sign_in(page, "inspector")
    page.goto("/recherche?plaque=LI-390-ST")
    expect(page.locator("#resultats")).to_contain_text("1 contrôle")
    assert page.locator("#du").get_attribute("type") == "text"  # no picker in mm/dd/yyyy
    page.fill("#du", "01/01/2000")
    page.wait_for_url(re.compile(r"du=01%2F01%2F2000"))
    expect(page.locator("#resultats")).to_contain_text("1 contrôle")
    page.fill("#au", "31/12/2000")  # before the control: none
    expect(page.locator("#resultats")).to_contain_text("0 contrôle")
    page.fill("#au", "31/02/2099")  # no such day: said in French, the filter ignored
    expect(page.locator("#resultats .fr-alert")).to_contain_text(
        "Date de fin invalide : ignorée. Format attendu : JJ/MM/AAAA."
    )
    page.goto("/recherche?plaque=LI-390-ST&du=2000-01-01")  # an older link, in ISO
    expect(page.locator("#du")).to_have_value("01/01/2000")
    expect(page.locator("#resultats")).to_contain_text("1 contrôle")
