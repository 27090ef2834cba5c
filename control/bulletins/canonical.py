"""The canonical content of a bulletin: what its signature's digest covers.

Sorted-key JSON of every printed field (not the photos, which are an annex on demand), so the
same bulletin always hashes the same and any change of a printed field changes the digest.

An infraction's fields added after bulletins were first issued (its NATINF line's texts) are
left out while empty: a bulletin issued before them, read back from its stored JSON, gives
the very bytes it was signed over, so its digest, its code and its PDF still agree.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import date, datetime, time
from enum import Enum
from typing import Any

from control.bulletins.model import Bulletin


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "photos"}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# Infraction fields added since the first bulletins, with the value that means "absent".
LATER_INFRACTION_FIELDS: dict[str, Any] = {
    "defined_by": [],
    "punished_by": [],
    "per_employee": None,
}


def _infraction(content: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in content.items()
        if k not in LATER_INFRACTION_FIELDS or v != LATER_INFRACTION_FIELDS[k]
    }


def canonical_json(bulletin: Bulletin) -> bytes:
    content = _plain(asdict(bulletin))
    content["infractions"] = [_infraction(i) for i in content["infractions"]]
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest(bulletin: Bulletin) -> bytes:
    return hashlib.sha256(canonical_json(bulletin)).digest()
