"""Is there anything like a QR code in a frame? A look of a few milliseconds before the
costly decoding passes.

Every QR decoder starts from the finder patterns, the three nested squares whose dark and
light runs measure 1:1:3:1:1 along any line through their centre (ISO/IEC 18004, 6.3.3).
The frame is binarised against its local mean, every row and every column is cut into runs,
and a *finder* is a place where a row's 1:1:3:1:1 run and a column's cross at the same
point. An empty scene (a dashboard, the road, a plate, lettering) has none; a code blurred
beyond its modules has lost the one-module rings of its finders too. Where finders are seen,
they also say where the code is, so the costly passes read that region only.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from math import hypot
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

Gray = NDArray[Any]
SIDE = 1600  # long side the screen looks at: a larger frame is reduced first
CELL = 3  # px (at the screen's scale): a row's and a column's finder meet within this
DARKER = 8  # grey levels under the local mean for a pixel to count as dark
CONTRAST = 24  # grey levels between a finder's light rings and its dark ones, at least
AREA = cv2.INTER_AREA
TOLERANCE = 0.7  # of a module, for each one-module run (1.5 modules for the centre)


@dataclass(frozen=True)
class Finder:
    """A finder-pattern-like mark, in the frame's pixels."""

    x: float
    y: float
    module: float  # estimated module size


def finders(gray: Gray) -> list[Finder]:
    """Every finder-like mark in the frame (possibly none, possibly a few false ones)."""
    long_side = max(gray.shape[:2])
    scale = min(1.0, SIDE / long_side)
    small = gray if scale == 1 else cv2.resize(gray, None, fx=scale, fy=scale, interpolation=AREA)
    window = max(15, (max(small.shape) // 8) | 1)
    mean = cv2.blur(small, (window, window)).astype(np.int16)
    dark = (small.astype(np.int16) < mean - DARKER).astype(np.int8)
    # every other line: a finder's centre is 3 modules, at least 3 px, wide
    across = _hits(dark[::2], small[::2])  # (row, centre column, module) per row crossing
    down = _hits(np.ascontiguousarray(dark.T[::2]), np.ascontiguousarray(small.T[::2]))
    across[:, 0] *= 2
    down[:, 0] *= 2
    if not len(across) or not len(down):
        return []
    rows, columns = -(-small.shape[0] // CELL), -(-small.shape[1] // CELL)
    seen_across = np.zeros((rows, columns), np.uint8)
    seen_across[(across[:, 0] // CELL).astype(int), (across[:, 1] // CELL).astype(int)] = 1
    seen_down = np.zeros((rows, columns), np.uint8)
    seen_down[(down[:, 1] // CELL).astype(int), (down[:, 0] // CELL).astype(int)] = 1
    kernel = np.ones((3, 3), np.uint8)
    crossed = ((cv2.dilate(seen_across, kernel) > 0) & (cv2.dilate(seen_down, kernel) > 0)).astype(
        np.uint8
    )
    count, labels, _, centres = cv2.connectedComponentsWithStats(crossed, connectivity=8)
    if count <= 1:
        return []
    near = cv2.dilate(labels.astype(np.float32), kernel).astype(int)  # a cell beside counts
    label = near[(across[:, 0] // CELL).astype(int), (across[:, 1] // CELL).astype(int)]
    sums = np.bincount(label, weights=across[:, 2], minlength=count)
    counts = np.bincount(label, minlength=count)
    return [
        Finder(
            float((cx + 0.5) * CELL / scale),
            float((cy + 0.5) * CELL / scale),
            float(sums[k] / max(1, counts[k]) / scale),
        )
        for k, (cx, cy) in enumerate(centres[1:], start=1)
    ]


def _hits(dark: NDArray[np.int8], gray: Gray) -> NDArray[np.float64]:
    """(line, centre, module) of every 1:1:3:1:1 run sequence, dark-light-dark-light-dark
    or its inverse, along the lines of `dark`, whose light runs are clearly lighter than its
    dark ones in `gray` (noise about the threshold makes short runs of no contrast);
    vectorised: the lines are joined with a separator value so that no run crosses from one
    to the next."""
    height, width = dark.shape
    joined = np.concatenate([dark, np.full((height, 1), 2, np.int8)], axis=1).ravel()
    levels = np.concatenate([gray, np.zeros((height, 1), gray.dtype)], axis=1).ravel()
    starts = np.concatenate([[0], np.flatnonzero(joined[1:] != joined[:-1]) + 1])
    lengths = np.diff(np.concatenate([starts, [joined.size]])).astype(np.float64)
    values = joined[starts]
    if len(starts) < 5:
        return np.empty((0, 3))
    v = [values[i : len(values) - 4 + i] for i in range(5)]
    # dark-light-dark-light-dark, or its inverse (a light code on a dark screen)
    alternate = (v[0] != 2) & (v[1] != 2) & (v[0] != v[1])
    pattern = alternate & (v[2] == v[0]) & (v[4] == v[0]) & (v[3] == v[1])
    candidates = np.flatnonzero(pattern)
    n = lengths[candidates[:, None] + np.arange(5)]
    total = n.sum(axis=1)
    module = total / 7
    ones = np.abs(n[:, [0, 1, 3, 4]] - module[:, None]) < TOLERANCE * module[:, None]
    centre = np.abs(n[:, 2] - 3 * module) < 1.5 * module
    centre &= n[:, 2] >= 1.5 * n[:, [0, 1, 3, 4]].max(axis=1)  # not a grille's even bars
    shaped = ones.all(axis=1) & centre & (total >= 7)
    candidates, n, module = candidates[shaped], n[shaped], module[shaped]
    if not len(candidates):
        return np.empty((0, 3))
    runs = candidates[:, None] + np.arange(5)
    bounds = np.column_stack([starts[runs].ravel(), starts[runs].ravel() + n.ravel()])
    sums = np.add.reduceat(levels, bounds.ravel().astype(np.int64), dtype=np.int64)[::2]
    means = (sums / n.ravel()).reshape(-1, 5)
    ring = means[:, [1, 3]]  # the runs between the finder's centre and its outer ring
    square = means[:, [0, 2, 4]]
    inverse = values[candidates] == 0
    contrast = np.where(
        inverse,
        square.min(axis=1) - ring.max(axis=1),
        ring.min(axis=1) - square.max(axis=1),
    )
    keep = contrast >= CONTRAST
    candidates, n, module = candidates[keep], n[keep], module[keep]
    middle = starts[candidates + 2] + n[:, 2] / 2
    line, position = np.divmod(middle, width + 1)
    return np.column_stack([line, position, module])


def outline_a_code(found: list[Finder]) -> bool:
    """Whether three of the finders could be one code's: of about one module size (within a
    factor of 2, for perspective), and apart as a code's corners are (7 to 250 modules: the
    largest code, version 40, is 177 modules wide and its diagonal 250)."""
    for a, b, c in combinations(found, 3):
        small, large = min(a.module, b.module, c.module), max(a.module, b.module, c.module)
        if small <= 0 or large > 2 * small:
            continue
        if all(
            7 * small <= hypot(p.x - q.x, p.y - q.y) <= 250 * large
            for p, q in ((a, b), (b, c), (a, c))
        ):
            return True
    return False


def region(found: list[Finder], shape: tuple[int, ...]) -> tuple[int, int, int, int] | None:
    """The box (top, bottom, left, right) of the code these finders belong to, with a margin
    for the quiet zone and a bent surface; None when fewer than three finders are seen (the
    code may then reach anywhere past them)."""
    if len(found) < 3:
        return None
    xs = [f.x for f in found]
    ys = [f.y for f in found]
    module = max(f.module for f in found)
    span = max(max(xs) - min(xs), max(ys) - min(ys))
    margin = int(0.25 * span + 10 * module)
    height, width = shape[:2]
    top, bottom = max(0, int(min(ys)) - margin), min(height, int(max(ys)) + margin)
    left, right = max(0, int(min(xs)) - margin), min(width, int(max(xs)) + margin)
    return top, bottom, left, right
