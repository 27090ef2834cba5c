"""The public zxing test photos (../shared/qr-photos): the pipeline beats every decoder alone
and never returns a wrong text. Other photo sets check the decoder elsewhere."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from control.capture.decode import decode_image

PHOTOS = Path(
    os.environ.get(
        "LIC_CONTROL_QR_PHOTOS", Path(__file__).resolve().parents[3] / "shared" / "qr-photos"
    )
)
REFERENCE_CHAIN = 0.939  # zxing-cpp → pyzbar → OpenCV, measured in issue #5


def rows() -> list[dict[str, str]]:
    manifest = PHOTOS / "manifest.tsv"
    if not manifest.exists():
        pytest.skip(f"no photo set at {PHOTOS} (set LIC_CONTROL_QR_PHOTOS)")
    with manifest.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def results() -> list[tuple[str, list[str]]]:
    return [
        (json.loads(row["expected"]), decode_image((PHOTOS / row["path"]).read_bytes()).texts)
        for row in rows()
    ]


def test_the_pipeline_beats_the_reference_chain(results: list[tuple[str, list[str]]]) -> None:
    correct = sum(expected in texts for expected, texts in results)
    assert correct / len(results) > REFERENCE_CHAIN


def test_the_pipeline_never_returns_a_wrong_text(results: list[tuple[str, list[str]]]) -> None:
    wrong = [texts for expected, texts in results if texts and expected not in texts]
    assert wrong == []
