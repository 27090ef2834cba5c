"""The one error type of the services: a French message for the screen, and per field."""

from __future__ import annotations


class RefusedError(ValueError):
    """What the agent sent cannot be used; `fields` names the fields to correct."""

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
