"""Bytes of an uploaded image → pixels, with the checks a hostile upload needs.

The header is read first (format, size, frames) and the limits applied before any pixel is
decoded, so a decompression bomb costs nothing. EXIF orientation is applied, because
phones store portrait photos as rotated landscape pixels.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps, UnidentifiedImageError

from control.capture.errors import (
    AnimatedImageError,
    EmptyFileError,
    FileTooLargeError,
    NotAnImageError,
    TooManyPixelsError,
    TooSmallError,
    TruncatedImageError,
    UnsupportedFormatError,
)

FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
MIN_SIDE = 21  # a version-1 QR code without a quiet zone


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 25_000_000
    max_pixels: int = 40_000_000  # Settings.max_image_pixels
    # the decoder's time for one image, loading included (Settings.decode_budget_ms, or
    # frame_budget_ms for a live camera frame): past it, "not read", never a guess
    budget_ms: float = 1500.0


DEFAULT_LIMITS = Limits()


@cache
def _register_heif() -> bool:
    """HEIC photos (iPhones) through pillow-heif, if its wheel is installed."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return False
    register_heif_opener()
    return True


def open_image(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Image.Image:
    """The image, oriented upright, fully loaded; a CaptureError for anything unusable."""
    if not data:
        raise EmptyFileError()
    if len(data) > limits.max_bytes:
        raise FileTooLargeError(f"{len(data)} bytes, at most {limits.max_bytes}")
    _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise TooManyPixelsError(str(error)) from None
    except UnidentifiedImageError:
        raise NotAnImageError() from None
    except (OSError, ValueError, SyntaxError) as error:
        raise NotAnImageError(str(error)) from None
    if image.format not in FORMATS:
        raise UnsupportedFormatError(str(image.format))
    width, height = image.size
    if width * height > limits.max_pixels:
        raise TooManyPixelsError(f"{width}×{height}")
    if min(width, height) < MIN_SIDE:
        raise TooSmallError(f"{width}×{height}")
    if getattr(image, "n_frames", 1) > 1:
        raise AnimatedImageError()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning) as error:
        raise TruncatedImageError(str(error)) from None
    except Image.DecompressionBombError as error:
        raise TooManyPixelsError(str(error)) from None
    return upright


def gray_pixels(image: Image.Image) -> NDArray[np.uint8]:
    """8-bit luminance, what every QR decoder works on."""
    return np.asarray(image.convert("L"), dtype=np.uint8)
