"""Server time of `POST /api/verify` with a 1080p photo, and the scan page's first-load bytes.

    .venv/bin/python benchmarks/verdict.py [--requests 60]

The app runs in-process on SQLite with the demo world (no network in the figure: this is the
server's time). Goals: median ≤ 50 ms; first load ≤ 300 KB.
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from control.capture.simulate import Conditions, phone_photo
from control.demo.build import build_demo
from control.settings import Settings
from control.storage.database import connect, migrate
from control.storage.users import Role, add_user
from web.app import create_app

PASSWORD = "benchmark-password"


def demo_settings(folder: Path, login: str) -> Settings:
    """An app on SQLite under `folder` with the demo world and one agent, `login`."""
    world = folder / "demo"
    build_demo(world, datetime.now(UTC).replace(second=0, microsecond=0))
    settings = Settings(
        data_dir=folder,
        secret_key="benchmark",
        trust_list=world / "trust-list.json",
        root_key=world / "authority" / "root.jwk.pub",
        cookie_secure=False,
    )
    engine = connect(settings.database())
    migrate(engine)
    add_user(engine, login, "Banc d'essai", Role.AGENT, PASSWORD)
    engine.dispose()
    return settings


def signed_in_client(folder: Path) -> tuple[TestClient, str, Path]:
    settings = demo_settings(folder, "bench")
    world = folder / "demo"
    client = TestClient(create_app(settings), follow_redirects=False)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/connexion").text)
    assert token
    client.post("/connexion", data={"login": "bench", "password": PASSWORD, "csrf": token[1]})
    page = client.get("/scan").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf
    return client, csrf[1], world


def first_load(client: TestClient) -> None:
    html = client.get("/scan").content
    # what the browser fetches: scripts, stylesheets, icon and manifest (not the nav links)
    assets = sorted(
        set(re.findall(rb'<script[^>]+src="(/[^"]+)"', html))
        | set(re.findall(rb'<link[^>]+href="(/[^"]+)"', html))
    )
    total = len(html)
    compressed = len(gzip.compress(html))
    print(f"first load of /scan: {len(html):>8,} B  /scan (HTML)")
    for asset in assets:
        body = client.get(asset.decode()).content
        total += len(body)
        compressed += len(gzip.compress(body))
        print(f"{'':>20}{len(body):>8,} B  {asset.decode()}")
    print(
        f"first load total: {total / 1000:.0f} kB uncompressed, {compressed / 1000:.0f} kB gzip "
        f"(goal ≤ 300 kB)"
    )


def verify_timing(client: TestClient, csrf: str, world: Path, requests: int) -> None:
    text = (world / "codes" / "06-nuit.txt").read_text().strip()
    photo = phone_photo(text, Conditions(tilt=0.08, blur=0.8, module_px=5), seed=1)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.post(
            "/api/verify",
            files={"image": ("frame.jpg", photo, "image/jpeg")},
            headers={"X-CSRF-Token": csrf},
        )
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
        assert response.json()["verdict"] == "valid"
    times.sort()
    print(
        f"POST /api/verify, 1080p JPEG ({len(photo) / 1000:.0f} kB), {requests} requests: "
        f"median {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95)]:.1f} ms "
        f"(goal median ≤ 50 ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        client, csrf, world = signed_in_client(Path(folder))
        first_load(client)
        verify_timing(client, csrf, world, args.requests)


if __name__ == "__main__":
    main()
