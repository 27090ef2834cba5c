"""Images to QR texts.

This first version reads clean renderings and screenshots with zbar (pyzbar). The robust
pipeline for roadside photos (zxing-cpp, preprocessing retries, size limits) is issue #5.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from pyzbar import pyzbar

MAX_PIXELS = 50_000_000


class ImageError(ValueError):
    """The file is not an image we can read, or is too large."""


def decode_image(data: bytes) -> list[str]:
    """Every QR text found in the image, in reading order."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ImageError(f"image of {image.width}×{image.height} pixels is too large")
            gray = ImageOps.exif_transpose(image).convert("L")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as error:
        if isinstance(error, ImageError):
            raise
        raise ImageError(f"not a readable image: {error}") from None
    found = pyzbar.decode(gray, symbols=[pyzbar.ZBarSymbol.QRCODE])
    found.sort(key=lambda symbol: (symbol.rect.top, symbol.rect.left))
    return [symbol.data.decode("utf-8", errors="replace") for symbol in found]


def decode_file(path: Path) -> list[str]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImageError(f"cannot read {path}: {error.strerror}") from None
    return decode_image(data)
