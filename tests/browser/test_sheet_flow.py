"""Transcribing paper daily sheets on a tablet by touch, beside the photos of the pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from playwright.sync_api import CDPSession, Page, expect

from control.capture.simulate import page_photo
from control.rules.timeline import PARIS
from tests.browser.conftest import sign_in


def drag(page: Page, touch: CDPSession, first: int, last: int, step: int = 1) -> None:
    """One finger from quarter `first` to quarter `last` (same row), through every cell; a
    fast swipe (`step` > 1) is seen by the page only every `step` cells."""
    page.locator(f'.quart[data-index="{first}"]').scroll_into_view_if_needed()
    settled(page, f'.quart[data-index="{first}"]')
    points = []
    for index in [*range(first, last, step), last]:
        box = page.locator(f'.quart[data-index="{index}"]').bounding_box()
        assert box is not None
        points.append({"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2})
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [points[0]]})
    for point in points[1:]:
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    # the finger rests on the last quarter before lifting: a fast lift is a fling, and
    # Chromium swallows the next tap to stop it
    page.wait_for_timeout(150)
    touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [points[-1]]})
    page.wait_for_timeout(150)
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def settled(page: Page, selector: str) -> None:
    """Wait until the element stops moving (a smooth scroll may still be running)."""
    previous = None
    for _ in range(50):
        box = page.locator(selector).bounding_box()
        if box == previous:
            return
        previous = box
        page.wait_for_timeout(50)
    raise AssertionError(f"{selector} kept moving")


def choose(page: Page, letter: str) -> None:
    page.locator(f'input[name="marque"][value="{letter}"]').tap()
    expect(page.locator(f'input[name="marque"][value="{letter}"]')).to_be_checked()


def typed_rows(page: Page) -> list[str]:
    """The typed periods as the agent reads them: "07:00 – 11:00 A"."""
    return [
        f"{row.locator('[name=periode_debut]').input_value()} – "
        f"{row.locator('[name=periode_fin]').input_value()} "
        f"{row.locator('[name=periode_activite]').input_value()}"
        for row in page.locator("#periodes-saisies .periode").all()
    ]


def type_periods(page: Page, periods: list[tuple[str, str, str]]) -> None:
    """Typed as an agent would: each row's start, end and activity, a new row for the next.
    The rows are written again from the grid after each one: the n-th row is the last."""
    for start, end, letter in periods:
        rows = page.locator("#periodes-saisies .periode")
        last = rows.last
        if last.locator("[name=periode_debut]").input_value():
            page.click("#ajouter-periode")
            last = rows.last
        last.locator("[name=periode_debut]").fill(start)
        last.locator("[name=periode_fin]").fill(end)
        last.locator("[name=periode_activite]").select_option(letter)


def open_paper_control_with_two_photos(
    page: Page, folder: Path, on_form: Callable[[Page], None] | None = None
) -> None:
    """`on_form` sees the empty form (a journey's screenshot and accessibility check)."""
    sign_in(page, "agent")
    page.goto("/controles/nouveau?type=paper")
    if on_form is not None:
        on_form(page)
    page.fill("#driver_name", "Léa Martin")
    page.fill("#departement", "69")
    page.fill("#commune", "Lyon")
    page.click("button:has-text('Enregistrer le contrôle')")
    files = []
    for n in range(2):
        path = folder / f"page-{n}.jpg"
        path.write_bytes(page_photo(n))
        files.append(str(path))
    page.set_input_files("#photos-fichiers", files)
    page.click("#form-photos button[type=submit]")
    expect(page.locator(".pages li")).to_have_count(2, timeout=20_000)
    # the upload's answer settles before the agent taps a page (a tap during the swap that
    # follows it went to an element already replaced, once, on a loaded CI machine)
    page.wait_for_load_state("networkidle")


def test_two_sheets_drawn_by_touch_give_the_findings(touch_page: Page, tmp_path: Path) -> None:
    page = touch_page
    open_paper_control_with_two_photos(page, tmp_path)
    today = datetime.now(PARIS).date()
    touch = page.context.new_cdp_session(page)

    # Sheet 1, drawn by finger only: rest 00–07, driving 07–11, rest 11–24.
    page.locator(".pages li").nth(0).locator("text=Transcrire").tap()
    expect(page.locator(".photo-transcrite img")).to_be_visible()
    page.fill("#day", (today - timedelta(days=2)).strftime("%d/%m/%Y"))
    page.select_option("#sector", "goods-regional")
    choose(page, "D")
    drag(page, touch, 0, 23)
    drag(page, touch, 24, 27)
    choose(page, "A")
    drag(page, touch, 28, 43)
    choose(page, "D")
    drag(page, touch, 44, 47)
    drag(page, touch, 48, 71)
    drag(page, touch, 72, 95)
    expect(page.locator("#traces")).to_contain_text("A 4 h 00 · B 0 h 00 · C 0 h 00 · D 20 h 00")
    expect(page.locator("#periodes-saisies .periode")).to_have_count(3)
    assert typed_rows(page) == ["00:00 – 07:00 D", "07:00 – 11:00 A", "11:00 – 24:00 D"]
    page.locator("button:has-text('Enregistrer la feuille')").tap()
    expect(page.locator("#feuilles .feuilles li")).to_have_count(1)  # the sheet
    expect(page.locator("#feuilles .infractions li")).to_have_text(["Aucune."])

    # Sheet 2: typed, then 12:00–19:00 of driving added by finger (13 h of work that day).
    page.locator(".pages li").nth(1).locator("text=Transcrire").tap()
    page.fill("#day", (today - timedelta(days=1)).strftime("%d/%m/%Y"))
    type_periods(page, [("00:00", "05:00", "D"), ("05:00", "11:00", "A"), ("11:00", "24:00", "D")])
    choose(page, "A")
    drag(page, touch, 48, 71)
    drag(page, touch, 72, 75)
    expect(page.locator("#traces")).to_contain_text("A 13 h 00")
    page.fill("#total_a", "11:00")
    page.locator("button:has-text('Enregistrer la feuille')").tap()

    section = page.locator("#feuilles")
    expect(section).to_contain_text("NATINF 11292")
    expect(section).to_contain_text("sur transcription du livret papier")
    expect(section).to_contain_text("Total A écrit 11 h 00, tracé 13 h 00.")


def test_a_fast_swipe_paints_every_quarter_it_crosses(touch_page: Page, tmp_path: Path) -> None:
    page = touch_page
    open_paper_control_with_two_photos(page, tmp_path)
    touch = page.context.new_cdp_session(page)
    page.locator(".pages li").nth(0).locator("text=Transcrire").tap()
    choose(page, "A")
    drag(page, touch, 28, 43, step=5)  # 07:00 to 11:00, the finger seen every 1 h 15
    expect(page.locator("#traces")).to_contain_text("A 4 h 00")
