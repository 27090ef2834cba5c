"""The browser's verifier (web/static/verify/, for use without network) gives every golden
vector the verdict, layer and warnings of the Python verifier, and decodes the same record."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from control.record.json_form import record_to_json
from control.verify import trustlist, verify
from control.verify.keys import load_public

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
