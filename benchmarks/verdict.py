"""Server time of a verdict (the code's text, htmx) and of `POST /api/verify` with a photo,
and the scan page's first-load bytes.

    .venv/bin/python benchmarks/verdict.py [--requests 60] [--rounds 20]

The app runs in-process on SQLite with the demo world (no network in the figure: this is the
server's time). Goals: a verdict ≤ 4 ms of server CPU besides verify() (200 tablets send
~170 a second to two cores, which also run the load generator); the photo's median ≤ 50 ms;
first load ≤ 300 KB.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import importlib.util
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.types import Receive, Scope, Send

from control.capture.simulate import Conditions, phone_photo
from control.demo.build import build_demo
from control.rules import analyze
from control.services.checking import check_code
from control.settings import Settings
from control.storage.controls import controls_with_code
from control.storage.database import connect, migrate
from control.storage.users import Role, add_user
from control.verify import verify
from web.app import create_app
from web.context import AppContext
from web.presenters import verdict_context

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


VERDICT_GOAL_MS = 4.0  # server CPU per verdict besides verify()
P95_GOAL_MS = 300.0  # what a tablet waits for, under the load of a brigade (benchmarks/load.py)


class ServerClock:
    """The app timed from the request's arrival to its last byte: the server's own time, not
    the client's (both run in this process)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.wall: list[float] = []
        self.cpu: list[float] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        await self.app(scope, receive, send)
        self.cpu.append((time.process_time() - cpu) * 1000)
        self.wall.append((time.perf_counter() - wall) * 1000)


def verdict_texts(world: Path) -> list[str]:
    """Every demo code: valid ones of each sector, amended, automatic, revoked, expired..."""
    return [path.read_text().strip() for path in sorted((world / "codes").glob("*.txt"))]


async def _signed_in(client: httpx.AsyncClient) -> re.Match[str]:
    """The benchmark's agent signed in on `client`: the scan page's CSRF token (match 1)."""
    page = (await client.get("/connexion")).text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token
    form = {"login": "bench", "password": PASSWORD, "csrf": token[1]}
    await client.post("/connexion", data=form)
    csrf = re.search(r'name="csrf" value="([^"]+)"', (await client.get("/scan")).text)
    assert csrf
    return csrf


async def _verdict_requests(
    app: FastAPI, texts: list[str], rounds: int
) -> tuple[ServerClock, list[bytes]]:
    clock = ServerClock(app)
    transport = httpx.ASGITransport(app=clock)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        csrf = await _signed_in(client)
        fragments = []
        for text in texts:  # once each, not timed: the templates compiled, the caches warm
            response = await client.post(
                "/verifier", data={"code": text, "csrf": csrf[1]}, headers={"HX-Request": "true"}
            )
            assert response.status_code == 200, response.status_code
            assert "<html" not in response.text  # the fragment, not the page
            fragments.append(response.content)
        clock.wall.clear()
        clock.cpu.clear()
        for _ in range(rounds):
            for text in texts:
                response = await client.post(
                    "/verifier",
                    data={"code": text, "csrf": csrf[1]},
                    headers={"HX-Request": "true"},
                )
                assert response.status_code == 200
    return clock, fragments


class Stopwatch:
    """CPU time spent in each stage, summed over the verdicts."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.process_time()
        yield
        self.spent[name] = self.spent.get(name, 0.0) + (time.process_time() - start) * 1000


def _stage_times(app: FastAPI, texts: list[str], rounds: int) -> dict[str, float]:
    """Each stage of a verdict called alone, as the route calls it: ms per verdict (a mean,
    so that the stages add up; the analysis runs for valid codes only)."""
    context: AppContext = app.state.context
    trust, now = context.trust, context.now()
    assert trust is not None
    page = app.state.templates.get_template("verdict.html")
    watch = Stopwatch()
    for _ in range(rounds):
        for text in texts:
            with watch.stage("verify()"):
                result = verify(text, trust, now)
            with watch.stage("seen before"):
                controls_with_code(context.engine, result.cti.hex()) if result.cti else []
            if result.record is not None and result.valid:
                with watch.stage("analysis"):
                    analyze(result.record, result.iat or now)
            checked = check_code(text, trust, context.engine, now)
            with watch.stage("presenter"):
                shown = verdict_context(checked)
            values = {"request": None, "user": None, "csrf": "jeton", **shown}
            with watch.stage("render"):
                "".join(page.blocks["result"](page.new_context(values)))
    return {stage: total / (rounds * len(texts)) for stage, total in watch.spent.items()}


def verdict_timing(folder: Path, rounds: int) -> None:
    """`POST /verifier` with a code's text, as the scan page sends it once the tablet has
    decoded a frame: server time, its breakdown and the fragment's bytes."""
    app = create_app(demo_settings(folder, "bench"))
    texts = verdict_texts(folder / "demo")
    clock, fragments = asyncio.run(_verdict_requests(app, texts, rounds))
    stages = _stage_times(app, texts, rounds)
    wall, cpu = sorted(clock.wall), sorted(clock.cpu)
    besides = statistics.mean(cpu) - stages["verify()"]
    print(
        f"POST /verifier (code text, htmx), {len(texts)} demo codes × {rounds}: server time "
        f"median {statistics.median(wall):.2f} ms, p95 {wall[int(len(wall) * 0.95)]:.2f} ms; "
        f"CPU median {statistics.median(cpu):.2f} ms"
    )
    print(f"  breakdown, ms of CPU per verdict (mean {statistics.mean(cpu):.2f} ms):")
    for stage, ms in stages.items():
        print(f"    {stage:<14}{ms:>6.2f}")
    rest = statistics.mean(cpu) - sum(stages.values())
    print(f"    {'HTTP & rest':<14}{rest:>6.2f}  (middleware, session, CSRF, form, response)")
    print(
        f"  server CPU besides verify(): {besides:.2f} ms per verdict "
        f"(goal ≤ {VERDICT_GOAL_MS:g} ms; under load, p95 ≤ {P95_GOAL_MS:g} ms: benchmarks/load.py)"
    )
    raw = [len(f) for f in fragments]
    packed = [len(gzip.compress(f, 6)) for f in fragments]
    print(
        f"  fragment: {statistics.median(raw) / 1000:.1f} kB raw (max {max(raw) / 1000:.1f}), "
        f"{statistics.median(packed) / 1000:.1f} kB gzip -6 (max {max(packed) / 1000:.1f}), median"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _cpu_seconds(pid: int) -> float:
    """User and system CPU of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _served_verdicts(
    url: str, texts: list[str], rounds: int, tablets: int
) -> tuple[list[float], int]:
    """`tablets` clients at once, each posting the demo codes in turn: latencies (ms)."""
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        csrf = await _signed_in(client)
        latencies: list[float] = []
        errors = 0

        async def tablet(offset: int) -> None:
            nonlocal errors
            for i in range(rounds * len(texts) // tablets):
                start = time.perf_counter()
                response = await client.post(
                    "/verifier",
                    data={"code": texts[(i + offset) % len(texts)], "csrf": csrf[1]},
                    headers={"HX-Request": "true", "Accept-Encoding": "gzip"},
                )
                latencies.append((time.perf_counter() - start) * 1000)
                errors += response.status_code != 200

        await asyncio.gather(*(tablet(n) for n in range(tablets)))
    return latencies, errors


def served_timing(folder: Path, rounds: int, tablets: int) -> None:
    """The same verdicts through a real `lic-control serve` (one process on core 0, the
    client on core 1 when there are two): what the socket, the HTTP parser and the event
    loop add, as the server process's own CPU per verdict."""
    settings = demo_settings(folder, "bench")
    texts = verdict_texts(folder / "demo")
    port = _free_port()
    env = {
        **os.environ,
        "LIC_CONTROL_DATA_DIR": str(settings.data_dir),
        "LIC_CONTROL_SECRET_KEY": "benchmark",
        "LIC_CONTROL_TRUST_LIST": str(settings.trust_list),
        "LIC_CONTROL_ROOT_KEY": str(settings.root_key),
        "LIC_CONTROL_COOKIE_SECURE": "false",
    }
    serve = str(Path(sys.executable).with_name("lic-control"))
    command = [serve, "serve", "--workers", "1", "--port", str(port)]
    cores = os.sched_getaffinity(0)
    if len(cores) > 1:
        command = ["taskset", "-c", "0", *command]  # taskset execs the server in place
        os.sched_setaffinity(0, {1})
    log = folder / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(command, env=env, stderr=output)
    try:
        while "Uvicorn running" not in log.read_text():
            assert server.poll() is None, log.read_text()
            time.sleep(0.2)
        pid = server.pid
        url = f"http://127.0.0.1:{port}"
        asyncio.run(_served_verdicts(url, texts, 1, tablets))  # warm
        cpu = _cpu_seconds(pid)
        started = time.perf_counter()
        latencies, errors = asyncio.run(_served_verdicts(url, texts, rounds, tablets))
        elapsed = time.perf_counter() - started
        per_verdict = (_cpu_seconds(pid) - cpu) * 1000 / len(latencies)
    finally:
        server.terminate()
        server.wait(timeout=30)
        os.sched_setaffinity(0, cores)
    latencies.sort()
    print(
        f"lic-control serve (1 process), {tablets} clients at once, {len(latencies)} verdicts: "
        f"server CPU {per_verdict:.2f} ms per verdict (incl. verify()), "
        f"{len(latencies) / elapsed:.0f} verdicts/s, latency median "
        f"{statistics.median(latencies):.1f} ms, p95 {latencies[int(len(latencies) * 0.95)]:.1f}"
        f" ms, {errors} errors; {_server_stack()}"
    )


def _server_stack() -> str:
    """What uvicorn runs on: httptools and uvloop when installed, else h11 and asyncio."""
    found = [name for name in ("httptools", "uvloop") if importlib.util.find_spec(name)]
    return "with " + " and ".join(found) if found else "h11 and asyncio (no httptools, uvloop)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60, help="photos sent to /api/verify")
    parser.add_argument("--rounds", type=int, default=20, help="rounds of the demo codes' verdicts")
    parser.add_argument("--tablets", type=int, default=8, help="clients at once (--served)")
    parser.add_argument(
        "--served", action="store_true", help="also through a real `lic-control serve`"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        verdict_timing(Path(folder) / "verdict", args.rounds)
        if args.served:
            served_timing(Path(folder) / "served", args.rounds, args.tablets)
        client, csrf, world = signed_in_client(Path(folder) / "photo")
        first_load(client)
        verify_timing(client, csrf, world, args.requests)


if __name__ == "__main__":
    main()
