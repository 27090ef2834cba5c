"""Files that a crash cannot leave half-written where the application would find them.

A file is written to a temporary name beside its target, flushed to disk, then renamed: the
target name holds the whole file or nothing. Rows point to files only in transactions that
commit after the rename, so a row never points to a missing or partial file; a crash
between the rename and the commit leaves an orphan file that nothing refers to.
"""

from __future__ import annotations

import os
from pathlib import Path

from control.storage.crashpoints import reached


def write_atomically(path: Path, data: bytes, *, private: bool = False) -> None:
    """`private`: readable by the service account only (mode 600), from the first byte."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.partial")
    mode = 0o600 if private else 0o666  # 0o666 is narrowed by the umask, as open() does
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descriptor, "wb") as out:
        half = len(data) // 2
        out.write(data[:half])
        out.flush()
        reached("file:half-written")
        out.write(data[half:])
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    finally:
        os.close(directory)
