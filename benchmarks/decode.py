"""How well and how fast images become QR texts.

    .venv/bin/python benchmarks/decode.py --set ../shared/qr-photos [--synthetic 20] [--frames 30]

1. A photo set (a folder with manifest.tsv: path, expected JSON text): correct %, wrong
   texts, median and p95 ms for each decoder alone and for the pipeline (goal ≥ 97 %, never a
   wrong text).
2. Synthetic roadside photos: `LIC1:` codes of QR versions 20–30 from demo records, shown on a
   simulated phone and photographed (perspective, blur, glare band, moiré/downscale, JPEG 60):
   % read per condition (goal ≥ 99 %).
3. Pipeline time on readable 1080p and 12 MP frames.
4. What an unreadable image costs, through `decode_image` as the server runs it (frame and
   photo budgets from the settings): a 1280×720 camera frame of an empty scene and of a code
   blurred beyond reading (goal ≤ 30 ms median), and a 12 MP photo of each.

Times are wall-clock ms, with the CPU ms beside them: on a shared machine, pin the process
(`taskset -c 0`) and compare runs taken in the same conditions.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from control.capture.decode import (
    PASSES,
    Gray,
    decode_image,
    read_opencv,
    read_zbar,
    read_zxing,
    scan,
)
from control.capture.images import Limits, gray_pixels, open_image
from control.capture.simulate import Conditions, phone_photo, scene_photo
from control.demo.records import Profile, make_record
from control.issue import issue_code
from control.qr import make
from control.record.model import Sector
from control.settings import Settings
from control.verify.keys import PrivateKey

NOW = datetime(2026, 11, 25, 9, 40, tzinfo=UTC)
# Each alone at a level a hand-held tablet meets, then all together (JPEG 60 throughout).
CONDITIONS = {
    "clean": Conditions(),
    "tilt .15": Conditions(tilt=0.15),
    "blur σ1.5": Conditions(blur=1.5),
    "blur σ2": Conditions(blur=2.0),
    "glare 160": Conditions(glare=160),
    "moiré ×0.5": Conditions(downscale=0.5),
    "JPEG 40": Conditions(jpeg_quality=40),
    "combined": Conditions(tilt=0.1, blur=1.2, glare=120, downscale=0.7),
}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


T = TypeVar("T")


def timed(work: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[T, float, float]:
    """`work(*args, **kwargs)`, with its wall and CPU ms."""
    wall, cpu = time.perf_counter(), time.thread_time()
    result = work(*args, **kwargs)
    return result, (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000


def summary(times: list[float]) -> str:
    return f"median {statistics.median(times):7.1f}  p95 {percentile(times, 0.95):7.1f}"


def photo_set(folder: Path, budget_ms: int) -> None:
    with (folder / "manifest.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    images = [
        (gray_pixels(open_image((folder / row["path"]).read_bytes())), json.loads(row["expected"]))
        for row in rows
    ]

    def pipeline(gray: Gray) -> list[str]:
        deadline = time.perf_counter() + budget_ms / 1000
        return [c.text for c in scan(gray, deadline=deadline)]

    decoders: dict[str, Callable[[Gray], list[str]]] = {
        "zxing-cpp alone": lambda g: [t for t, _ in read_zxing()(g)],
        "pyzbar alone": lambda g: [t for t, _ in read_zbar(g)],
        "OpenCV alone": lambda g: [t for t, _ in read_opencv(g)],
        "pipeline": pipeline,
    }
    print(f"{folder}: {len(images)} images (pipeline budget {budget_ms} ms; goal ≥ 97 %, 0 wrong)")
    print(
        f"{'decoder':<20}{'correct':>10}{'wrong':>8}{'median ms':>12}{'p95 ms':>10}"
        f"{'CPU median':>12}{'CPU p95':>10}"
    )
    for name, decoder in decoders.items():
        correct = wrong = 0
        walls, cpus = [], []
        for gray, expected in images:
            texts, wall, cpu = timed(decoder, gray)
            walls.append(wall)
            cpus.append(cpu)
            if expected in texts:
                correct += 1
            elif texts:
                wrong += 1
        print(
            f"{name:<20}{correct / len(images):>10.1%}{wrong:>8}"
            f"{statistics.median(walls):>12.1f}{percentile(walls, 0.95):>10.1f}"
            f"{statistics.median(cpus):>12.1f}{percentile(cpus, 0.95):>10.1f}"
        )


def lic_codes() -> dict[int, str]:
    """One `LIC1:` text per QR version from 20 to 30, from demo records of 8 to 28 days."""
    key = PrivateKey.generate("FR-MOBILIC", not_before=int((NOW - timedelta(days=1)).timestamp()))
    by_version: dict[int, str] = {}
    for days in range(8, 29):
        for segments, notes in ((5, 0), (7, 0), (9, 0), (11, 4), (13, 8), (20, 8), (24, 8)):
            profile = Profile(
                "bench",
                Sector.GOODS_REGIONAL,
                worked_days=days,
                segments_per_day=segments,
                observations=notes,
                employer_changes=notes,
            )
            text = issue_code(make_record(profile, NOW, seed=days), key, iat=NOW).text
            version = int(make(text).version)
            if 20 <= version <= 30:
                by_version.setdefault(version, text)
    return dict(sorted(by_version.items()))


def synthetic(seeds: int) -> None:
    codes = lic_codes()
    print(f"\nsynthetic phone photos: versions {min(codes)}–{max(codes)}, {seeds} photos each")
    header = "".join(f"{name:>13}" for name in CONDITIONS)
    print(f"{'version':<9}{header}")
    totals: dict[str, list[int]] = {name: [0, 0] for name in CONDITIONS}
    for version, text in codes.items():
        cells = []
        for name, conditions in CONDITIONS.items():
            read = 0
            for seed in range(seeds):
                photo = phone_photo(text, conditions, seed=version * 1000 + seed)
                gray = gray_pixels(open_image(photo))
                found = [c.text for c in scan(gray, lic_only=True)]
                read += text in found
                assert all(t == text for t in found if t.startswith("LIC1:")), "wrong text"
            totals[name][0] += read
            totals[name][1] += seeds
            cells.append(f"{read}/{seeds}")
        print(f"{version:<9}" + "".join(f"{cell:>13}" for cell in cells))
    print(f"{'all':<9}" + "".join(f"{r / n:>13.1%}" for r, n in totals.values()))
    read = sum(r for r, _ in totals.values())
    count = sum(n for _, n in totals.values())
    print(f"overall: {read}/{count} = {read / count:.1%} (goal ≥ 99 %)")


def frames(count: int) -> None:
    codes = lic_codes()
    text = codes[max(codes)]
    print(f"\npipeline time per frame (version {max(codes)} code, {count} frames each)")
    for label, size in (("1080p", (1920, 1080)), ("12 MP", (4000, 3000))):
        times: list[float] = []
        for seed in range(count):
            conditions = Conditions(tilt=0.08, blur=1.0, frame=size, module_px=6)
            gray = gray_pixels(open_image(phone_photo(text, conditions, seed)))
            start = time.perf_counter()
            scan(gray, lic_only=True)
            times.append((time.perf_counter() - start) * 1000)
        print(
            f"{label:<8} median {statistics.median(times):7.1f} ms   "
            f"p95 {percentile(times, 0.95):7.1f} ms"
        )


def unreadable(count: int, settings: Settings) -> None:
    """An empty scene and a code blurred beyond reading, as a frame and as a photo."""
    codes = lic_codes()
    text = codes[max(codes)]
    frame, photo = (1280, 720), (4000, 3000)
    cases: tuple[tuple[str, int, str, Callable[[int], bytes]], ...] = (
        (
            "frame 1280×720, empty scene",
            settings.frame_budget_ms,
            "≤ 30 ms median",
            lambda seed: scene_photo(seed, frame),
        ),
        (
            "frame 1280×720, code blurred σ3",
            settings.frame_budget_ms,
            "≤ 30 ms median",
            lambda seed: phone_photo(text, Conditions(blur=3, frame=frame), seed),
        ),
        (
            "photo 12 MP, empty scene",
            settings.decode_budget_ms,
            "",
            lambda seed: scene_photo(seed, photo),
        ),
        (
            "photo 12 MP, code blurred σ9",
            settings.decode_budget_ms,
            "",
            lambda seed: phone_photo(text, Conditions(blur=9, frame=photo, module_px=6), seed),
        ),
    )
    print(f"\nunreadable images through decode_image (lic_only), {count} each")
    for label, budget, goal, make_image in cases:
        limits = Limits(budget_ms=budget)
        walls, cpus, read = [], [], 0
        for seed in range(count):
            decoded, wall, cpu = timed(decode_image, make_image(seed), lic_only=True, limits=limits)
            walls.append(wall)
            cpus.append(cpu)
            read += decoded.lic is not None
        print(
            f"{label:<34} {summary(walls)}  CPU {summary(cpus)}  budget {budget} ms"
            f"  read {read}/{count}  {goal}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, help="folder with manifest.tsv")
    parser.add_argument("--synthetic", type=int, default=20, help="photos per version/condition")
    parser.add_argument("--frames", type=int, default=30)
    parser.add_argument("--unreadable", type=int, default=20, help="images of each kind")
    args: Any = parser.parse_args()
    settings = Settings()
    print(f"pipeline: {len(PASSES)} passes, {', '.join(p.name for p in PASSES)}")
    if args.set:
        photo_set(args.set, settings.decode_budget_ms)
    if args.synthetic:
        synthetic(args.synthetic)
    if args.frames:
        frames(args.frames)
    if args.unreadable:
        unreadable(args.unreadable, settings)


if __name__ == "__main__":
    main()
