"""The tablet's rule for Mobilic codes (web/static/verify/mobilic.js, run by Node) says what
the server's says (control/verify/mobilic.py) on every case of test_mobilic and on random
mutations of a genuine-looking code: recognised or not, the same link, the same dates."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from control.verify.mobilic import read_mobilic
from tests.verify.test_mobilic import CASES, GOOD

SCRIPT = Path(__file__).parents[2] / "web" / "static" / "verify" / "mobilic.js"
RUN = """
import { readFileSync } from "node:fs";
const { readMobilic } = await import(process.argv[1]);
const texts = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(texts.map((text) => readMobilic(text))));
"""
ALPHABET = "AZaz09-_.=&?%/:#@ \n\u00e9\ufeff"


def in_javascript(texts: list[str]) -> list[object]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node is missing: run scripts/install")
    done = subprocess.run(
        [node, "--input-type=module", "-e", RUN, SCRIPT.as_uri()],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return list(json.loads(done.stdout))


def in_python(text: str) -> object:
    found = read_mobilic(text)
    if found is None:
        return None
    return {
        "url": found.url,
        "generatedAt": int(found.generated_at.timestamp()),
        "expiresAt": None if found.expires_at is None else int(found.expires_at.timestamp()),
    }


def mutations(count: int = 3000) -> list[str]:
    """Characters replaced, inserted or cut anywhere in a genuine-looking code."""
    rng = random.Random(22)
    texts = []
    for _ in range(count):
        text = GOOD
        for _ in range(rng.randrange(1, 4)):
            at = rng.randrange(len(text))
            change = rng.choice(("replace", "insert", "cut"))
            new = rng.choice(ALPHABET) if change != "cut" else ""
            text = text[:at] + new + text[at + (change != "insert") :]
        texts.append(text)
    return texts


def test_both_sides_agree() -> None:
    texts = [text for _, text, _ in CASES] + mutations()
    expected = [in_python(text) for text in texts]
    found = in_javascript(texts)
    differing = [(t, e, f) for t, e, f in zip(texts, expected, found, strict=True) if e != f]
    assert not differing, differing[:3]
    assert sum(e is not None for e in expected) > 10  # both sides recognise codes, not only refuse
