"""The browser's verifier (web/static/verify/, for use without network) gives every golden
vector the verdict, layer and warnings of the Python verifier, and decodes the same record."""

from __future__ import annotations

import json
import os
import random
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import cbor2
import pytest
from playwright.sync_api import Page

from control.record.json_form import record_to_json
from control.verify import base45, cose, trustlist, verify
from control.verify.envelope import unwrap, wrap
from control.verify.keys import load_private, load_public

VECTORS_DIR = Path(__file__).parents[1] / "vectors"
VECTORS: list[dict[str, Any]] = json.loads((VECTORS_DIR / "vectors.json").read_text())

RUN = """async ([document, root, cases]) => {
  const { loadTrustList } = await import("/static/verify/trustlist.js");
  const { verify } = await import("/static/verify/verifier.js");
  const trust = await loadTrustList(document, root);
  const out = [];
  for (const [text, at] of cases) {
    const r = await verify(text, trust, at);
    out.push({ verdict: r.verdict, layer: r.layer, warnings: r.warnings, record: r.record });
  }
  return out;
}"""


def python_results(cases: list[tuple[str, int]]) -> list[dict[str, Any]]:
    trust = trustlist.loads(
        (VECTORS_DIR / "trust-list.json").read_text(),
        load_public(VECTORS_DIR / "keys" / "root.jwk.pub"),
    )
    out = []
    for text, at in cases:
        result = verify(text, trust, datetime.fromtimestamp(at, UTC))
        out.append(
            {
                "verdict": result.verdict.value,
                "layer": None if result.layer is None else result.layer.value,
                "warnings": [w.value for w in result.warnings],
                "record": None if result.record is None else record_to_json(result.record),
            }
        )
    return out


def browser_results(page: Page, cases: list[tuple[str, int]]) -> list[dict[str, Any]]:
    page.goto("/connexion")
    document = (VECTORS_DIR / "trust-list.json").read_text()
    root = json.loads((VECTORS_DIR / "keys" / "root.jwk.pub").read_text())
    return page.evaluate(RUN, [document, root, [list(case) for case in cases]])  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def both(browser: Any, live_server: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    cases = [(v["text"], v["at"]) for v in VECTORS]
    try:
        return browser_results(page, cases), python_results(cases)
    finally:
        context.close()


@pytest.mark.parametrize("index", range(len(VECTORS)), ids=[v["name"] for v in VECTORS])
def test_the_browser_gives_each_vector_the_python_verdict(
    both: tuple[list[dict[str, Any]], list[dict[str, Any]]], index: int
) -> None:
    browser, python = both
    vector = VECTORS[index]
    assert browser[index]["verdict"] == python[index]["verdict"] == vector["verdict"]
    assert browser[index]["layer"] == python[index]["layer"] == vector["layer"]
    assert browser[index]["warnings"] == python[index]["warnings"] == vector["warnings"]


@pytest.mark.parametrize("index", range(len(VECTORS)), ids=[v["name"] for v in VECTORS])
def test_the_browser_decodes_the_same_record(
    both: tuple[list[dict[str, Any]], list[dict[str, Any]]], index: int
) -> None:
    browser, python = both
    assert browser[index]["record"] == python[index]["record"]


# --- mutants: the two verifiers must agree on codes no vector foresaw ---

MUTANTS = int(os.environ.get("LIC_CONTROL_BROWSER_MUTANTS", "600"))


def random_value(rng: random.Random, depth: int = 0) -> Any:
    """A CBOR value a hostile or buggy issuer could sign in place of a field."""
    choice = rng.randrange(12 if depth < 2 else 9)
    return [
        lambda: rng.randrange(-3, 3),
        lambda: rng.choice([2**31, 2**53 + 1, -(2**63), 2**64 - 1, 10**30]),
        lambda: rng.randbytes(rng.randrange(0, 20)),
        lambda: rng.choice(["", " ", "x" * rng.randrange(1, 120), "75056", "2A004", "é\n"]),
        lambda: None,
        lambda: rng.choice([True, False]),
        lambda: rng.choice([1.0, -8.0, 0.5, float("inf")]),
        lambda: rng.randrange(-100000, 100000),
        lambda: cbor2.CBORTag(rng.choice([1, 2, 18, 24, 30, 300]), rng.randrange(5)),
        lambda: [random_value(rng, depth + 1) for _ in range(rng.randrange(4))],
        lambda: {
            rng.randrange(-2, 9): random_value(rng, depth + 1) for _ in range(rng.randrange(3))
        },
        lambda: rng.randbytes(rng.randrange(1, 6)),
    ][choice]()


def replace_somewhere(tree: Any, rng: random.Random) -> Any:
    if rng.random() < 0.25 or not isinstance(tree, list | dict) or not tree:
        return random_value(rng)
    if isinstance(tree, list):
        i = rng.randrange(len(tree))
        return [*tree[:i], replace_somewhere(tree[i], rng), *tree[i + 1 :]]
    key = rng.choice(list(tree))
    return {**tree, key: replace_somewhere(tree[key], rng)}


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    buffer = bytearray(data)
    for _ in range(rng.randrange(1, 4)):
        buffer[rng.randrange(len(buffer))] ^= 1 << rng.randrange(8)
    return bytes(buffer)


def mutant(vector: dict[str, Any], rng: random.Random) -> str:
    text = vector["text"]
    key = load_private(VECTORS_DIR / vector["key"])
    cose_bytes = unwrap(text)
    layer = rng.randrange(5)
    if layer == 0:  # the text itself
        at = rng.randrange(len(text))
        return text[:at] + rng.choice("0A$% :\n-Zé") + text[at + 1 :]
    if layer == 1:  # the zlib stream
        return "LIC1:" + base45.encode(flip_bytes(base45.decode(text[5:]), rng))
    if layer == 2:  # the COSE bytes
        return "LIC1:" + base45.encode(zlib.compress(flip_bytes(cose_bytes, rng)))
    claims = cbor2.loads(cose.parse(cose_bytes).payload)
    if layer == 3:  # the claims, re-signed
        changed = replace_somewhere({k: v for k, v in claims.items() if k != -70001}, rng)
        payload = {**changed, -70001: claims[-70001]} if isinstance(changed, dict) else changed
    else:  # the compact record, re-signed
        payload = {**claims, -70001: replace_somewhere(claims[-70001], rng)}
    try:
        return wrap(cose.sign(cbor2.dumps(payload), key))
    except (TypeError, ValueError, cbor2.CBOREncodeError):
        return text


def test_the_browser_and_python_agree_on_mutated_codes(browser: Any, live_server: str) -> None:
    rng = random.Random(20261201)
    valid = [v for v in VECTORS if v["verdict"] == "valid" or v["name"] == "expired"]
    cases = []
    for _ in range(MUTANTS):
        vector = rng.choice(valid)
        cases.append((mutant(vector, rng), vector["at"]))
    context = browser.new_context(base_url=live_server)
    try:
        in_browser = browser_results(context.new_page(), cases)
    finally:
        context.close()
    in_python = python_results(cases)
    verdicts = {r["verdict"] for r in in_python}
    assert len(verdicts) >= 5  # the mutants reach several layers
    differing = [
        (text[:60], b["verdict"], p["verdict"])
        for (text, _), b, p in zip(cases, in_browser, in_python, strict=True)
        if (b["verdict"], b["layer"], b["warnings"]) != (p["verdict"], p["layer"], p["warnings"])
        or b["record"] != p["record"]
    ]
    assert not differing, differing[:5]
