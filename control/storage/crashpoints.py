"""Named points where the crash-safety tests kill the server (SIGKILL), to prove that a crash
at the worst moment loses nothing committed and shows nothing half-done.

Inert in service: a point fires only in a process started with LIC_CONTROL_CRASH_AT set to
its name (tests/test_crash_safety.py). The variable is read at each point, not through
Settings, because the storage layer does not receive settings and a point must cost nothing
to pass.
"""

from __future__ import annotations

import os
import signal

POINTS = (
    "file:half-written",  # a PDF or photo half on disk, under its temporary name
    "bulletin:pdf-written",  # the PDF in place, its row not committed
    "bulletin:committed",  # the row committed, the answer not sent
    "photo:files-written",  # scan and original on disk, no row yet
    "photo:committed",
)


def reached(name: str) -> None:
    if os.environ.get("LIC_CONTROL_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
