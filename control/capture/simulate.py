"""Simulated roadside photos, to measure and test the decoder without a camera.

`phone_photo` renders a QR code on a phone screen (bezel, pixel grid) and "photographs" it:
perspective, blur, a glare band, sensor noise, downscaling (moiré on the pixel grid) and JPEG
compression. `page_photo` lays a synthetic logbook page on a table at an angle. Both are
seeded, so a failure can be replayed.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw

from control.qr import make

Pixels = NDArray[Any]


@dataclass(frozen=True)
class Conditions:
    tilt: float = 0.0  # corner displacement, fraction of the phone's size
    blur: float = 0.0  # Gaussian sigma, in photo pixels
    glare: float = 0.0  # peak brightness added by a glare band (0–255)
    downscale: float = 1.0  # final resize factor (below 1: moiré and small modules)
    jpeg_quality: int = 60
    noise: float = 3.0
    frame: tuple[int, int] = (1920, 1080)
    module_px: int = 4  # screen pixels per QR module


def render_qr(text: str, module_px: int) -> Pixels:
    code = make(text)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=module_px, border=4)
    return np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("L"), dtype=np.uint8)


def _screen(qr: Pixels, rng: random.Random) -> Pixels:
    """The code on a phone: white app background, black bezel, a faint pixel grid."""
    side = qr.shape[0]
    screen_w, screen_h = int(side * 1.15), int(side * 1.9)
    screen = np.full((screen_h, screen_w), 245, np.uint8)
    top = int(screen_h * 0.25)
    left = (screen_w - side) // 2
    screen[top : top + side, left : left + side] = np.maximum(qr, 20)
    grid = np.ones_like(screen, dtype=np.float32)
    grid[:, :: rng.choice((2, 3))] = 0.82  # sub-pixel columns: the source of moiré
    screen = (screen * grid).astype(np.uint8)
    bezel = int(side * 0.06)
    return cv2.copyMakeBorder(screen, bezel, bezel, bezel, bezel, cv2.BORDER_CONSTANT, value=10)


def phone_photo(text: str, conditions: Conditions, seed: int) -> bytes:
    """A JPEG photo of `text`'s QR code shown on a phone, taken under `conditions`."""
    rng = random.Random(seed)
    np_rng = np.random.default_rng(seed)
    phone = _screen(render_qr(text, conditions.module_px), rng)
    width, height = conditions.frame
    h, w = phone.shape
    fit = min(0.95 * height / h, 0.8 * width / w, 1.0)
    ph, pw = h * fit, w * fit
    cx = width / 2 + rng.uniform(-0.1, 0.1) * (width - pw) / 2
    cy = height / 2 + rng.uniform(-0.1, 0.1) * (height - ph) / 2
    corners = np.array(
        [
            [cx - pw / 2, cy - ph / 2],
            [cx + pw / 2, cy - ph / 2],
            [cx + pw / 2, cy + ph / 2],
            [cx - pw / 2, cy + ph / 2],
        ],
        dtype=np.float32,
    )
    jitter = conditions.tilt * min(pw, ph)
    corners += np.array(
        [[rng.uniform(-jitter, jitter), rng.uniform(-jitter, jitter)] for _ in range(4)],
        dtype=np.float32,
    )
    source = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, corners)
    background = rng.randrange(60, 160)
    photo: Pixels = cv2.warpPerspective(
        phone, matrix, (width, height), flags=cv2.INTER_AREA, borderValue=background
    ).astype(np.float32)
    if conditions.glare:
        yy, xx = np.mgrid[0:height, 0:width]
        angle = rng.uniform(0, np.pi)
        offset = rng.uniform(-0.3, 0.3) * width
        distance = (xx - width / 2) * np.cos(angle) + (yy - height / 2) * np.sin(angle) - offset
        photo += conditions.glare * np.exp(-((distance / (0.08 * width)) ** 2))
    if conditions.blur:
        photo = cv2.GaussianBlur(photo, (0, 0), conditions.blur)
    photo += np_rng.normal(0, conditions.noise, photo.shape)
    photo = np.clip(photo, 0, 255).astype(np.uint8)
    if conditions.downscale != 1:
        photo = cv2.resize(
            photo,
            None,
            fx=conditions.downscale,
            fy=conditions.downscale,
            interpolation=cv2.INTER_LINEAR,
        )
    out = io.BytesIO()
    Image.fromarray(photo).save(out, "JPEG", quality=conditions.jpeg_quality)
    return out.getvalue()


# Page corner marks, as fractions of the page: tests find them again after correction.
MARKS = ((0.08, 0.06), (0.92, 0.06), (0.92, 0.94), (0.08, 0.94))
PAGE_SIZE = (1480, 2100)  # A5 at about 250 dpi


def page_image(seed: int) -> Image.Image:
    """A synthetic logbook page: ruled grid, handwriting-like strokes, four corner marks."""
    rng = random.Random(seed)
    width, height = PAGE_SIZE
    page = Image.new("RGB", PAGE_SIZE, (250, 248, 240))
    draw = ImageDraw.Draw(page)
    for row in range(12, height - 100, 60):
        draw.line([(60, row), (width - 60, row)], fill=(150, 170, 210), width=2)
    for row in range(150, height - 200, 60):
        x = 100
        while x < width - 200:
            length = rng.randrange(40, 160)
            draw.line(
                [(x, row + 40), (x + length, row + 40 + rng.randrange(-6, 6))],
                fill=(20, 30, 90),
                width=4,
            )
            x += length + rng.randrange(20, 60)
    for fx, fy in MARKS:
        x, y = int(fx * width), int(fy * height)
        draw.rectangle([x - 25, y - 25, x + 25, y + 25], fill=(0, 0, 0))
    return page


def page_photo(seed: int, *, tilt: float = 0.12, blur: float = 0.0, exif: bytes = b"") -> bytes:
    """The page photographed on a dark table (a 12 MP JPEG) by a pinhole camera whose view is
    turned by up to `tilt` radians about each axis: a real perspective, not an arbitrary one."""
    rng = random.Random(seed)
    page = np.asarray(page_image(seed), dtype=np.uint8)
    width, height = 4000, 3000
    ph, pw = page.shape[:2]
    focal = 0.9 * width  # a phone's wide lens
    corners3d = np.array(
        [[-pw / 2, -ph / 2, 0], [pw / 2, -ph / 2, 0], [pw / 2, ph / 2, 0], [-pw / 2, ph / 2, 0]],
        dtype=np.float64,
    )
    rotation, _ = cv2.Rodrigues(
        np.array([rng.uniform(-tilt, tilt) for _ in range(3)], dtype=np.float64)
    )
    distance = focal * ph / (0.75 * height)
    points = corners3d @ rotation.T + np.array([0, 0, distance])
    projected = focal * points[:, :2] / points[:, 2:3] + np.array([width / 2, height / 2])
    source = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, projected.astype(np.float32))
    table = np.full((height, width, 3), (45, 35, 30), np.uint8)
    photo = cv2.warpPerspective(
        page, matrix, (width, height), dst=table, borderMode=cv2.BORDER_TRANSPARENT
    )
    shade = np.linspace(0.75, 1.05, width, dtype=np.float32)[None, :, None]
    lit = np.clip(photo.astype(np.float32) * shade, 0, 255)
    if blur:
        lit = cv2.GaussianBlur(lit, (0, 0), blur)
    out = io.BytesIO()
    Image.fromarray(lit.astype(np.uint8)).save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def scene_photo(seed: int, frame: tuple[int, int] = (1280, 720), quality: int = 80) -> bytes:
    """A camera frame with no code in it, as the tablet sees between two codes: a cab's
    dashboard and windows, the road, a registration plate, lettering and a grille (dark and
    light squares, the nearest thing to a finder pattern a roadside scene holds), with
    lighting gradients, noise and JPEG compression."""
    rng = random.Random(seed)
    np_rng = np.random.default_rng(seed)
    width, height = frame
    sky = np.linspace(rng.randrange(150, 230), rng.randrange(60, 120), height, dtype=np.float32)
    scene = np.repeat(sky[:, None], width, axis=1)
    horizon = int(height * rng.uniform(0.35, 0.6))
    scene[horizon:] = np.linspace(70, 110, height - horizon, dtype=np.float32)[:, None]
    scene = scene.astype(np.uint8)
    for _ in range(rng.randrange(8, 20)):  # buildings, windows, the dashboard's panels
        x, y = rng.randrange(width), rng.randrange(height)
        w, h = rng.randrange(20, width // 3), rng.randrange(10, height // 3)
        cv2.rectangle(scene, (x, y), (x + w, y + h), rng.randrange(0, 256), -1)
    for _ in range(rng.randrange(4, 10)):  # road markings, wipers, cables
        start = (rng.randrange(width), rng.randrange(height))
        end = (rng.randrange(width), rng.randrange(height))
        cv2.line(scene, start, end, rng.randrange(0, 256), rng.randrange(1, 12))
    gx, gy = rng.randrange(0, width - 200), rng.randrange(0, height - 80)
    for row in range(4):  # a grille
        for column in range(12):
            x, y = gx + column * 16, gy + row * 18
            cv2.rectangle(scene, (x, y), (x + 10, y + 12), 20, -1)
    px, py = rng.randrange(0, width - 260), rng.randrange(0, height - 60)
    cv2.rectangle(scene, (px, py), (px + 250, py + 55), 235, -1)  # a plate
    cv2.putText(scene, "AB-123-CD", (px + 12, py + 42), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 15, 4)
    for _ in range(rng.randrange(2, 6)):  # lettering on a van or a sign
        cv2.putText(
            scene,
            "TRANSPORTS",
            (rng.randrange(width), rng.randrange(height)),
            cv2.FONT_HERSHEY_DUPLEX,
            rng.uniform(0.6, 2.5),
            rng.randrange(0, 256),
            rng.randrange(1, 4),
        )
    blurred = cv2.GaussianBlur(scene.astype(np.float32), (0, 0), rng.uniform(0.5, 1.5))
    noisy = np.clip(blurred + np_rng.normal(0, 4.0, scene.shape), 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(noisy).save(out, "JPEG", quality=quality)
    return out.getvalue()
