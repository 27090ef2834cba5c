"""The server killed (SIGKILL) at the worst moments of bulletin issuance and photo upload:
after a restart, what was committed is intact, nothing half-written is visible, and bulletin
numbers are never given twice. On SQLite (WAL) and PostgreSQL.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from PIL import Image
from sqlalchemy import Engine, select

from control.bulletins.verify import check_pdf
from control.pades.certs import trust_roots
from control.settings import Settings
from control.storage.crashpoints import POINTS
from control.storage.schema import bulletins, page_photos
from control.storage.users import Role, add_user
from tests.browser.conftest import free_port
from tests.web.conftest import PASSWORDS, csrf_of, demo_code, sign_in
from tests.web.test_bulletins import (
    STEP3,
    electronic_control,
    fill_bulletin,
    issue_bulletin,
    page_photo_bytes,
)

LIC_CONTROL = Path(sys.executable).with_name("lic-control")
BULLETIN_POINTS = ("file:half-written", "bulletin:pdf-written", "bulletin:committed")
COMMITTED = ("bulletin:committed", "photo:committed")


@pytest.fixture
def environment(
    engine: Engine, database_url: str, tmp_path: Path, demo_world: Path
) -> dict[str, str]:
    add_user(engine, "agent", "Agent Crash", Role.AGENT, PASSWORDS["agent"])
    return {
        **os.environ,
        "LIC_CONTROL_DATA_DIR": str(tmp_path / "data"),
        "LIC_CONTROL_DATABASE_URL": database_url,
        "LIC_CONTROL_SECRET_KEY": "crash-test-secret",
        "LIC_CONTROL_TRUST_LIST": str(demo_world / "trust-list.json"),
        "LIC_CONTROL_ROOT_KEY": str(demo_world / "authority" / "root.jwk.pub"),
        "LIC_CONTROL_COOKIE_SECURE": "false",
        "LIC_CONTROL_RETENTION_YEARS": "0",
        # one process: the crash kills the server, not a worker its supervisor would restart
        "LIC_CONTROL_PROCESSES": "1",
    }


@contextmanager
def server(
    environment: dict[str, str], crash_at: str = ""
) -> Iterator[tuple[httpx.Client, subprocess.Popen[bytes]]]:
    port = free_port()
    process = subprocess.Popen(
        [str(LIC_CONTROL), "serve", "--port", str(port)],
        env={**environment, "LIC_CONTROL_CRASH_AT": crash_at},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
    try:
        for _ in range(200):
            try:
                client.get("/connexion")
                break
            except httpx.TransportError:
                time.sleep(0.05)
        yield client, process
    finally:
        client.close()
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)  # ending abruptly is part of the test
        process.wait(timeout=30)


def crash_during(client: httpx.Client, point: str, control_id: int) -> None:
    token = csrf_of(client, "/scan")  # type: ignore[arg-type]
    if point in BULLETIN_POINTS:
        url = fill_bulletin(client, token, control_id)  # type: ignore[arg-type]
        data, files = {**STEP3, "csrf": token}, None
    else:
        url = f"/controles/{control_id}/photos"
        data = {"csrf": token}
        files = {"photos": ("page.jpg", page_photo_bytes(5), "image/jpeg")}
    with pytest.raises(httpx.TransportError):  # the server dies before it answers
        client.post(url, data=data, files=files)


def committed_state(engine: Engine, files: Path, data_dir: Path) -> tuple[int, int]:
    """Check every row's files; returns (bulletins, photos)."""
    roots = trust_roots(Settings(data_dir=data_dir))
    with engine.connect() as connection:
        issued = connection.execute(select(bulletins)).all()
        photos = connection.execute(select(page_photos)).all()
    numbers = [(row.number, row.version) for row in issued]
    assert len(numbers) == len(set(numbers))
    for row in issued:
        checked = check_pdf(Path(row.pdf_path).read_bytes(), roots)
        assert checked.valid, checked.reason
    for row in photos:
        Image.open(io.BytesIO(Path(row.path).read_bytes())).load()  # whole, not truncated
        assert Path(row.original_path).read_bytes()
    referenced = {Path(r.pdf_path).name for r in issued} | {
        Path(p).name for r in photos for p in (r.path, r.original_path)
    }
    on_disk = {p.name for p in files.rglob("*") if p.is_file()}
    assert referenced <= on_disk
    return len(issued), len(photos)


@pytest.mark.parametrize("point", POINTS)
def test_a_crash_loses_nothing_committed_and_shows_nothing_half_done(
    engine: Engine, environment: dict[str, str], demo_world: Path, point: str
) -> None:
    data_dir = Path(environment["LIC_CONTROL_DATA_DIR"])
    files = data_dir / "fichiers"
    with server(environment) as (client, _):
        token = sign_in(client, "agent")  # type: ignore[arg-type]
        control_id = electronic_control(client, token, demo_code(demo_world, "06-nuit"))  # type: ignore[arg-type]
        first = issue_bulletin(client, token, control_id)  # type: ignore[arg-type]
        photo = {"photos": ("page.jpg", page_photo_bytes(4), "image/jpeg")}
        client.post(f"/controles/{control_id}/photos", data={"csrf": token}, files=photo)
    assert committed_state(engine, files, data_dir) == (1, 1)

    with server(environment, crash_at=point) as (client, process):
        sign_in(client, "agent")  # type: ignore[arg-type]
        crash_during(client, point, control_id)
        assert process.wait(timeout=30) == -signal.SIGKILL

    bulletins_after, photos_after = committed_state(engine, files, data_dir)
    crashed_bulletin = point in BULLETIN_POINTS
    done = point in COMMITTED
    assert bulletins_after == 1 + (done and crashed_bulletin)
    assert photos_after == 1 + (done and not crashed_bulletin)

    with server(environment) as (client, _):  # restarted: the old bulletin, then a new one
        token = sign_in(client, "agent")  # type: ignore[arg-type]
        assert client.get(f"{first}/pdf").content.startswith(b"%PDF")
        issue_bulletin(client, token, control_id)  # type: ignore[arg-type]
    assert committed_state(engine, files, data_dir)[0] == bulletins_after + 1
