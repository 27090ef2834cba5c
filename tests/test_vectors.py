"""Golden vectors (tests/vectors/): what every conforming issuer and verifier must reproduce."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from control.issue import issue_code
from control.record import record_from_text
from control.verify import trustlist, verify
from control.verify.keys import load_private, load_public
from tests.vectors.generate import expected_verdict

HERE = Path(__file__).parent / "vectors"
VECTORS: list[dict[str, Any]] = json.loads((HERE / "vectors.json").read_text())
EXPECTED_WARNINGS = {
    "valid-incomplete": ["record-incomplete"],
    "valid-stale-trust-list": ["trust-list-stale"],
    "valid-older-than-24h": ["generated-more-than-24h-ago"],
    "expired": ["generated-more-than-24h-ago"],  # exp was 24 h after iat
}


@pytest.fixture(scope="module")
def trust() -> trustlist.TrustList:
    return trustlist.loads(
        (HERE / "trust-list.json").read_text(), load_public(HERE / "keys" / "root.jwk.pub")
    )


def test_every_verdict_of_the_spec_has_a_vector() -> None:
    verdicts = {v["verdict"] for v in VECTORS}
    assert verdicts == {
        "valid",
        "not-a-lic-code",
        "malformed",
        "unsupported-algorithm",
        "unknown-key",
        "revoked-key",
        "key-not-valid-at-iat",
        "bad-signature",
        "expired",
        "issued-in-future",
        "record-invalid",
    }


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector_gets_its_verdict_and_warnings(
    vector: dict[str, Any], trust: trustlist.TrustList
) -> None:
    result = verify(vector["text"], trust, datetime.fromtimestamp(vector["at"], UTC))
    assert result.verdict.value == vector["verdict"] == expected_verdict(vector["name"])
    assert (
        [w.value for w in result.warnings]
        == vector["warnings"]
        == EXPECTED_WARNINGS.get(vector["name"], [])
    )
    assert (result.layer and result.layer.value) == vector["layer"]


@pytest.mark.parametrize(
    "vector", [v for v in VECTORS if v["reissue"]], ids=[v["name"] for v in VECTORS if v["reissue"]]
)
def test_issuing_the_vector_record_reproduces_its_text_exactly(vector: dict[str, Any]) -> None:
    record = record_from_text((HERE / vector["record"]).read_text())
    code = issue_code(
        record,
        load_private(HERE / vector["key"]),
        iat=datetime.fromtimestamp(vector["iat"], UTC),
        exp=datetime.fromtimestamp(vector["exp"], UTC),
        cti=bytes.fromhex(vector["cti"]),
        full_record_url=vector["full_record_url"],
    )
    assert code.text == vector["text"]


def test_valid_vectors_carry_their_record(trust: trustlist.TrustList) -> None:
    for vector in VECTORS:
        if vector["verdict"] != "valid" or vector["name"] == "valid-incomplete":
            continue
        result = verify(vector["text"], trust, datetime.fromtimestamp(vector["at"], UTC))
        assert result.record == record_from_text((HERE / vector["record"]).read_text())
