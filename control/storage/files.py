"""Files that a crash cannot leave half-written where the application would find them.

A file is written to a temporary name beside its target, flushed to disk, then renamed: the
target name holds the whole file or nothing. Rows point to files only in transactions that
commit after the rename, so a row never points to a missing or partial file; a crash
between the rename and the commit leaves an orphan file that nothing refers to.

Every file of the data directory holds personal data or a secret: files are created readable
by the service account only (0600) from their first byte, directories 0700, whatever the
umask; `secure_data_dir` brings an existing data directory to the same at start-up.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from control.storage.crashpoints import reached

FILE_MODE, DIR_MODE = 0o600, 0o700
log = logging.getLogger(__name__)


def private_dir(path: Path) -> None:
    """`path` and its missing parents, created 0700 (`mkdir(parents=True)` would give the
    parents the umask's default)."""
    for directory in [*reversed(path.parents), path]:
        if not directory.exists():
            directory.mkdir(mode=DIR_MODE, exist_ok=True)


def create_private(path: Path) -> None:
    """An empty file of mode 0600 (a database before its engine opens it), if missing."""
    private_dir(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))


def write_atomically(path: Path, data: bytes) -> None:
    """The file is readable by the service account only (mode 600) from its first byte."""
    private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.partial")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
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


def secure_data_dir(data_dir: Path) -> list[Path]:
    """At start-up: the data directory and everything in it made private (directories 0700,
    files 0600) where group or others had any access, e.g. written by an older version or
    copied by hand. Fixed rather than refused: the service owns these files and nothing else
    should read them. Symbolic links are left alone (their target is not ours to change).
    Returns what was fixed, which is logged."""
    if not data_dir.exists():
        private_dir(data_dir)
        return []
    fixed: list[Path] = []
    for root, directories, files in os.walk(data_dir):
        for path, wanted in (
            (Path(root), DIR_MODE),
            *((Path(root) / name, FILE_MODE) for name in files),
        ):
            status = path.lstat()
            if stat.S_ISLNK(status.st_mode) or not stat.S_IMODE(status.st_mode) & 0o077:
                continue
            path.chmod(stat.S_IMODE(status.st_mode) & wanted)
            fixed.append(path)
        directories[:] = [d for d in directories if not (Path(root) / d).is_symlink()]
    if fixed:
        log.warning(
            "data directory %s: %d files or directories were readable by other users; "
            "now private (0700 / 0600)",
            data_dir,
            len(fixed),
        )
    return fixed
