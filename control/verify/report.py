"""A verification as JSON: what `verify --json` prints and `POST /api/verify` returns."""

from __future__ import annotations

from typing import Any

from control.record.json_form import record_to_json
from control.verify.verdicts import Verification


def verification_to_json(result: Verification) -> dict[str, Any]:
    return {
        "verdict": result.verdict.value,
        "warnings": [w.value for w in result.warnings],
        "detail": result.detail,
        "layer": None if result.layer is None else result.layer.value,
        "issuer": result.issuer,
        "kid": result.kid,
        "iat": None if result.iat is None else int(result.iat.timestamp()),
        "exp": None if result.exp is None else int(result.exp.timestamp()),
        "cti": None if result.cti is None else result.cti.hex(),
        "record": None if result.record is None else record_to_json(result.record),
    }
