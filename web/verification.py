"""From what the agent scanned, pasted or photographed to a checked code and its findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from control.capture.decode import decode_image
from control.capture.errors import CaptureError
from control.capture.images import Limits
from control.rules import Analysis, analyze
from control.storage.controls import controls_with_code
from control.verify.verdicts import Verification
from control.verify.verifier import verify
from web.context import AppContext

MAX_CODE_CHARACTERS = 8000  # a LIC code is at most 4 296; anything longer is not one


class InputError(ValueError):
    """The agent's input cannot be checked; the message is French, for the screen."""


@dataclass(frozen=True)
class Checked:
    text: str
    result: Verification
    analysis: Analysis | None
    seen_in: list[int]
    at: datetime  # the moment of the verification, shown on the verdict


def code_from_photo(data: bytes, context: AppContext) -> str:
    limits = Limits(max_bytes=context.settings.max_upload_bytes)
    try:
        decoded = decode_image(data, lic_only=True, limits=limits)
    except CaptureError as error:
        raise InputError(type(error).message_fr) from None
    if decoded.lic is not None:
        return decoded.lic.text
    if decoded.codes:
        raise InputError(
            "Le QR code de la photo n'est pas un code LIC : demandez le QR code de contrôle."
        )
    raise InputError("Aucun QR code lisible sur la photo : rapprochez-vous et réessayez.")


def check_code(text: str, context: AppContext, at: datetime | None = None) -> Checked:
    """Verify and analyse `text` as of now, or as of `at` (a control recorded offline and
    synced later is judged at the moment it took place)."""
    text = text.strip()
    if not text:
        raise InputError("Scannez, photographiez ou collez un code.")
    if len(text) > MAX_CODE_CHARACTERS:
        raise InputError("Le texte collé est bien trop long pour être un code LIC.")
    if context.trust is None:
        raise InputError(context.trust_problem or "La liste de confiance est indisponible.")
    now = at or context.now()
    result = verify(text, context.trust, now)
    analysis = None
    if result.record is not None:
        analysis = analyze(result.record, result.iat or now)
    seen = controls_with_code(context.engine, result.cti.hex()) if result.cti else []
    return Checked(text, result, analysis, seen, now)
