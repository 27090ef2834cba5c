"""A photo of a paper LIC page → a clean, upright, readable scan of the page.

The page is the largest convex quadrilateral in the photo; it is warped to a rectangle (which
also removes the skew), its contrast normalised, downscaled to about 2 000 px on the long
side and saved as a JPEG without metadata (a photo's EXIF may hold where it was taken). The
original bytes are returned untouched, to be kept as evidence. A sharpness score lets the
screen ask for a retake of a blurred photo before the controller leaves.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from control.capture.errors import NoPageFoundError
from control.capture.images import DEFAULT_LIMITS, Limits, open_image

Pixels = NDArray[Any]  # OpenCV's stubs type every image loosely
DETECTION_SIDE = 1000  # the page is looked for on a copy this size: faster, less noise
LONG_SIDE = 2000
MIN_PAGE_AREA = 0.15  # of the photo: anything smaller is not the page being photographed
SHARPNESS_SIDE = 1000
# Variance of the Laplacian at SHARPNESS_SIDE under which handwriting blurs: about a
# Gaussian blur of σ 5 px on a 12 MP photo of a page (measured in tests/capture).
BLURRED_BELOW = 100.0


@dataclass(frozen=True)
class PageScan:
    jpeg: bytes  # the corrected page, no EXIF
    width: int
    height: int
    sharpness: float
    corners: tuple[tuple[int, int], ...] | None  # the page in the original, or None: whole frame
    original: bytes

    @property
    def blurred(self) -> bool:
        return self.sharpness < BLURRED_BELOW


def scan_page(data: bytes, limits: Limits = DEFAULT_LIMITS, *, quality: int = 85) -> PageScan:
    """Find, straighten and clean the page in a photo; CaptureError if the photo is unusable."""
    image = open_image(data, limits).convert("RGB")
    pixels = np.asarray(image, dtype=np.uint8)
    corners = find_page(pixels)
    page = pixels if corners is None else _warp(pixels, corners)
    page = _normalise_contrast(page)
    page = _downscale(page, LONG_SIDE)
    out = io.BytesIO()
    Image.fromarray(page).save(out, "JPEG", quality=quality, optimize=True)
    return PageScan(
        out.getvalue(),
        page.shape[1],
        page.shape[0],
        sharpness(page),
        None if corners is None else tuple((int(x), int(y)) for x, y in corners),
        data,
    )


def find_page(pixels: Pixels) -> NDArray[np.float32] | None:
    """The page's corners (top left, top right, bottom right, bottom left), or None."""
    height, width = pixels.shape[:2]
    factor = min(1.0, DETECTION_SIDE / max(height, width))
    small = cv2.resize(pixels, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), (5, 5), 0)
    area = gray.shape[0] * gray.shape[1]
    best: NDArray[np.float32] | None = None
    best_area = MIN_PAGE_AREA * area
    for mask in _page_masks(gray):
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            hull = cv2.convexHull(contour)
            quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
            if len(quad) != 4:
                continue
            quad_area = cv2.contourArea(quad)
            if quad_area > best_area and quad_area < 0.98 * area:
                best, best_area = quad.reshape(4, 2).astype(np.float32), quad_area
    if best is None:
        return None
    return _order(best / factor)


def _page_masks(gray: Pixels) -> list[Pixels]:
    """Candidate page silhouettes: edges, and a bright-paper threshold."""
    median = float(np.median(gray))
    edges = cv2.Canny(gray, 0.66 * median, 1.33 * median)
    edges = cv2.dilate(edges, np.ones((5, 5), np.uint8))
    bright = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    return [edges, bright]


def _order(points: NDArray[np.float32]) -> NDArray[np.float32]:
    by_sum = points.sum(axis=1)
    by_diff = np.diff(points, axis=1).ravel()
    return np.array(
        [
            points[np.argmin(by_sum)],
            points[np.argmin(by_diff)],
            points[np.argmax(by_sum)],
            points[np.argmax(by_diff)],
        ],
        dtype=np.float32,
    )


def aspect_ratio(corners: NDArray[np.float32], image_size: tuple[int, int]) -> float | None:
    """Width / height of the real rectangle seen as `corners` by a pinhole camera.

    Zhang and He's method ("Whiteboard scanning and image enhancement", 2007): the vanishing
    geometry of the quadrilateral gives the focal length, then the true proportions; the
    principal point is taken at the image centre. None when the camera is square-on
    (no perspective to learn from): the measured sides are then right.
    """
    tl, tr, br, bl = (np.array([x, y, 1.0]) for x, y in corners.astype(np.float64))
    u0, v0 = image_size[0] / 2, image_size[1] / 2
    k2 = np.dot(np.cross(tl, br), bl) / np.dot(np.cross(tr, br), bl)
    k3 = np.dot(np.cross(tl, br), tr) / np.dot(np.cross(bl, br), tr)
    n2 = k2 * tr - tl
    n3 = k3 * bl - tl
    if abs(n2[2]) < 1e-9 or abs(n3[2]) < 1e-9:
        return None
    focal_squared = -(
        (n2[0] - n2[2] * u0) * (n3[0] - n3[2] * u0) + (n2[1] - n2[2] * v0) * (n3[1] - n3[2] * v0)
    ) / (n2[2] * n3[2])
    if focal_squared <= 0:
        return None
    focal = np.sqrt(focal_squared)
    camera = np.array([[focal, 0, u0], [0, focal, v0], [0, 0, 1]])
    inverse = np.linalg.inv(camera)
    metric = inverse.T @ inverse
    ratio_squared = (n2 @ metric @ n2) / (n3 @ metric @ n3)
    return float(np.sqrt(ratio_squared)) if ratio_squared > 0 else None


def _warp(pixels: Pixels, corners: NDArray[np.float32]) -> Pixels:
    tl, tr, br, bl = corners
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    ratio = aspect_ratio(corners, (pixels.shape[1], pixels.shape[0]))
    if ratio is not None and 0.2 < ratio < 5:
        height = int(width / ratio)
    if width < 10 or height < 10:
        raise NoPageFoundError(f"{width}×{height}")
    target = np.array(
        [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32
    )
    matrix = cv2.getPerspectiveTransform(corners, target)
    return cv2.warpPerspective(pixels, matrix, (width, height), flags=cv2.INTER_CUBIC)


def _normalise_contrast(page: Pixels) -> Pixels:
    """Even out lighting on the lightness channel only, so ink colours survive."""
    lab = cv2.cvtColor(page, cv2.COLOR_RGB2LAB)
    lightness = lab[:, :, 0]
    lab[:, :, 0] = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8)).apply(lightness)
    low, high = np.percentile(lab[:, :, 0], (1, 99))
    if high - low > 10:
        stretched = (lab[:, :, 0].astype(np.float32) - low) * (255.0 / (high - low))
        lab[:, :, 0] = np.clip(stretched, 0, 255).astype(np.uint8)
    return cv2.cvtColor(lab, cv2.COLOR_LAB2RGB)


def _downscale(page: Pixels, long_side: int) -> Pixels:
    factor = long_side / max(page.shape[:2])
    if factor >= 1:
        return page
    return cv2.resize(page, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)


def sharpness(page: Pixels) -> float:
    """Variance of the Laplacian at a fixed size: low means blurred (ask for a retake)."""
    gray = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY) if page.ndim == 3 else page
    gray = _downscale(gray, SHARPNESS_SIDE)
    return float(cv2.Laplacian(gray, cv2.CV_64F).var())
