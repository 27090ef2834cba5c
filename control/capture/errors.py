"""Why an image could not be used, in the controller's language and the log's.

Every failure of `control.capture` is one of these; nothing else escapes the package, so the
web layer can answer a 4xx with `message_fr` and log `code` without a traceback.
"""

from __future__ import annotations


class CaptureError(ValueError):
    code = "capture-error"
    message_fr = "L'image n'a pas pu être utilisée."
    message_en = "The image could not be used."

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        super().__init__(f"{self.message_en} {detail}".strip())


class EmptyFileError(CaptureError):
    code = "empty-file"
    message_fr = "Le fichier est vide."
    message_en = "The file is empty."


class FileTooLargeError(CaptureError):
    code = "file-too-large"
    message_fr = "Le fichier est trop volumineux."
    message_en = "The file is too large."


class TooManyPixelsError(CaptureError):
    code = "too-many-pixels"
    message_fr = "L'image a trop de pixels : envoyez-la en plus basse définition."
    message_en = "The image has too many pixels."


class TooSmallError(CaptureError):
    code = "too-small"
    message_fr = "L'image est trop petite pour contenir un code lisible."
    message_en = "The image is too small to hold a readable code."


class NotAnImageError(CaptureError):
    code = "not-an-image"
    message_fr = "Ce fichier n'est pas une image (JPEG, PNG, WebP ou HEIC attendu)."
    message_en = "This file is not an image (JPEG, PNG, WebP or HEIC expected)."


class UnsupportedFormatError(CaptureError):
    code = "unsupported-format"
    message_fr = "Format d'image non pris en charge (JPEG, PNG, WebP ou HEIC attendu)."
    message_en = "Unsupported image format (JPEG, PNG, WebP or HEIC expected)."


class TruncatedImageError(CaptureError):
    code = "truncated-image"
    message_fr = "L'image est incomplète ou endommagée."
    message_en = "The image is truncated or damaged."


class AnimatedImageError(CaptureError):
    code = "animated-image"
    message_fr = "Les images animées ne sont pas acceptées : envoyez une photo."
    message_en = "Animated images are not accepted: send a still photo."


class NoPageFoundError(CaptureError):
    code = "no-page-found"
    message_fr = (
        "Aucune page n'a été trouvée sur la photo : cadrez la page entière sur un fond contrasté."
    )
    message_en = (
        "No page found in the photo: frame the whole page against a contrasting background."
    )
