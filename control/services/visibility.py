"""Who sees which control: the one policy every list, detail, export and API call applies.

Agents see their own controls and their unit's; inspectors and admins see all of them, or,
where inspectors are limited to their région, those of its départements. The rule itself is
the SQL condition `visible_to` (control/storage/search.py), so that a list, a count and a
search filter by it in the database; a control outside it is answered as not found.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from control.storage.controls import Control, list_controls
from control.storage.search import can_see, visible_to
from control.storage.users import User

__all__ = ["ControlsPage", "can_see", "visible_controls", "visible_to"]


@dataclass(frozen=True)
class ControlsPage:
    controls: list[Control]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def visible_controls(
    engine: Engine, viewer: User, page: int = 1, per_page: int = 50
) -> ControlsPage:
    """One page of the controls `viewer` may see, newest first."""
    page = max(1, page)
    rows, total = list_controls(
        engine, visible_to(viewer), offset=(page - 1) * per_page, limit=per_page
    )
    return ControlsPage(rows, total, page, per_page)
