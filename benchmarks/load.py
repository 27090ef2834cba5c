"""A whole brigade at once: N simulated tablets on one real server, measured as a user meets it.

    .venv/bin/python -m benchmarks.load [--tablets 1,2,5,10,20,50,100,200] [--mode both]
        [--seconds 20] [--codes 500] [--frames 12] [--heavy-tablets 10 | --no-heavy]

A real `lic-control serve` (one process per core, SQLite under a temporary folder, the demo
world) on 127.0.0.1 only. Before any timing: DISTINCT signed `LIC1:` codes of synthetic
drivers (the demo issuer's key, the demo records generator with varying seeds), so that no
cache on the code text flatters the server; 1280×720 JPEG frames — empty scenes, blurred codes,
readable codes (control/capture/simulate.py) — checked with the server's own decoder (a
readable frame reads, the others do not). Each frame sent gets 16 random bytes in a JPEG
comment, so no two uploads are alike either.

Each tablet does what web/static/scan.js does, with its own session (a few shared accounts,
one sign-in per tablet): a tick every 300 ms while the camera runs, skipped while the
previous frame is in flight; the frames are 40 % empty, 40 % blurred, 20 % readable.
  mode `tablet`: the frame is read on the tablet (taken as instantaneous): empty and blurred
      frames send nothing; a readable one posts its code to `POST /verifier` (the code form:
      htmx, `code` + `csrf`), a new code each time;
  mode `server`: every frame goes to `POST /api/decode`; a code read is then posted to
      `/verifier` (the text the server returned: the readable frames' own few codes);
and, in both, an agent pastes a code every 5 s (a verdict post of its own, skipped while the
last paste is in flight). Tablets start at random in the first interval.

How to read the figures, per N (each step lasts `--seconds`):
- req/s: requests completed per second, all kinds; fr/s/tab: frames handled per tablet per
  second (3.33 when nothing is in flight at a tick; fewer = ticks skipped = a slower camera);
- decode and verdict: latency percentiles in ms as the tablet waits (server mode only for
  decode); a verdict counts only if the page says "valide" (the codes are all valid);
- errors: by kind (a timeout after `--timeout` s, a connection error, any other status than
  the expected 200, a verdict that is not the valid banner);
- client: the generator's own CPU per request and its share of the machine, and the worst
  lag of its event loop: when the lag nears the latencies, the generator inflates them;
  server: the CPU share of the server's processes (100 % = every core busy).
The first N whose verdict p95 passes 300 ms is printed per mode, the goals beside. Then the
heavy case: with `--heavy-tablets` tablets running, one 12 MP photo of a code to `/verifier`
and one 3-page upload of a paper LIC (12 MP page photos to a paper control's photos) are
sent together (in the first mode run: tablet when both); the worst verdict (and decode)
latency of the tablets while they are processed is printed beside the whole step's p95.

On a shared machine the figures are noisy: compare runs on the same machine at rest.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import itertools
import json
import os
import random
import statistics
import sys
import tempfile
import time
from argparse import Namespace
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import cv2
import numpy as np
from PIL import Image

from benchmarks.serving import (
    ROOT,
    cpu_seconds,
    machine_busy_seconds,
    processes_of,
    server,
    signed_in,
)
from benchmarks.verdict import PASSWORD, demo_settings
from control.capture.decode import decode_image
from control.capture.simulate import Conditions, page_photo, phone_photo
from control.demo.build import OVERFLOW_URL, demo_drivers
from control.demo.records import make_record
from control.issue import issue_code
from control.settings import Settings
from control.storage.database import connect
from control.storage.photos import count_photos
from control.storage.users import Role, add_user
from control.verify.keys import load_private

FRAME_INTERVAL = 0.3  # web/static/scan.js FRAME_INTERVAL_MS
PASTE_INTERVAL = 5.0
MIX = {"empty": 0.4, "blurred": 0.4, "readable": 0.2}
FRAME = (1280, 720)
ACCOUNTS = 10  # shared by the tablets round-robin; each tablet signs in on its own
MAX_TABLETS = 500
VALID = b'class="verdict valide"'
GOALS = {"tablet": (200, 300.0), "server": (10, 500.0)}  # tablets, verdict p95 ms (0 errors)
PASSES_AT = 300.0  # the verdict p95 whose first passing N is reported


@dataclass
class Material:
    """Everything sent, made before any timing."""

    codes: list[str]
    frames: dict[str, list[bytes]]
    frame_codes: list[str]  # the code in each readable frame, in order
    heavy_photo: bytes
    pages: list[bytes]
    _next: Iterator[int] = field(default_factory=itertools.count)

    def next_code(self, stats: Stats) -> str:
        stats.pasted_or_local += 1
        return self.codes[next(self._next) % len(self.codes)]


def make_codes(world: Path, count: int, now: datetime) -> list[str]:
    """`count` distinct valid codes: the demo profiles, new seeds, the current Mobilic key."""
    key = load_private(world / "issuers" / "mobilic-2026.jwk")
    profiles = [driver.profile for driver in demo_drivers() if driver.expected == "valid"]
    iat = now.replace(second=0, microsecond=0)
    codes = []
    for number in range(count):
        record = make_record(profiles[number % len(profiles)], iat, seed=10_000 + number)
        url = f"{OVERFLOW_URL}charge-{number}"
        codes.append(issue_code(record, key, iat=iat, full_record_url=url).text)
    return codes


def empty_scene(seed: int) -> bytes:
    """A camera frame with no code in it: smooth shapes, shading and sensor noise (the cab,
    the road, a hand), as a JPEG of the quality scan.js sends."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(30, 220, (9, 16, 3), dtype=np.uint8)
    scene = cv2.resize(coarse, FRAME, interpolation=cv2.INTER_CUBIC).astype(np.float32)
    scene += rng.normal(0, 4, scene.shape)
    out = io.BytesIO()
    Image.fromarray(np.clip(scene, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=85)
    return out.getvalue()


def make_frames(codes: list[str], each: int) -> tuple[dict[str, list[bytes]], list[str]]:
    """`each` frames of every kind, checked with the server's decoder: a readable frame that
    does not read is left out; an empty or blurred one that reads stops the run."""
    sharp = Conditions(frame=FRAME, module_px=5, jpeg_quality=85)
    blurred = Conditions(frame=FRAME, module_px=5, blur=5.0, jpeg_quality=85)
    frames: dict[str, list[bytes]] = {"empty": [], "blurred": [], "readable": []}
    read: list[str] = []
    for seed in range(each):
        frames["empty"].append(empty_scene(seed))
        frames["blurred"].append(phone_photo(codes[-1 - seed], blurred, seed))
        photo = phone_photo(codes[-1 - each - seed], sharp, seed)
        found = decode_image(photo, lic_only=True).lic
        if found is not None and found.text == codes[-1 - each - seed]:
            frames["readable"].append(photo)
            read.append(found.text)
    for kind in ("empty", "blurred"):
        if any(decode_image(frame, lic_only=True).lic for frame in frames[kind]):
            raise SystemExit(f"a frame meant {kind} reads: the mix would be wrong")
    if not frames["readable"]:
        raise SystemExit("no readable frame reads: the decoder or the simulation is broken")
    print(f"frames 1280×720: {each} empty, {each} blurred, {len(read)}/{each} readable (checked)")
    return frames, read


def unique(frame: bytes) -> bytes:
    """The same picture in bytes never sent before: a JPEG comment of 16 random bytes."""
    return frame[:2] + b"\xff\xfe\x00\x12" + os.urandom(16) + frame[2:]


@dataclass
class Stats:
    """One step's observations; times from time.perf_counter()."""

    decodes: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)  # decodes per frame kind
    verdicts: list[tuple[float, float]] = field(default_factory=list)  # (start, seconds)
    frames: int = 0
    requests: int = 0
    readable_sent: int = 0
    pasted_or_local: int = 0  # verdict posts of a code from the distinct pool
    readable_read: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    lags: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Sent:
    """A heavy request: when it was sent and answered, and how."""

    start: float
    end: float
    status: int
    valid: bool  # the answer is the valid verdict's banner

    @property
    def ms(self) -> float:
        return (self.end - self.start) * 1000


@dataclass
class Tablet:
    cookie: str
    csrf: str
    rng: random.Random


class Step:
    """N tablets running for a while against the server."""

    def __init__(
        self, http: aiohttp.ClientSession, url: str, material: Material, mode: str
    ) -> None:
        self.http, self.url, self.material, self.mode = http, url, material, mode
        self.stats = Stats()

    async def verdict(self, tablet: Tablet, code: str) -> None:
        start = time.perf_counter()
        body = await self._post(
            tablet, "/verifier", aiohttp.FormData({"code": code, "csrf": tablet.csrf})
        )
        if body is None:
            return
        if VALID not in body:
            self.stats.errors["verdict not valid"] += 1
            return
        self.stats.verdicts.append((start, time.perf_counter() - start))

    async def frame(self, tablet: Tablet) -> None:
        kind = tablet.rng.choices(list(MIX), weights=list(MIX.values()))[0]
        index = tablet.rng.randrange(len(self.material.frames[kind]))
        self.stats.frames += 1
        if self.mode == "tablet":
            if kind == "readable":
                await self.verdict(tablet, self.material.next_code(self.stats))
            return
        form = aiohttp.FormData()
        frame = unique(self.material.frames[kind][index])
        form.add_field("frame", frame, filename="frame.jpg", content_type="image/jpeg")
        start = time.perf_counter()
        body = await self._post(tablet, "/api/decode", form, {"X-CSRF-Token": tablet.csrf})
        if body is None:
            return
        self.stats.decodes.append(time.perf_counter() - start)
        self.stats.by_kind.setdefault(kind, []).append(self.stats.decodes[-1])
        lic = _lic_of(body)
        if kind == "readable":
            self.stats.readable_sent += 1
            self.stats.readable_read += lic is not None
            if lic is not None and lic != self.material.frame_codes[index]:
                self.stats.errors["/api/decode wrong text"] += 1
                return
        if lic is not None:
            await self.verdict(tablet, lic)

    async def _post(
        self,
        tablet: Tablet,
        path: str,
        form: aiohttp.FormData,
        headers: dict[str, str] | None = None,
    ) -> bytes | None:
        """The answer's body if 200, else None with the error counted by kind."""
        sent = {"Cookie": tablet.cookie, "HX-Request": "true", **(headers or {})}
        self.stats.requests += 1
        try:
            async with self.http.post(self.url + path, data=form, headers=sent) as answer:
                body = await answer.read()
                if answer.status == 200:
                    return body
                self.stats.errors[f"{path} {answer.status}"] += 1
        except TimeoutError:
            self.stats.errors[f"{path} timeout"] += 1
        except aiohttp.ClientError as error:
            self.stats.errors[f"{path} {type(error).__name__}"] += 1
        return None

    async def camera(self, tablet: Tablet, until: float) -> None:
        """setInterval(sendFrame, 300): a tick skipped while the last frame is in flight."""
        loop = asyncio.get_running_loop()
        await asyncio.sleep(tablet.rng.uniform(0, FRAME_INTERVAL))
        tick = loop.time()
        busy: asyncio.Task[None] | None = None
        paste = asyncio.create_task(self.paster(tablet, until))
        while loop.time() < until:
            if busy is None or busy.done():
                busy = asyncio.create_task(self.frame(tablet))
            tick += FRAME_INTERVAL
            await _sleep_until(tick)
        await asyncio.gather(*(task for task in (busy, paste) if task is not None))

    async def paster(self, tablet: Tablet, until: float) -> None:
        loop = asyncio.get_running_loop()
        await _sleep_until(min(loop.time() + tablet.rng.uniform(0, PASTE_INTERVAL), until))
        while loop.time() < until:
            started = loop.time()
            await self.verdict(tablet, self.material.next_code(self.stats))
            await _sleep_until(min(started + PASTE_INTERVAL, until))

    async def lag_probe(self, until: float) -> None:
        """How late the event loop wakes up: the generator's own delay on every figure."""
        loop = asyncio.get_running_loop()
        while loop.time() < until:
            planned = loop.time() + 0.05
            await asyncio.sleep(0.05)
            self.stats.lags.append(loop.time() - planned)

    async def run(self, tablets: list[Tablet], seconds: float) -> None:
        until = asyncio.get_running_loop().time() + seconds
        await asyncio.gather(
            self.lag_probe(until), *(self.camera(tablet, until) for tablet in tablets)
        )


async def _sleep_until(moment: float) -> None:
    await asyncio.sleep(max(0.0, moment - asyncio.get_running_loop().time()))


def _lic_of(body: bytes) -> str | None:
    try:
        found = json.loads(body).get("lic")
    except (ValueError, AttributeError):
        return None
    return found if isinstance(found, str) else None


def percentiles(seconds: list[float]) -> str:
    if not seconds:
        return "—"
    ordered = sorted(seconds)

    def at(fraction: float) -> float:
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000

    return f"{at(0.5):.0f}/{at(0.95):.0f}/{at(0.99):.0f}"


def p95_ms(seconds: list[float]) -> float:
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000 if ordered else 0.0


@dataclass
class Row:
    tablets: int
    verdict_p95: float
    errors: int
    line: str


HEADER = (
    f"{'tablets':>7} {'req/s':>7} {'fr/s/tab':>8} {'decode p50/95/99':>17} "
    f"{'verdict p50/95/99':>18} {'verdicts':>8}  {'client ms/req, CPU, lag':<24} "
    f"{'server':>6} {'others':>6}  errors"
)


@dataclass(frozen=True)
class Usage:
    """Wall time and CPU seconds: the generator's, the server's, and the whole machine's."""

    wall: float
    client: float
    server: float
    machine: float

    @classmethod
    def now(cls, server_pid: int) -> Usage:
        server = cpu_seconds(processes_of(server_pid))
        return cls(time.perf_counter(), time.process_time(), server, machine_busy_seconds())

    def __sub__(self, other: Usage) -> Usage:
        return Usage(
            self.wall - other.wall,
            self.client - other.client,
            self.server - other.server,
            self.machine - other.machine,
        )

    def share(self, seconds: float) -> str:
        return f"{seconds / self.wall / (os.cpu_count() or 1):.0%}"


def describe(n: int, stats: Stats, usage: Usage) -> Row:
    wall = usage.wall
    verdict_times = [seconds for _, seconds in stats.verdicts]
    errors = sum(stats.errors.values())
    client = (
        f"{usage.client / max(stats.requests, 1) * 1000:.1f} ms, {usage.share(usage.client)}, "
        f"{max(stats.lags, default=0) * 1000:.0f} ms"
    )
    others = max(0.0, usage.machine - usage.server - usage.client)
    line = (
        f"{n:>7} {stats.requests / wall:>7.1f} {stats.frames / wall / n:>8.2f} "
        f"{percentiles(stats.decodes):>17} {percentiles(verdict_times):>18} "
        f"{len(verdict_times):>8}  {client:<24} {usage.share(usage.server):>6} "
        f"{usage.share(others):>6}  "
        + (", ".join(f"{kind}: {count}" for kind, count in sorted(stats.errors.items())) or "0")
    )
    return Row(n, p95_ms(verdict_times), errors, line)


class Bench:
    """The server, its signed-in tablets and the material, for every step."""

    def __init__(
        self, url: str, process: int, settings: Settings, material: Material, args: Namespace
    ) -> None:
        self.url, self.server_pid, self.settings = url, process, settings
        self.material, self.args = material, args
        self.tablets: list[Tablet] = []

    def stored_pages(self, control_id: str) -> int:
        """What the database holds, not what the answer said."""
        engine = connect(self.settings.database())
        try:
            return count_photos(engine, int(control_id))
        finally:
            engine.dispose()

    def sign_in(self, count: int) -> None:
        """`count` tablets, each its own sign-in (4 at a time: argon2 is slow on purpose)."""

        def one(number: int) -> Tablet:
            client, csrf = signed_in(self.url, f"charge-{number % ACCOUNTS}")
            cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
            client.close()
            return Tablet(cookie, csrf, random.Random(number))

        started = time.monotonic()
        with ThreadPoolExecutor(4) as pool:
            self.tablets = list(pool.map(one, range(count)))
        print(f"{count} tablets signed in ({time.monotonic() - started:.0f} s)")

    def session(self) -> aiohttp.ClientSession:
        timeout = aiohttp.ClientTimeout(total=self.args.timeout)
        connector = aiohttp.TCPConnector(limit=0)  # one connection per busy tablet, as tablets
        return aiohttp.ClientSession(
            timeout=timeout, connector=connector, cookie_jar=aiohttp.DummyCookieJar()
        )

    async def step(self, mode: str, n: int, seconds: float | None = None) -> tuple[Stats, Usage]:
        async with self.session() as http:
            step = Step(http, self.url, self.material, mode)
            before = Usage.now(self.server_pid)
            await step.run(self.tablets[:n], seconds or self.args.seconds)
            return step.stats, Usage.now(self.server_pid) - before

    def sweep(self, mode: str) -> None:
        print(f"\nmode {mode}: " + {
            "tablet": "frames read on the tablet, a code read or pasted → POST /verifier",
            "server": "every frame → POST /api/decode, a code read or pasted → POST /verifier",
        }[mode])  # fmt: skip
        print(HEADER)
        rows = []
        for n in self.args.tablets:
            stats, usage = asyncio.run(self.step(mode, n))
            row = describe(n, stats, usage)
            print(row.line, flush=True)
            if stats.by_kind:
                read = f"{stats.readable_read}/{stats.readable_sent}"
                medians = ", ".join(
                    f"{kind} {statistics.median(times) * 1000:.0f}"
                    for kind, times in sorted(stats.by_kind.items())
                )
                print(f"{'':>7} decode median by frame (ms): {medians}; readable read: {read}")
            if stats.pasted_or_local > len(self.material.codes):
                times = stats.pasted_or_local / len(self.material.codes)
                print(f"{'':>7} each code posted {times:.1f} times: raise --codes against caches")
            rows.append(row)
        passing = next((row.tablets for row in rows if row.verdict_p95 > PASSES_AT), None)
        print(
            f"verdict p95 passes {PASSES_AT:.0f} ms at N = {passing}"
            if passing
            else f"verdict p95 passes {PASSES_AT:.0f} ms: not reached (up to {rows[-1].tablets})"
        )
        goal_n, goal_ms = GOALS[mode]
        at_goal = next((row for row in rows if row.tablets == goal_n), None)
        measured = (
            f"{at_goal.verdict_p95:.0f} ms, {at_goal.errors} errors → "
            + ("met" if at_goal.verdict_p95 <= goal_ms and not at_goal.errors else "NOT met")
            if at_goal
            else f"not measured (add {goal_n} to --tablets)"
        )
        print(
            f"goal: {goal_n} tablets keep the verdict p95 ≤ {goal_ms:.0f} ms, 0 errors: {measured}"
        )

    async def heavy(self, mode: str, n: int, control: tuple[str, str, str]) -> None:
        """N tablets, and one heavy photo and one 3-page upload sent together meanwhile."""
        control_id, cookie, csrf = control
        agent = Tablet(cookie, csrf, random.Random(0))
        async with self.session() as http:
            step = Step(http, self.url, self.material, mode)
            heavy_http = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=120), cookie_jar=aiohttp.DummyCookieJar()
            )

            async def send(path: str, form: aiohttp.FormData) -> Sent:
                start = time.perf_counter()
                headers = {"Cookie": cookie, "HX-Request": "true", "X-CSRF-Token": csrf}
                async with heavy_http.post(self.url + path, data=form, headers=headers) as a:
                    body = await a.read()
                    return Sent(start, time.perf_counter(), a.status, VALID in body)

            async def heavy_pair() -> list[Sent]:
                await asyncio.sleep(min(3.0, self.args.seconds / 3))
                photo = aiohttp.FormData({"csrf": agent.csrf})
                photo.add_field("photo", self.material.heavy_photo, filename="photo.jpg",
                                content_type="image/jpeg")  # fmt: skip
                pages = aiohttp.FormData({"csrf": agent.csrf})
                for number, page in enumerate(self.material.pages, 1):
                    pages.add_field("photos", page, filename=f"page-{number}.jpg",
                                    content_type="image/jpeg")  # fmt: skip
                return list(
                    await asyncio.gather(
                        send("/verifier", photo), send(f"/controles/{control_id}/photos", pages)
                    )
                )

            async with heavy_http:
                _, sent = await asyncio.gather(
                    step.run(self.tablets[:n], self.args.seconds + 3), heavy_pair()
                )
        begin, end = min(one.start for one in sent), max(one.end for one in sent)
        during = [t for s, t in step.stats.verdicts if s < end and s + t > begin]
        photo_mb = len(self.material.heavy_photo) / 1e6
        pages_mb = sum(map(len, self.material.pages)) / 1e6
        photo, pages = sent
        print(
            f"\nheavy case, mode {mode}, {n} tablets: a 12 MP photo ({photo_mb:.1f} MB) to "
            f"/verifier → {photo.status} in {photo.ms:.0f} ms"
            f"{' (verdict valide)' if photo.valid else ' (NOT the valid verdict)'}; "
            f"3 page photos ({pages_mb:.1f} MB) to a paper control → {pages.status} in "
            f"{pages.ms:.0f} ms, {self.stored_pages(control_id)} kept"
        )
        worst = max(during, default=0) * 1000
        print(
            f"  meanwhile the tablets' verdicts: {len(during)}, worst {worst:.0f} ms "
            f"(p95 of the whole step {p95_ms([t for _, t in step.stats.verdicts]):.0f} ms); "
            f"errors: {dict(step.stats.errors) or 0}"
        )
        if step.stats.decodes:
            print(f"  decodes over the step p50/95/99: {percentiles(step.stats.decodes)} ms")


def tablet_counts(text: str) -> list[int]:
    counts = [int(part) for part in text.split(",") if part.strip()]
    if not counts or min(counts) < 1 or max(counts) > MAX_TABLETS:
        raise argparse.ArgumentTypeError(f"between 1 and {MAX_TABLETS} tablets per step")
    return counts


def arguments() -> Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tablets", type=tablet_counts, default=tablet_counts("1,2,5,10,20"))
    parser.add_argument("--mode", choices=("tablet", "server", "both"), default="both")
    parser.add_argument("--seconds", type=float, default=20.0, help="per step (1 to 600)")
    parser.add_argument("--codes", type=int, default=500, help="distinct signed codes")
    parser.add_argument("--frames", type=int, default=12, help="frames of each kind")
    parser.add_argument("--timeout", type=float, default=10.0, help="per request, seconds")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--heavy-tablets", type=int, default=10)
    parser.add_argument("--no-heavy", action="store_true", help="skip the heavy case")
    args = parser.parse_args()
    bounds = {
        "--seconds 1–600": 1 <= args.seconds <= 600,
        "--codes 1–5000": 1 <= args.codes <= 5000,
        "--frames 1–50": 1 <= args.frames <= 50,
        "--timeout 1–120": 1 <= args.timeout <= 120,
        "--workers 1–32": 1 <= args.workers <= 32,
        f"--heavy-tablets 1–{MAX_TABLETS}": 1 <= args.heavy_tablets <= MAX_TABLETS,
    }
    if broken := [bound for bound, kept in bounds.items() if not kept]:
        parser.error(", ".join(broken))
    return args


def prepare(world: Path, args: Namespace) -> Material:
    started = time.monotonic()
    codes = make_codes(world, args.codes + 2 * args.frames, datetime.now(UTC))
    frames, frame_codes = make_frames(codes, args.frames)
    heavy, pages = b"", []
    if not args.no_heavy:
        heavy = phone_photo(codes[0], Conditions(frame=(4000, 3000), module_px=12), seed=1)
        pages = [page_photo(seed) for seed in range(3)]
    print(f"{args.codes} distinct codes and the frames made ({time.monotonic() - started:.0f} s)")
    return Material(codes[: args.codes], frames, frame_codes, heavy, pages)


def main() -> None:
    args = arguments()
    modes = ["tablet", "server"] if args.mode == "both" else [args.mode]
    with tempfile.TemporaryDirectory() as folder:
        settings = demo_settings(Path(folder), "charge-admin")
        engine = connect(settings.database())
        for number in range(min(ACCOUNTS, max(args.tablets))):
            add_user(engine, f"charge-{number}", f"Agent de charge {number}", Role.AGENT, PASSWORD)
        engine.dispose()
        material = prepare(Path(folder) / "demo", args)
        with server(settings, args.workers) as (url, process):
            print(
                f"server: {args.workers} processes on {url} (code of {ROOT}), "
                f"{os.cpu_count()} CPUs; {args.seconds:.0f} s per step; "
                f"request timeout {args.timeout:.0f} s"
            )
            bench = Bench(url, process.pid, settings, material, args)
            bench.sign_in(max(args.tablets))
            asyncio.run(bench.step("server", min(2, max(args.tablets)), 2.0))  # warm the workers
            for mode in modes:
                bench.sweep(mode)
            if not args.no_heavy:
                control = paper_control(url)
                n = min(args.heavy_tablets, max(args.tablets))
                asyncio.run(bench.heavy(modes[0], n, control))


def paper_control(url: str) -> tuple[str, str, str]:
    """A paper control of the heavy case's agent: its id, cookie and CSRF token."""
    client, csrf = signed_in(url, "charge-admin")
    created = client.post("/controles", data={
        "kind": "paper", "occurred_at": (datetime.now() - timedelta(minutes=5)).strftime(
            "%Y-%m-%dT%H:%M"), "departement": "69", "commune": "Lyon", "plate": "AB-123-CD",
        "csrf": csrf,
    })  # fmt: skip
    if created.status_code != 303:
        raise SystemExit(f"the paper control was not created ({created.status_code})")
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    client.close()
    return created.headers["location"].rsplit("/", 1)[1], cookie, csrf


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
