"""Images → every QR text in them, as robustly as a roadside photo needs, in a bounded time.

zxing-cpp reads most frames at once, in a few milliseconds (its two binarizers, and a
half-size view of a huge photo). When it finds nothing, a screen looks for finder patterns
(`screen.py`): a frame without any (an empty scene, a code blurred beyond its modules) is
answered there. Where finders are seen, the costly retries run on the code's region only,
each a different view of the same pixels: a 2× upscale of small codes, an adaptive
threshold, denoising, local contrast, sharpening, codes zxing-cpp locates but cannot decode
re-read under a few bends of their surface, zbar (pyzbar) on its own preprocessing, and
OpenCV's detector last. The first pass that reads something ends the search, or, when only a
`LIC1:` code is wanted, the first pass that reads one; past the time budget, the search
stops and answers what it has read (never a guess). Error correction makes a wrong text
practically impossible, and texts that are not valid UTF-8 are dropped rather than guessed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import cv2
import numpy as np
import zxingcpp
from numpy.typing import NDArray
from pyzbar import pyzbar

from control.capture.errors import CaptureError
from control.capture.images import DEFAULT_LIMITS, MIN_SIDE, Limits, gray_pixels, open_image
from control.capture.screen import finders, outline_a_code, region
from control.verify.mobilic import read_mobilic

Gray = NDArray[Any]  # OpenCV's stubs type every image loosely
Point = tuple[int, int]
LIC_PREFIX = "LIC1:"
QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
SMALL = 1600  # long side under which an upscaled view is tried (small modules)
LARGE = 2400  # long side above which a downscaled view is tried


@dataclass(frozen=True)
class Found:
    text: str
    corners: tuple[Point, ...]  # in the upright image's pixels, clockwise from top left
    decoder: str  # "zxing-cpp", "zbar" or "opencv"
    step: str  # the pass that read it, for the benchmark and the log

    @property
    def is_lic(self) -> bool:
        return self.text.startswith(LIC_PREFIX)

    @property
    def is_mobilic(self) -> bool:
        return read_mobilic(self.text) is not None

    @property
    def is_wanted(self) -> bool:
        """A code the agent may be shown: a LIC, or a Mobilic link to consult."""
        return self.is_lic or self.is_mobilic


@dataclass(frozen=True)
class Scan:
    """What the passes read, which of them ran, and why the search stopped early if it did."""

    codes: tuple[Found, ...]
    ran: tuple[str, ...]
    stopped: str = ""  # "" (read, or every pass ran), SCREENED or OUT_OF_TIME


SCREENED = "no finder pattern"
OUT_OF_TIME = "time budget spent"


@dataclass(frozen=True)
class Decoded:
    codes: tuple[Found, ...]
    width: int
    height: int
    ms: float
    ran: tuple[str, ...] = ()  # the passes that ran, in order
    stopped: str = ""  # see Scan.stopped

    @property
    def texts(self) -> list[str]:
        return [code.text for code in self.codes]

    @property
    def lic(self) -> Found | None:
        return next((code for code in self.codes if code.is_lic), None)

    @property
    def mobilic(self) -> Found | None:
        return next((code for code in self.codes if code.is_mobilic), None)


Reader = Callable[[Gray], list[tuple[str, list[Point]]]]
StoppableReader = Callable[[Gray, float], list[tuple[str, list[Point]]]]  # and a deadline


def read_zxing(
    binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage,
) -> Reader:
    def read(gray: Gray) -> list[tuple[str, list[Point]]]:
        found = []
        for barcode in zxingcpp.read_barcodes(
            gray,
            formats=QR_ONLY,
            binarizer=binarizer,
            text_mode=zxingcpp.TextMode.Plain,
        ):
            p = barcode.position
            corners = [p.top_left, p.top_right, p.bottom_right, p.bottom_left]
            found.append((barcode.text, [(c.x, c.y) for c in corners]))
        return found

    return read


BENDS = tuple(
    sorted(
        (
            (across, down)
            for across in (-0.06, -0.03, 0.0, 0.03, 0.06)
            for down in (-0.06, -0.03, 0.0, 0.03, 0.06)
            if across or down
        ),
        key=lambda bend: abs(bend[0]) + abs(bend[1]),
    )
)


def _bend(crop: Gray, across: float, down: float) -> Gray:
    """Undo a bow of the code's surface (a sleeve, a bottle, a folded sheet): shift each
    column by up to `across` of the width, following a half sine down the code, and each row
    likewise by `down`."""
    height, width = crop.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    u, v = xs / max(1, width - 1), ys / max(1, height - 1)
    map_x = xs + across * width * np.sin(np.pi * v) * (u - 0.5) * 2
    map_y = ys + down * height * np.sin(np.pi * u) * (v - 0.5) * 2
    return cv2.remap(
        crop,
        map_x.astype(np.float32),
        map_y.astype(np.float32),
        cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_REPLICATE,
    )


def read_bent(gray: Gray, deadline: float = float("inf")) -> list[tuple[str, list[Point]]]:
    """Codes zxing-cpp locates but cannot decode, read again under a few surface bends, the
    slightest first, until `deadline` (a `time.perf_counter()` value)."""
    located = zxingcpp.read_barcodes(gray, formats=QR_ONLY, return_errors=True)
    for barcode in sorted(located, key=_area, reverse=True)[:2]:
        if barcode.valid:
            continue
        p = barcode.position
        corners = [(c.x, c.y) for c in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)]
        crop = _around(gray, corners)
        if crop is None:
            continue
        for across, down in BENDS:
            if time.perf_counter() > deadline:
                return []
            bent = _bend(crop, across, down)
            for binarizer in (zxingcpp.Binarizer.GlobalHistogram, zxingcpp.Binarizer.LocalAverage):
                for text, _ in read_zxing(binarizer)(bent):
                    return [(text, corners)]
    return []


def _around(gray: Gray, corners: list[Point]) -> Gray | None:
    """The code's box with an eighth of margin, inside the image; None when zxing-cpp's
    position is degenerate (a damaged code can be "located" as one point at the origin, a
    code in perspective partly outside the image): no code fits in what is left."""
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    margin = max(max(xs) - min(xs), max(ys) - min(ys)) // 8
    height, width = gray.shape[:2]
    left, right = max(0, min(xs) - margin), min(width, max(xs) + margin)
    top, bottom = max(0, min(ys) - margin), min(height, max(ys) + margin)
    if right - left < MIN_SIDE or bottom - top < MIN_SIDE:
        return None
    return gray[top:bottom, left:right]


def _area(barcode: zxingcpp.Barcode) -> float:
    p = barcode.position
    return float(abs(p.bottom_right.x - p.top_left.x) * abs(p.bottom_right.y - p.top_left.y))


def read_zbar(gray: Gray) -> list[tuple[str, list[Point]]]:
    found = []
    for symbol in pyzbar.decode(gray, symbols=[pyzbar.ZBarSymbol.QRCODE]):
        try:
            text = symbol.data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        found.append((text, [(p.x, p.y) for p in symbol.polygon]))
    return found


def read_opencv(gray: Gray) -> list[tuple[str, list[Point]]]:
    try:
        text, points, _ = cv2.QRCodeDetector().detectAndDecode(gray)
    except (cv2.error, UnicodeDecodeError):  # OpenCV decodes the bytes as UTF-8 itself
        return []
    if not text or points is None:
        return []
    return [(text, [(int(x), int(y)) for x, y in points.reshape(-1, 2)])]


def _resize(gray: Gray, factor: float) -> Gray:
    interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=interpolation)


def _clahe(gray: Gray) -> Gray:
    return cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8)).apply(gray)


def _sharpen(gray: Gray, radius: float = 2.0) -> Gray:
    """A strong unsharp mask: undoes a defocus blur of about `radius` pixels."""
    blurred = cv2.GaussianBlur(gray, (0, 0), radius)
    return cv2.addWeighted(gray, 2.5, blurred, -1.5, 0)


def _otsu(gray: Gray) -> Gray:
    return cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]


def _blur(gray: Gray) -> Gray:
    return cv2.GaussianBlur(gray, (0, 0), 1.2)


def _adaptive(gray: Gray, block: int = 31) -> Gray:
    """Local threshold: evens out a glare band or a shadow across the code."""
    return cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 3
    )


def _half(gray: Gray) -> Gray:
    return _resize(gray, 0.5)


def _double(gray: Gray) -> Gray:
    return _resize(gray, 2.0)


def _double_adaptive(gray: Gray) -> Gray:
    return _adaptive(_double(gray), block=41)


def _double_sharpen(gray: Gray) -> Gray:
    return _sharpen(_double(gray), radius=4.0)


def _large(long_side: int) -> bool:
    return long_side > LARGE


def _not_large(long_side: int) -> bool:
    return long_side < SMALL


@dataclass(frozen=True)
class Pass:
    """One view of the image (`prepare`, at `scale` of the original) read by one decoder."""

    name: str
    decoder: str
    read: Reader | StoppableReader
    prepare: Callable[[Gray], Gray] = lambda gray: gray
    scale: float = 1.0
    when: Callable[[int], bool] = lambda long_side: True
    # zbar and OpenCV can miscorrect a badly damaged code into a wrong text (seen on the
    # zxing test photos): what they read counts only once a second view reads it too.
    needs_confirmation: bool = False
    # run only where the screen saw finder patterns, on the code's region
    costly: bool = False
    # the reader takes the deadline and stops at it (it loops over many views itself)
    stoppable: bool = False


ZXING = read_zxing()
ZXING_GLOBAL = read_zxing(zxingcpp.Binarizer.GlobalHistogram)


PASSES = (
    Pass("zxing", "zxing-cpp", ZXING),
    Pass("zxing-global", "zxing-cpp", ZXING_GLOBAL),
    Pass("zxing-downscale", "zxing-cpp", ZXING, _half, 0.5, _large),
    Pass("zxing-upscale", "zxing-cpp", ZXING, _double, 2.0, _not_large, costly=True),
    Pass(
        "zxing-upscale-adaptive", "zxing-cpp", ZXING, _double_adaptive, 2.0, _not_large, costly=True
    ),
    Pass("zxing-adaptive", "zxing-cpp", ZXING, _adaptive, costly=True),
    Pass("zxing-upscale-global", "zxing-cpp", ZXING_GLOBAL, _double, 2.0, _not_large, costly=True),
    Pass(
        "zxing-upscale-sharpen", "zxing-cpp", ZXING, _double_sharpen, 2.0, _not_large, costly=True
    ),
    Pass("zxing-denoise", "zxing-cpp", ZXING, _blur, costly=True),
    Pass("zxing-clahe", "zxing-cpp", ZXING, _clahe, costly=True),
    Pass("zxing-sharpen", "zxing-cpp", ZXING, _sharpen, costly=True),
    Pass("zxing-bent", "zxing-cpp", read_bent, stoppable=True, costly=True),
    Pass("zbar", "zbar", read_zbar, needs_confirmation=True, costly=True),
    Pass("zbar-otsu", "zbar", read_zbar, _otsu, needs_confirmation=True, costly=True),
    Pass("zbar-denoise", "zbar", read_zbar, _blur, needs_confirmation=True, costly=True),
    Pass(
        "zbar-upscale",
        "zbar",
        read_zbar,
        _double,
        2.0,
        _not_large,
        needs_confirmation=True,
        costly=True,
    ),
    Pass("zbar-sharpen", "zbar", read_zbar, _sharpen, needs_confirmation=True, costly=True),
    Pass("opencv", "opencv", read_opencv, needs_confirmation=True, costly=True),
)


def scan(
    gray: Gray,
    *,
    lic_only: bool = False,
    passes: tuple[Pass, ...] = PASSES,
    deadline: float = float("inf"),
) -> list[Found]:
    """Run the passes until one reads a code (a `LIC1:` or Mobilic code if `lic_only`)."""
    return list(search(gray, lic_only=lic_only, passes=passes, deadline=deadline).codes)


def search(
    gray: Gray,
    *,
    lic_only: bool = False,
    passes: tuple[Pass, ...] = PASSES,
    deadline: float = float("inf"),
) -> Scan:
    """`scan`, telling which passes ran and why it stopped: the cheap passes on the whole
    image; then, if finder patterns are seen, the costly ones on the code's region, until
    `deadline` (a `time.perf_counter()` value)."""
    found: dict[str, Found] = {}
    unconfirmed: dict[str, Found] = {}
    ran: list[str] = []
    view, top, left = gray, 0, 0
    screened = False
    for step in passes:
        if step.costly and not screened:
            screened = True
            seen = finders(gray)
            if not outline_a_code(seen):  # every QR decoder starts from three finders
                return Scan(_ordered(found), tuple(ran), SCREENED)
            if (box := region(seen, gray.shape)) is not None:
                top, bottom, left, right = box
                view = gray[top:bottom, left:right]
        if not step.when(max(view.shape[:2])):
            continue
        if time.perf_counter() > deadline:
            return Scan(_ordered(found), tuple(ran), OUT_OF_TIME)
        ran.append(step.name)
        prepared = step.prepare(view if step.costly else gray)
        if step.stoppable:
            reads = cast(StoppableReader, step.read)(prepared, deadline)
        else:
            reads = cast(Reader, step.read)(prepared)
        shift = (left, top) if step.costly else (0, 0)
        for text, points in reads:
            if text in found:
                continue
            corners = tuple(
                (round(x / step.scale) + shift[0], round(y / step.scale) + shift[1])
                for x, y in points
            )
            code = Found(text, corners, step.decoder, step.name)
            if text in unconfirmed:
                found[text] = unconfirmed.pop(text)
            elif step.needs_confirmation:
                unconfirmed[text] = code
            else:
                found[text] = code
        if any(code.is_wanted for code in found.values()) or (found and not lic_only):
            break
    return Scan(_ordered(found), tuple(ran))


def _ordered(found: dict[str, Found]) -> tuple[Found, ...]:
    return tuple(sorted(found.values(), key=_reading_order))


def _reading_order(code: Found) -> tuple[int, int]:
    top = min(y for _, y in code.corners) if code.corners else 0
    left = min(x for x, _ in code.corners) if code.corners else 0
    return top, left


def decode_image(
    data: bytes, *, lic_only: bool = False, limits: Limits = DEFAULT_LIMITS
) -> Decoded:
    """Every QR code in an image file's bytes, read within `limits.budget_ms` (counted from
    the bytes, loading included); a CaptureError if the file is unusable."""
    started = time.perf_counter()
    image = open_image(data, limits)
    gray = gray_pixels(image)
    result = search(gray, lic_only=lic_only, deadline=started + limits.budget_ms / 1000)
    elapsed = (time.perf_counter() - started) * 1000
    return Decoded(result.codes, image.width, image.height, elapsed, result.ran, result.stopped)


def decode_file(path: Path, *, lic_only: bool = False, limits: Limits = DEFAULT_LIMITS) -> Decoded:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CaptureError(f"cannot read {path}: {error.strerror}") from None
    return decode_image(data, lic_only=lic_only, limits=limits)
