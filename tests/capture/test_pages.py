"""Photos of paper LIC pages come back upright, rectangular, clean and without metadata."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
from PIL import Image

from control.capture.errors import NotAnImageError
from control.capture.pages import LONG_SIDE, scan_page
from control.capture.simulate import MARKS, PAGE_SIZE, page_photo


def marks(jpeg: bytes) -> list[tuple[float, float]]:
    """Centres of the four black corner marks, as fractions of the scan's size."""
    page = np.asarray(Image.open(io.BytesIO(jpeg)).convert("L"))
    dark = (page < 60).astype(np.uint8)
    count, _, stats, centres = cv2.connectedComponentsWithStats(dark)
    side = 50 / PAGE_SIZE[0] * page.shape[1]  # a mark is 50 px wide on the page
    blobs = [
        (centres[i][0] / page.shape[1], centres[i][1] / page.shape[0])
        for i in range(1, count)
        if stats[i, cv2.CC_STAT_AREA] > 0.6 * side * side
        and 0.7 < stats[i, cv2.CC_STAT_WIDTH] / stats[i, cv2.CC_STAT_HEIGHT] < 1.4
        and stats[i, cv2.CC_STAT_AREA]
        > 0.8 * stats[i, cv2.CC_STAT_WIDTH] * stats[i, cv2.CC_STAT_HEIGHT]  # solid squares
    ]
    return sorted(blobs, key=lambda p: (round(p[1]), p[0]))


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 8.0)}
    exif[0x010F] = "PhoneMaker"
    return exif.tobytes()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_page_photographed_at_an_angle_comes_back_rectangular(seed: int) -> None:
    scan = scan_page(page_photo(seed, tilt=0.15))
    assert scan.corners is not None
    found = marks(scan.jpeg)
    assert len(found) == 4
    for (x, y), (ex, ey) in zip(
        found, sorted(MARKS, key=lambda p: (round(p[1]), p[0])), strict=True
    ):
        assert abs(x - ex) < 0.02
        assert abs(y - ey) < 0.02


def test_the_page_keeps_its_proportions() -> None:
    scan = scan_page(page_photo(4, tilt=0.15))
    expected = PAGE_SIZE[0] / PAGE_SIZE[1]
    assert abs(scan.width / scan.height - expected) / expected < 0.03


def test_the_scan_is_a_jpeg_of_readable_size_without_metadata() -> None:
    photo = page_photo(5, exif=gps_exif())
    assert Image.open(io.BytesIO(photo)).getexif().get(0x8825) is not None
    scan = scan_page(photo)
    image = Image.open(io.BytesIO(scan.jpeg))
    assert image.format == "JPEG"
    assert max(image.size) <= LONG_SIDE
    assert max(image.size) > 0.9 * LONG_SIDE
    assert len(image.getexif()) == 0
    assert b"Exif" not in scan.jpeg[:200]


def test_the_original_photo_is_kept_untouched() -> None:
    photo = page_photo(6)
    assert scan_page(photo).original == photo


def test_a_sharp_photo_passes_and_a_blurred_one_asks_for_a_retake() -> None:
    assert not scan_page(page_photo(7)).blurred
    assert scan_page(page_photo(7, blur=8)).blurred


def test_without_a_page_outline_the_whole_frame_is_kept() -> None:
    noise = Image.effect_noise((1200, 900), 30).convert("RGB")
    out = io.BytesIO()
    noise.save(out, "JPEG")
    scan = scan_page(out.getvalue())
    assert scan.corners is None
    assert (scan.width, scan.height) == (1200, 900)


def test_a_file_that_is_not_a_photo_is_refused() -> None:
    with pytest.raises(NotAnImageError):
        scan_page(b"%PDF-1.7 not a photo")
