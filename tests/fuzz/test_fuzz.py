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
# libFuzzer keeps an input whose run took over 10 s as a "slow unit". On a loaded VM a stall
# can do that to any input, so a slow unit fails the test only if it is slow again alone.
SLOW_AGAIN_MS = 1000


@pytest.mark.timeout(1200)  # a million runs: about 3 min in CI, past the suite's 5 min ceiling
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
            "-report_slow_units=10",
            f"-artifact_prefix={tmp_path}/artifact-{n}-",
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
    artifacts = list(tmp_path.glob("artifact-*"))
    crashes = [path for path in artifacts if "-slow-unit-" not in path.name]
    assert not crashes, [(path.name, path.read_bytes().hex()) for path in crashes]
    for slow in set(artifacts) - set(crashes):
        fastest = min(run_alone(slow) for _ in range(3))
        assert fastest < SLOW_AGAIN_MS, (slow.name, fastest, slow.read_bytes().hex())
        print(f"{slow.name}: {fastest} ms when run alone (the fuzzing run was stalled)")
    print(f"{done} fuzzed inputs, 0 failures")


def run_alone(data: Path) -> int:
    """Milliseconds the harness takes on one input, as libFuzzer reports it."""
    finished = subprocess.run(
        [sys.executable, str(HARNESS), str(data)], capture_output=True, text=True, check=True
    )
    match = re.search(r"^Executed .* in (\d+) ms$", finished.stderr, re.MULTILINE)
    assert match, finished.stderr[-3000:]
    return int(match[1])
