"""A real `lic-control serve` on loopback for the benchmarks, and agents signed in to it.

Shared by `under_attack.py` and `load.py`: both measure the server as a tablet meets it
(its worker processes, SQLite under a temporary folder), not the app in-process.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import httpx

from benchmarks.verdict import PASSWORD
from control.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _stop_on_sigterm() -> None:
    """A SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C, so the server is stopped too."""

    def unwind(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, unwind)


@contextmanager
def server(
    settings: Settings, workers: int, ready_within: float = 180.0
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`lic-control serve` with these settings on 127.0.0.1, until the block ends (even on
    Ctrl-C or SIGTERM): this checkout's code, whatever the venv installed."""
    _stop_on_sigterm()
    port = free_port()
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "LIC_CONTROL_DATA_DIR": str(settings.data_dir),
        "LIC_CONTROL_SECRET_KEY": settings.secret_key,
        "LIC_CONTROL_TRUST_LIST": str(settings.trust_list),
        "LIC_CONTROL_ROOT_KEY": str(settings.root_key),
        "LIC_CONTROL_COOKIE_SECURE": "false",
        "LIC_CONTROL_RETENTION_YEARS": "0",
    }
    command = [sys.executable, "-c", "from control.cli import main; main()", "serve"]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_within
        while True:
            try:
                httpx.get(url + "/connexion", timeout=5)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"no server (exit {process.poll()})") from None
                time.sleep(0.1)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def signed_in(url: str, login: str, password: str = PASSWORD) -> tuple[httpx.Client, str]:
    """A browser of its own (cookies, session) signed in as `login`, and its CSRF token."""
    client = httpx.Client(base_url=url, timeout=30)
    token = CSRF.search(client.get("/connexion").text)
    assert token
    client.post("/connexion", data={"login": login, "password": password, "csrf": token[1]})
    csrf = CSRF.search(client.get("/scan").text)
    assert csrf, f"{login} not signed in"
    return client, csrf[1]


def processes_of(pid: int) -> list[int]:
    """The server and its worker processes (children, grandchildren)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            queue += [int(child) for child in task.read_text().split()]
    return found


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    match = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
    return int(match[1]) / 1024 if match else 0.0


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU these processes have used so far (from /proc, in clock ticks)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / ticks


def machine_busy_seconds() -> float:
    """CPU time every core has spent busy so far (all processes), from /proc/stat: what the
    server and the load generator did not use went to the machine's other work."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")
