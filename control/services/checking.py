"""Checking a code the agent scanned, pasted or typed: verdict, record, findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from control.rules import Analysis, analyze
from control.services.errors import RefusedError
from control.storage.controls import controls_with_code
from control.verify.envelope import PREFIX
from control.verify.trustlist import TrustList
from control.verify.verdicts import Verdict, Verification
from control.verify.verifier import verify

MAX_CODE_CHARACTERS = 8000  # a LIC code is at most 4 296; anything longer is not one
MAX_CANDIDATES = 3


@dataclass(frozen=True)
class Checked:
    text: str
    result: Verification
    analysis: Analysis | None  # as of `as_of`, for a valid code: an untrusted one proves nothing
    seen_in: list[int]
    at: datetime  # the moment of the verification, shown on the verdict

    @property
    def as_of(self) -> datetime:
        """The moment the record speaks of: the code's generation, else the verification.
        The 28 days are drawn and totalled as of then, as the rules judged them."""
        return self.result.iat or self.at


def candidates(text: str) -> list[str]:
    """The codes `text` may hold, the last first. A hardware scanner types a code after what
    the field holds, so the last `LIC1:` starts the code just read; `LIC1:` may also occur
    inside a genuine code's Base45, hence the longer candidates after it (a few at most)."""
    text = text.strip()
    found: list[str] = []
    end = len(text)
    while len(found) < MAX_CANDIDATES and end > 0:
        start = max(text.rfind(PREFIX, 0, end), 0)  # at most a few slices, each bounded
        if len(text) - start > MAX_CODE_CHARACTERS:
            break  # longer still is no code
        found.append(text[start:].strip())
        end = start
    return found


def check_code(
    text: str,
    trust: TrustList | None,
    engine: Engine,
    now: datetime,
    *,
    trust_problem: str = "",
) -> Checked:
    """Verify and analyse `text` as of `now` (a control synced later passes its own moment)."""
    if not text.strip():
        raise RefusedError("Scannez, photographiez ou collez un code.", {"code": "Code manquant."})
    found = candidates(text)
    if not found:
        raise RefusedError("Le texte collé est bien trop long pour être un code LIC.")
    if trust is None:
        raise RefusedError(trust_problem or "La liste de confiance est indisponible.")
    code, result = found[0], verify(found[0], trust, now)
    for other in found[1:]:  # the last code is damaged: was its LIC1: part of a longer one?
        if result.verdict is not Verdict.MALFORMED:
            break
        again = verify(other, trust, now)
        if again.verdict is not Verdict.MALFORMED:
            code, result = other, again
    analysis = None
    if result.record is not None and result.valid:
        analysis = analyze(result.record, result.iat or now)
    seen = controls_with_code(engine, result.cti.hex()) if result.cti else []
    return Checked(code, result, analysis, seen, now)
