"""Images to QR texts: rendered codes, simulated phone photos, several codes, orientation."""

from __future__ import annotations

import io
from collections.abc import Callable

import cv2
import pytest
import segno
from PIL import Image

from control.capture.decode import Pass, _bend, decode_image, read_zxing, scan
from control.capture.images import gray_pixels
from control.capture.simulate import Conditions, phone_photo
from tests.capture.conftest import encode


def test_a_screenshot_of_a_lic_code_is_read_exactly(
    lic_text: str, rendered: Callable[..., Image.Image]
) -> None:
    decoded = decode_image(encode(rendered(lic_text), "PNG"))
    assert decoded.texts == [lic_text]
    assert decoded.lic is not None
    assert decoded.lic.decoder == "zxing-cpp"
    assert len(decoded.lic.corners) == 4


@pytest.mark.parametrize(
    "conditions",
    [
        Conditions(tilt=0.12),
        Conditions(blur=1.5),
        Conditions(glare=160),
        Conditions(downscale=0.5),
        Conditions(tilt=0.1, blur=1.2, glare=120, downscale=0.7),
    ],
    ids=["tilt", "blur", "glare", "moire", "combined"],
)
def test_a_photo_of_a_phone_screen_is_read(lic_text: str, conditions: Conditions) -> None:
    decoded = decode_image(phone_photo(lic_text, conditions, seed=3), lic_only=True)
    assert decoded.lic is not None
    assert decoded.lic.text == lic_text


def test_every_code_in_the_image_is_returned_top_to_bottom(
    lic_text: str, rendered: Callable[..., Image.Image]
) -> None:
    url = rendered("https://mobilic.beta.gouv.fr/control/verify-history?token=x", 6)
    lic = rendered(lic_text)
    sheet = Image.new("L", (max(url.width, lic.width), url.height + lic.height + 40), 255)
    sheet.paste(url, (0, 0))
    sheet.paste(lic, (0, url.height + 40))
    decoded = decode_image(encode(sheet, "PNG"))
    assert decoded.texts == [
        "https://mobilic.beta.gouv.fr/control/verify-history?token=x",
        lic_text,
    ]


def test_an_image_without_a_code_gives_no_text() -> None:
    blank = Image.effect_noise((640, 480), 40)
    decoded = decode_image(encode(blank, "JPEG"))
    assert decoded.codes == ()


def test_exif_orientation_is_honoured(lic_text: str, rendered: Callable[..., Image.Image]) -> None:
    code = rendered(lic_text)
    tall = Image.new("L", (code.width, code.height * 2), 255)
    tall.paste(code, (0, 0))
    stored = tall.rotate(90, expand=True)  # as a phone stores a portrait shot
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    decoded = decode_image(encode(stored, "JPEG", quality=95, exif=exif.tobytes()))
    assert (decoded.width, decoded.height) == (tall.width, tall.height)
    assert decoded.texts == [lic_text]
    top = min(y for _, y in decoded.codes[0].corners)
    assert top < tall.height / 2  # the code is in the upper half once upright


@pytest.mark.parametrize("fmt", ["WEBP", "PNG", "JPEG"])
def test_common_formats_are_read(
    fmt: str, lic_text: str, rendered: Callable[..., Image.Image]
) -> None:
    data = encode(rendered(lic_text).convert("RGB"), fmt, quality=90)
    assert decode_image(data).texts == [lic_text]


def test_heic_photos_are_read(lic_text: str, rendered: Callable[..., Image.Image]) -> None:
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    data = encode(rendered(lic_text, 6).convert("RGB"), "HEIF", quality=90)
    assert decode_image(data).texts == [lic_text]


def _fixed(text: str) -> Callable[..., list[tuple[str, list[tuple[int, int]]]]]:
    return lambda gray: [(text, [(0, 0), (1, 0), (1, 1), (0, 1)])]


def test_a_weak_decoder_alone_is_not_believed() -> None:
    gray = gray_pixels(Image.new("L", (64, 64), 255))
    weak = Pass("weak", "zbar", _fixed("guess"), needs_confirmation=True)
    nothing = Pass("none", "zxing-cpp", lambda gray: [])
    assert scan(gray, passes=(weak, nothing)) == []


def test_a_weak_decoder_confirmed_by_another_view_is_believed() -> None:
    gray = gray_pixels(Image.new("L", (64, 64), 255))
    first = Pass("weak", "zbar", _fixed("text"), needs_confirmation=True)
    second = Pass("weak-again", "zbar", _fixed("text"), needs_confirmation=True)
    [found] = scan(gray, passes=(first, second))
    assert found.text == "text"


def test_asking_for_a_lic_code_goes_on_past_other_codes(lic_text: str) -> None:
    gray = gray_pixels(Image.new("L", (64, 64), 255))
    url = Pass("url", "zxing-cpp", _fixed("https://example.org"))
    lic = Pass("lic", "zxing-cpp", _fixed(lic_text))
    assert [c.text for c in scan(gray, passes=(url, lic))] == ["https://example.org"]
    texts = {c.text for c in scan(gray, lic_only=True, passes=(url, lic))}
    assert texts == {"https://example.org", lic_text}


def test_a_segno_code_in_byte_mode_with_accents_is_read() -> None:
    text = "Contrôle LIC — relevé n° 12"
    buffer = io.BytesIO()
    segno.make_qr(text, encoding="utf-8").save(buffer, kind="png", scale=5)
    assert decode_image(buffer.getvalue()).texts == [text]


def test_a_code_on_a_curved_surface_is_read() -> None:
    text = "https://example.org/a-code-printed-on-a-sleeve-" + "x" * 60
    buffer = io.BytesIO()
    segno.make_qr(text, error="l").save(buffer, kind="png", scale=5, border=6)
    flat = gray_pixels(Image.open(io.BytesIO(buffer.getvalue())))
    bowed = cv2.GaussianBlur(_bend(flat, 0.0, -0.06), (0, 0), 1.0)
    assert read_zxing()(bowed) == []  # a single straight reading fails
    assert [c.text for c in scan(bowed)] == [text]
