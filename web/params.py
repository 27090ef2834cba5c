"""Typed path parameters shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

MAX_ID = 2**31 - 1  # database keys are 32-bit integers: a larger number names nothing

# The id of a stored object: out of range is a 422 before the database is asked (a 64-bit
# overflow in the driver would otherwise be a 500).
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]


def safe_next(target: str) -> str:
    """Only a path of this site: never an open redirect (`//host`, and `/\\host`, which
    browsers read as `//host`, are refused, as are control characters)."""
    local = target.startswith("/") and not target.startswith(("//", "/\\"))
    return target if local and target.isprintable() else "/"
