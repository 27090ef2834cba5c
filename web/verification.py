"""From what the agent scanned, pasted or photographed to a checked code and its findings."""

from __future__ import annotations

from datetime import datetime

from control.capture.decode import decode_image
from control.capture.errors import CaptureError
from control.services import checking
from control.services.checking import Checked
from control.services.errors import RefusedError
from web.context import AppContext

InputError = RefusedError  # the services' one error type, under the name the routes know

__all__ = ["Checked", "InputError", "check_code", "code_from_photo"]


def code_from_photo(data: bytes, context: AppContext) -> str:
    """The `LIC1:` text of a photo, else its Mobilic link: heavy, so the routes run it in
    `context.pool`."""
    try:
        decoded = decode_image(data, lic_only=True, limits=context.image_limits)
    except CaptureError as error:
        raise InputError(type(error).message_fr) from None
    if decoded.lic is not None:
        return decoded.lic.text
    if decoded.mobilic is not None:
        return decoded.mobilic.text
    if decoded.codes:
        raise InputError(
            "Le QR code de la photo n'est pas un code LIC : demandez le QR code de contrôle."
        )
    raise InputError("Aucun QR code lisible sur la photo : rapprochez-vous et réessayez.")


def check_code(text: str, context: AppContext, at: datetime | None = None) -> Checked:
    """The service's check with this app's trust list, database and clock; as of `at` for a
    control recorded offline and synced later (it is judged at the moment it took place)."""
    return checking.check_code(
        text,
        context.trust,
        context.engine,
        at or context.now(),
        trust_problem=context.trust_problem,
    )
