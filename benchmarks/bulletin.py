"""Time and size of a bulletin PDF (WeasyPrint, PDF/A-3b), with and without page photos.

    .venv/bin/python benchmarks/bulletin.py [--runs 20]

Goal: median generation ≤ 1.5 s. Includes signing the verification code and the PDF (PAdES).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from control.bulletins.pdf import issue_pdf, render_pdf
from control.bulletins.signing import sign_bulletin
from control.capture.pages import scan_page
from control.capture.simulate import page_photo
from control.demo.bulletins import sample_bulletin
from control.pades.certs import SigningIdentity, signing_identity
from control.settings import Settings
from control.verify.keys import PrivateKey


def measure(
    label: str, with_photos: bool, photos: tuple[bytes, ...], runs: int, identity: SigningIdentity
) -> None:
    key = PrivateKey.generate("FR-CONTROLE-LIC")
    bulletin = replace(sample_bulletin(), photos=photos)
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        code = sign_bulletin(bulletin, key)
        pdf = issue_pdf(bulletin, code, identity, with_photos=with_photos)
        times.append(time.perf_counter() - start)
        size = len(pdf)
    times.sort()
    print(
        f"{label:<32} median {statistics.median(times) * 1000:7.0f} ms   "
        f"p95 {times[int(len(times) * 0.95)] * 1000:7.0f} ms   size {size / 1000:7.0f} kB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    render_pdf(sample_bulletin(), "BDC1:WARMUP")  # fonts and templates loaded once
    photos = tuple(scan_page(page_photo(seed)).jpeg for seed in range(4))
    print(f"{args.runs} runs each (goal: median ≤ 1 500 ms)")
    identity = signing_identity(Settings(data_dir=Path(tempfile.mkdtemp())))  # a demo chain
    measure("bulletin, 2 infractions", False, (), args.runs, identity)
    measure("bulletin + 4 page photos annex", True, photos, max(5, args.runs // 4), identity)


if __name__ == "__main__":
    main()
