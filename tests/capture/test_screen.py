"""The screen and the time budget: an unreadable frame is answered without the costly
passes, and no image holds the decoder past its budget."""

from __future__ import annotations

import io
import time
from collections.abc import Callable

import cv2
import numpy as np
import pytest
import segno
from PIL import Image

from control.capture.decode import (
    OUT_OF_TIME,
    PASSES,
    SCREENED,
    Pass,
    _bend,
    decode_image,
    read_bent,
    search,
)
from control.capture.images import Limits, gray_pixels
from control.capture.screen import finders, outline_a_code
from control.capture.simulate import Conditions, phone_photo, scene_photo
from tests.capture.conftest import encode

COSTLY = {step.name for step in PASSES if step.costly}
FRAME = (1280, 720)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_an_empty_scene_is_answered_without_the_costly_passes(seed: int) -> None:
    decoded = decode_image(scene_photo(seed, FRAME), lic_only=True)
    assert decoded.codes == ()
    assert decoded.stopped == SCREENED
    assert decoded.ran  # the cheap passes did run
    assert not COSTLY & set(decoded.ran)


def test_a_code_blurred_beyond_its_modules_stops_at_the_screen(lic_text: str) -> None:
    # σ 4.5: the finders' rings are gone. At σ 3 a quarter of codes (their text changes with
    # each session's key) still show three finders and go on to the costly passes, within
    # a budget (tests below).
    photo = phone_photo(lic_text, Conditions(blur=4.5, frame=FRAME), seed=1)
    decoded = decode_image(photo, lic_only=True)
    assert decoded.lic is None
    assert decoded.stopped == SCREENED
    assert not COSTLY & set(decoded.ran)


def _bowed(text: str) -> np.ndarray:
    buffer = io.BytesIO()
    segno.make_qr(text, error="l").save(buffer, kind="png", scale=5, border=6)
    flat = gray_pixels(Image.open(io.BytesIO(buffer.getvalue())))
    return cv2.GaussianBlur(_bend(flat, 0.0, -0.06), (0, 0), 1.0)


def test_the_costly_passes_read_the_code_where_the_finders_are() -> None:
    text = "https://example.org/a-code-printed-on-a-sleeve-" + "x" * 60
    code = _bowed(text)
    page = np.full((code.shape[0] + 600, code.shape[1] + 900), 255, np.uint8)
    page[400 : 400 + code.shape[0], 700 : 700 + code.shape[1]] = code
    decoded = decode_image(encode(Image.fromarray(page), "PNG"))
    assert decoded.texts == [text]
    assert decoded.codes[0].step in COSTLY
    xs = sorted(x for x, _ in decoded.codes[0].corners)
    ys = sorted(y for _, y in decoded.codes[0].corners)
    assert 700 <= xs[0] < xs[-1] <= 700 + code.shape[1]  # in the page's pixels
    assert 400 <= ys[0] < ys[-1] <= 400 + code.shape[0]


def _slow(gray: np.ndarray) -> list[tuple[str, list[tuple[int, int]]]]:
    time.sleep(0.05)
    return []


def _guess(gray: np.ndarray) -> list[tuple[str, list[tuple[int, int]]]]:
    return [("LIC1:guess", [(0, 0), (1, 0), (1, 1), (0, 1)])]


def test_past_the_budget_the_search_stops_and_reads_nothing() -> None:
    gray = gray_pixels(Image.new("L", (64, 64), 255))
    passes = (
        Pass("weak", "zbar", _guess, needs_confirmation=True),
        Pass("slow", "zxing-cpp", _slow),
        Pass("confirming", "zbar", _guess, needs_confirmation=True),
    )
    result = search(gray, passes=passes, deadline=time.perf_counter() + 0.02)
    assert result.ran == ("weak", "slow")
    assert result.stopped == OUT_OF_TIME
    assert result.codes == ()  # the unconfirmed read is not a text


def test_the_surface_bends_stop_at_the_deadline() -> None:
    bowed = _bowed("https://example.org/a-code-printed-on-a-sleeve-" + "x" * 60)
    assert read_bent(bowed) != []
    assert read_bent(bowed, deadline=time.perf_counter()) == []


def test_a_spent_budget_answers_not_read(lic_text: str) -> None:
    photo = phone_photo(lic_text, Conditions(), seed=2)
    assert decode_image(photo, lic_only=True).lic is not None
    decoded = decode_image(photo, lic_only=True, limits=Limits(budget_ms=0))
    assert decoded.codes == ()
    assert decoded.stopped == OUT_OF_TIME


def test_a_light_code_on_a_dark_screen_has_finders_too(
    lic_text: str, rendered: Callable[..., Image.Image]
) -> None:
    code = np.asarray(rendered(lic_text, 3))
    frame = np.full((720, 1280), 128, np.uint8)
    frame[60 : 60 + code.shape[0], 300 : 300 + code.shape[1]] = code
    assert outline_a_code(finders(frame))
    assert outline_a_code(finders(255 - frame))  # a phone in dark mode
    assert not outline_a_code(finders(np.full((720, 1280), 128, np.uint8)))
