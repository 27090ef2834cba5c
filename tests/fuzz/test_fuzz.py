"""A million mutated codes (LIC_CONTROL_FUZZ_RUNS, default 1 000 000) through the verifier
under atheris: each gets a verdict of the spec, none an exception."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HARNESS = Path(__file__).with_name("verify_fuzz.py")
RUNS = int(os.environ.get("LIC_CONTROL_FUZZ_RUNS", "1000000"))
WORKERS = 2  # the machines have two cores


def test_mutated_codes_each_get_a_verdict_never_an_exception(tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    workers = []
    for n in range(WORKERS):
        corpus = tmp_path / f"corpus-{n}"
        corpus.mkdir()
        command = [
            sys.executable,
            str(HARNESS),
            f"-atheris_runs={RUNS // WORKERS}",
            f"-seed={n + 1}",
            "-max_len=128",
            f"-artifact_prefix={tmp_path}/crash-{n}-",
            str(corpus),
        ]
        workers.append(subprocess.Popen(command, stderr=subprocess.PIPE, text=True))
    done = 0
    for worker in workers:
        _, errors = worker.communicate()
        assert worker.returncode == 0, errors[-3000:]
        match = re.search(r"^Done (\d+) ", errors, re.MULTILINE)
        assert match, errors[-3000:]
        done += int(match[1])
    assert done >= RUNS - RUNS % WORKERS
    assert not list(tmp_path.glob("crash-*"))
    print(f"{done} fuzzed inputs, 0 failures")
