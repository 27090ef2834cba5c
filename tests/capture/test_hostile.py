"""Hostile and broken files: a typed error with a French and an English message, at once."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image

from control.capture import errors
from control.capture.decode import decode_image
from control.capture.hostile import png_claiming
from control.capture.images import Limits
from tests.capture.conftest import encode


def test_a_60000_by_60000_header_is_refused_before_decoding() -> None:
    with pytest.raises(errors.TooManyPixelsError):
        decode_image(png_claiming(60_000, 60_000))


def test_a_decompression_bomb_is_refused_from_its_header() -> None:
    bomb = Image.new("1", (8_000, 8_000))  # 64 MP of zeros: a few kB compressed
    data = encode(bomb, "PNG", optimize=True)
    assert len(data) < 100_000
    with pytest.raises(errors.TooManyPixelsError):
        decode_image(data)


def test_a_one_pixel_image_is_too_small() -> None:
    with pytest.raises(errors.TooSmallError):
        decode_image(encode(Image.new("L", (1, 1)), "PNG"))


def test_a_truncated_jpeg_is_reported_as_damaged(
    lic_text: str, rendered: Callable[..., Image.Image]
) -> None:
    data = encode(rendered(lic_text), "JPEG", quality=90)
    with pytest.raises(errors.TruncatedImageError):
        decode_image(data[: len(data) // 2])


def test_text_renamed_jpg_is_not_an_image() -> None:
    with pytest.raises(errors.NotAnImageError):
        decode_image(b"LIC1:this is text, not a photo\n" * 10)


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(errors.EmptyFileError):
        decode_image(b"")


def test_a_file_over_the_byte_limit_is_refused_unread() -> None:
    with pytest.raises(errors.FileTooLargeError):
        decode_image(b"\xff\xd8" + b"\0" * 2000, limits=Limits(max_bytes=1000))


def test_an_animated_image_is_refused() -> None:
    frames = [Image.new("L", (64, 64), shade) for shade in (0, 255)]
    out = io.BytesIO()
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:])
    with pytest.raises(errors.AnimatedImageError):
        decode_image(out.getvalue())


@pytest.mark.parametrize("fmt", ["BMP", "GIF", "TIFF"])
def test_other_formats_are_refused(fmt: str) -> None:
    with pytest.raises(errors.UnsupportedFormatError):
        decode_image(encode(Image.new("L", (64, 64)), fmt))


def test_every_error_speaks_french_and_english() -> None:
    kinds = [
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, errors.CaptureError)
    ]
    assert len({kind.code for kind in kinds}) == len(kinds)
    for kind in kinds:
        assert kind.message_fr
        assert kind.message_en
        assert kind.message_fr != kind.message_en


def test_truncated_images_stay_refused_once_the_pdf_engine_is_loaded(
    lic_text: str, rendered: Callable[..., Image.Image]
) -> None:
    import control.bulletins.pdf  # noqa: F401 - WeasyPrint relaxes Pillow when imported

    data = encode(rendered(lic_text), "JPEG", quality=90)
    with pytest.raises(errors.TruncatedImageError):
        decode_image(data[: len(data) // 2])
