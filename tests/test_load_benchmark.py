"""`benchmarks/load.py` keeps running: two tablets, both modes, two seconds a step, on a real
server. A smoke test, so that the script cannot rot; its figures are the benchmark's to judge,
not CI's (only that the answers were right: every request answered, every verdict valid)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROW = re.compile(
    r"^\s+2\s+(?P<rate>[\d.]+)\s+(?P<frames>[\d.]+)\s+(?P<decode>\S+)\s+(?P<verdict>\S+)"
    r"\s+(?P<verdicts>\d+)\s+.*%\s+(?P<errors>.+)$",
    re.MULTILINE,
)


def test_the_load_benchmark_prints_its_table_for_both_modes_and_the_heavy_case() -> None:
    command = [sys.executable, "-m", "benchmarks.load", "--tablets", "2", "--mode", "both"]
    small = ["--seconds", "2", "--codes", "12", "--frames", "1"]
    result = subprocess.run(
        [*command, *small],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "frames 1280×720: 1 empty, 1 blurred, 1/1 readable (checked)" in out
    tablet, server = out.split("\nmode server")
    tablet_row, server_row = ROW.search(tablet), ROW.search(server)
    assert tablet_row, out
    assert server_row, out
    assert (tablet_row["errors"].strip(), server_row["errors"].strip()) == ("0", "0"), out
    assert tablet_row["decode"] == "—"  # nothing sent to be decoded
    assert re.fullmatch(r"\d+/\d+/\d+", server_row["decode"]), out
    assert float(tablet_row["frames"]) > 1  # about 3.3 a second when nothing waits
    assert out.count("verdict p95 passes 300 ms") == 2
    assert "goal: 200 tablets keep the verdict p95 ≤ 300 ms, 0 errors: not measured" in out
    assert "decode median by frame (ms):" in server
    heavy = re.search(
        r"to /verifier → (\d+) in \d+ ms \((.+?)\); .* to a paper control → (\d+) in \d+ ms, "
        r"(\d+) kept",
        out,
    )
    assert heavy, out
    assert heavy.groups() == ("200", "verdict valide", "200", "3"), out  # 3 pages in the database
    assert "meanwhile the tablets' verdicts:" in out
