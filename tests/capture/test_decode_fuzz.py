"""The decoder never raises on a real photo, however it is cropped, turned or seen in
perspective: crops of the public zxing photos (../shared/qr-photos), with a fixed seed.

zxing-cpp can "locate" a damaged code as one point at the origin, or a code in perspective
partly outside the image; the surface bends were then tried on an empty crop (cv2.error in
`remap`, a traceback from `lic-control decode`)."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageFilter

from control.capture.decode import PASSES, Gray, decode_image, read_bent, scan
from control.cli import app

PHOTOS = Path(
    os.environ.get(
        "LIC_CONTROL_QR_PHOTOS", Path(__file__).resolve().parents[3] / "shared" / "qr-photos"
    )
)
# a few photos of each kind: damaged, tilted, in perspective, small and large
SAMPLE = ("qrcode-2/11", "qrcode-2/26", "qrcode-2/13", "qrcode-4/05", "qrcode-4/33", "qrcode-5/16")


def photo(name: str) -> Image.Image:
    path = PHOTOS / f"{name}.png"
    if not path.exists():
        pytest.skip(f"no photo set at {PHOTOS} (set LIC_CONTROL_QR_PHOTOS)")
    return Image.open(path).convert("L")


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_a_damaged_code_located_as_a_point_is_not_bent(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    blurred = tmp_path / "blurred.png"
    blurred.write_bytes(png(photo("qrcode-2/11").filter(ImageFilter.GaussianBlur(1.2))))
    result = CliRunner().invoke(app, ["decode", str(blurred)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1)


def test_a_larger_view_of_a_code_in_perspective_does_not_raise() -> None:
    image = photo("qrcode-2/26")
    doubled = image.resize((image.width * 2, image.height * 2), Image.Resampling.BICUBIC)
    decode_image(png(doubled), lic_only=True)  # the scan page goes through every pass


def test_cli_decode_says_in_french_why_a_file_is_unreadable(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    (tmp_path / "page.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    result = CliRunner().invoke(app, ["decode", str(tmp_path / "page.png")])
    assert result.exit_code != 0
    assert "n'est pas une image" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def _views(gray: Gray, rng: np.random.Generator, count: int) -> list[Gray]:
    """Random crops, rotations and perspective warps of `gray` (codes cut at the edges too)."""
    views = []
    height, width = gray.shape
    for _ in range(count):
        top, left = int(rng.integers(0, height // 2)), int(rng.integers(0, width // 2))
        bottom = int(rng.integers(top + 21, height + 1))
        right = int(rng.integers(left + 21, width + 1))
        crop = gray[top:bottom, left:right]
        h, w = crop.shape
        square = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        moved = square + rng.normal(0, 0.15 * min(w, h), (4, 2)).astype(np.float32)
        warp = cv2.getPerspectiveTransform(square, moved)
        view = cv2.warpPerspective(crop, warp, (w, h), borderValue=int(rng.integers(0, 256)))
        turn = cv2.getRotationMatrix2D((w / 2, h / 2), float(rng.uniform(0, 360)), 1.0)
        views.append(np.ascontiguousarray(cv2.warpAffine(view, turn, (w, h), borderValue=255)))
    return views


PREPARED: tuple[Callable[[Gray], Gray], ...] = tuple(
    dict.fromkeys(step.prepare for step in PASSES)  # each view the passes make, once
)


def test_the_decoder_never_raises_on_crops_turns_and_warps() -> None:
    rng = np.random.default_rng(19)
    for name in SAMPLE:
        gray = np.asarray(photo(name))
        for view in [gray, *_views(gray, rng, 20)]:
            scan(view, lic_only=True)  # every pass, as for the scan page
            for prepare in PREPARED:  # the bends on every view, not only where scan stops
                read_bent(prepare(view))
