"""The service worker: named after the static files it caches, so a change reaches tablets."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_the_service_worker_cache_is_named_after_the_static_files(client: TestClient) -> None:
    worker = client.get("/sw.js")
    assert worker.headers["cache-control"] == "no-cache"
    assert re.search(r'const CACHE = "lic-shell-[0-9a-f]{12}"', worker.text)
    assert "lic-shell-v1" not in worker.text


def test_the_service_worker_caches_every_script_the_pages_load(client: TestClient) -> None:
    worker = client.get("/sw.js").text
    for script in ("app.js", "scan.js", "export.js"):
        assert f"/static/{script}" in worker
