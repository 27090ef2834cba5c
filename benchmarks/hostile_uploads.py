"""Every hostile file on every upload path: status, server time and the process's peak memory.

    .venv/bin/python -m benchmarks.hostile_uploads

Goal (issue #10): each refused in < 1 s with a 4xx, memory bounded. The app runs in-process
on SQLite; the peak resident memory of the process is read before and after the whole set.
"""

from __future__ import annotations

import re
import resource
import tempfile
import time
from pathlib import Path

from benchmarks.verdict import signed_in_client
from control.capture.hostile import hostile_files

PATHS = {"/api/decode": "frame", "/verifier": "photo", "/verifier-bulletin": "pdf"}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        client, csrf, _ = signed_in_client(Path(folder))
        created = client.post("/controles", data={
            "kind": "paper", "occurred_at": "2026-11-25T10:40", "departement": "69",
            "commune": "Lyon", "plate": "AB-123-CD", "csrf": csrf,
        })  # fmt: skip
        control_id = created.headers["location"].rsplit("/", 1)[1]
        paths = {**PATHS, f"/controles/{control_id}/photos": "photos"}
        before = peak_mb()
        slowest, count, errors = 0.0, 0, 0
        print(
            f"{'file':<28}{'bytes':>9}  " + "".join(f"{p.split('/')[-1][:12]:>16}" for p in paths)
        )
        for file in hostile_files():
            cells = []
            for path, field in paths.items():
                files = {field: (f"{file.name}.jpg", file.data, file.content_type)}
                start = time.perf_counter()
                response = client.post(
                    path, data={"csrf": csrf}, files=files, headers={"X-CSRF-Token": csrf}
                )
                elapsed = (time.perf_counter() - start) * 1000
                slowest, count = max(slowest, elapsed), count + 1
                errors += response.status_code >= 500
                cells.append(f"{response.status_code} {elapsed:7.1f} ms")
            print(f"{file.name:<28}{len(file.data):>9,}  " + "".join(f"{c:>16}" for c in cells))
        photos = len(re.findall(r"/photos/\d+\.jpg\"", client.get(f"/controles/{control_id}").text))
        print(
            f"\n{count} requests, {errors} server errors, slowest {slowest:.0f} ms (goal < 1000); "
            f"peak memory {before:.0f} MB before, {peak_mb():.0f} MB after; "
            f"{photos} photos kept (the valid images carrying a payload, re-encoded)"
        )


if __name__ == "__main__":
    main()
