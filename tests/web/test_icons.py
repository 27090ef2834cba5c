"""Every DSFR icon a page or a script names is one web/static/icons.css draws (it keeps only
those the pages use): a missing one shows as a blank square."""

from __future__ import annotations

import re
from pathlib import Path

WEB = Path(__file__).parents[2] / "web"
ICON = re.compile(r"fr-icon-[a-z0-9]+(?:-[a-z0-9]+)*")


def test_every_icon_named_is_drawn() -> None:
    drawn = set(ICON.findall((WEB / "static" / "icons.css").read_text(encoding="utf-8")))
    sources = [*WEB.glob("templates/*.html"), *WEB.glob("static/*.js")]
    named = {
        (icon, path.name)
        for path in sources
        for icon in ICON.findall(path.read_text(encoding="utf-8"))
    }
    assert len(named) > 10  # the pages name icons: the pattern finds them
    missing = sorted(f"{icon} ({name})" for icon, name in named if icon not in drawn)
    assert not missing
