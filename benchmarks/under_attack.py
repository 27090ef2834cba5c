"""Five tablets keep scanning while the server is attacked: their latency and its memory.

    .venv/bin/python -m benchmarks.under_attack [--seconds 30] [--workers 2] [--attackers 2]

A real server (`lic-control serve`, its worker processes, SQLite under a temporary folder,
the demo world) on loopback. Attackers loop over the hostile set of
`control/capture/hostile.py`, a 7 000 × 7 000 PNG (to /api/decode, /verifier and a photo
upload), a PDF of 2 000 pages and one of a huge page (to the public /verifier-bulletin,
whose signature check parses them and renders nothing). Meanwhile five tablets do what
scan.js does in a browser without a QR reader of its own (the worst case: a tablet reads its
frames itself): a 1280 px camera frame to /api/decode every 300 ms and, every fifth frame,
the code read to /api/verify.

Goal (issue #19): the tablets' p95 ≤ 300 ms and worst ≤ 1 s; no 5xx but the pool's 503;
the server's memory bounded (peak RSS of its processes, summed).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pypdfium2
from PIL import Image

from benchmarks.serving import processes_of, rss_mb, server
from benchmarks.serving import signed_in as signed_in_as
from benchmarks.verdict import demo_settings
from control.capture.hostile import hostile_files
from control.capture.simulate import Conditions, phone_photo

TABLETS = 5
FRAME_INTERVAL = 0.3  # web/static/scan.js FRAME_INTERVAL_MS
LOGIN = "bench"


def signed_in(url: str) -> tuple[httpx.Client, str]:
    return signed_in_as(url, LOGIN)


def huge_png() -> bytes:
    out = io.BytesIO()
    Image.new("1", (7000, 7000), 1).save(out, "PNG")
    return out.getvalue()


def pdf_of_page(side: float, pages: int = 1) -> bytes:
    document = pypdfium2.PdfDocument.new()
    for _ in range(pages):
        document.new_page(side, side)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class Tablet(threading.Thread):
    """A scan page: a frame every 300 ms, one at a time; the code checked every fifth."""

    def __init__(self, url: str, frames: list[bytes], code: str, until: float) -> None:
        super().__init__(daemon=True)
        self.client, self.csrf = signed_in(url)
        self.frames, self.code, self.until = frames, code, until
        self.latencies: list[float] = []
        self.statuses: Counter[int] = Counter()

    def run(self) -> None:
        headers = {"X-CSRF-Token": self.csrf}
        count = 0
        while time.monotonic() < self.until:
            frame = self.frames[count % len(self.frames)]
            start = time.perf_counter()
            if count % 5 == 4:
                answer = self.client.post("/api/verify", json={"text": self.code}, headers=headers)
            else:
                files = {"frame": ("frame.jpg", frame, "image/jpeg")}
                answer = self.client.post("/api/decode", files=files, headers=headers)
            elapsed = time.perf_counter() - start
            self.latencies.append(elapsed)
            self.statuses[answer.status_code] += 1
            count += 1
            time.sleep(max(0.0, FRAME_INTERVAL - elapsed))


class Attacker(threading.Thread):
    """Sends its files in a loop, as fast as the server answers."""

    def __init__(self, url: str, control_id: str, until: float) -> None:
        super().__init__(daemon=True)
        self.client, self.csrf = signed_in(url)
        self.until = until
        png = ("huge.png", huge_png(), "image/png")
        largest = ("max.pdf", pdf_of_page(842, pages=2000), "application/pdf")
        self.sends: list[tuple[str, str, tuple[str, bytes, str]]] = [
            ("/api/decode", "frame", png),
            ("/verifier", "photo", png),
            (f"/controles/{control_id}/photos", "photos", png),
            ("/verifier-bulletin", "pdf", largest),
            ("/verifier-bulletin", "pdf", ("huge.pdf", pdf_of_page(14_400), "application/pdf")),
        ] + [
            ("/api/decode", "frame", (f"{f.name}.jpg", f.data, f.content_type))
            for f in hostile_files()
        ]
        self.statuses: Counter[int] = Counter()
        self.slowest = 0.0

    def run(self) -> None:
        count = 0
        while time.monotonic() < self.until:
            path, field, file = self.sends[count % len(self.sends)]
            start = time.perf_counter()
            try:
                answer = self.client.post(
                    path, data={"csrf": self.csrf}, files={field: file},
                    headers={"X-CSRF-Token": self.csrf},
                )  # fmt: skip
                self.statuses[answer.status_code] += 1
            except httpx.TimeoutException:
                self.statuses[0] += 1
            self.slowest = max(self.slowest, time.perf_counter() - start)
            count += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--attackers", type=int, default=2, help="attacking connections")
    parser.add_argument("--quiet", action="store_true", help="no attack: the tablets alone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = demo_settings(Path(folder), LOGIN)
        code = sorted((Path(folder) / "demo" / "codes").glob("*.txt"))[0].read_text().strip()
        conditions = Conditions(frame=(1280, 720), module_px=5)
        frames = [phone_photo(code, conditions, seed) for seed in range(8)]
        with server(settings, args.workers) as (url, process):
            client, csrf = signed_in(url)
            created = client.post("/controles", data={
                "kind": "paper", "occurred_at": "2026-11-25T10:40", "departement": "69",
                "commune": "Lyon", "plate": "AB-123-CD", "csrf": csrf,
            })  # fmt: skip
            control_id = created.headers["location"].rsplit("/", 1)[1]
            until = time.monotonic() + args.seconds
            attackers = [
                Attacker(url, control_id, until) for _ in range(0 if args.quiet else args.attackers)
            ]
            tablets = [Tablet(url, frames, code, until) for _ in range(TABLETS)]
            for thread in [*attackers, *tablets]:
                thread.start()
            peak_total = 0.0
            while any(t.is_alive() for t in tablets):
                total = sum(rss_mb(pid) for pid in processes_of(process.pid))
                peak_total = max(peak_total, total)
                time.sleep(0.1)
            peaks = [rss_mb(pid, "VmHWM") for pid in processes_of(process.pid)]
            for thread in attackers:
                thread.join(60)
    latencies = sorted(ms for t in tablets for ms in t.latencies)
    statuses = sum((t.statuses for t in tablets), Counter())
    attack = sum((a.statuses for a in attackers), Counter())
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000
    worst = latencies[-1] * 1000
    print(
        f"{args.workers} server processes, {TABLETS} tablets, {len(attackers)} attackers, "
        f"{args.seconds:.0f} s, {os.cpu_count()} CPUs"
    )
    print(
        f"tablets: {len(latencies)} requests {dict(sorted(statuses.items()))}; "
        f"median {statistics.median(latencies) * 1000:.0f} ms, p95 {p95:.0f} ms "
        f"(goal ≤ 300), worst {worst:.0f} ms (goal ≤ 1000)"
    )
    if attackers:
        slowest = max(a.slowest for a in attackers) * 1000
        print(
            f"attackers: {sum(attack.values())} requests {dict(sorted(attack.items()))}; "
            f"slowest answer {slowest:.0f} ms"
        )
    print(
        f"server memory: peak {peak_total:.0f} MB for its {len(peaks)} processes together "
        f"(sampled every 100 ms); each one's own peak: "
        + ", ".join(f"{mb:.0f}" for mb in peaks)
        + " MB"
    )


if __name__ == "__main__":
    main()
