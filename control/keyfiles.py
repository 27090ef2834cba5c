"""Start-up checks of the secrets the server holds, so a careless deployment fails loudly.

The data directory keeps the bulletin-signing key, the PDF-signing key, the C1B-signing key
and the session secret: they must be readable by the service account only (like ssh's
private keys), and so must an administration's PDF-signing key configured elsewhere. The
server verifies codes with the authority's *public* root key; a private root key has no
business on a server, and one configured by mistake is refused rather than silently held.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Iterable
from pathlib import Path

from control.bulletins.keys import KEY_FILE
from control.exports.c1b.signing import KEY_FILE as C1B_KEY_FILE
from control.pades.certs import KEY_FILE as PDF_KEY_FILE
from control.settings import SESSION_SECRET_FILE

PRIVATE_FILES = (KEY_FILE, PDF_KEY_FILE, C1B_KEY_FILE, SESSION_SECRET_FILE)


class ExposedSecretError(RuntimeError):
    """A secret is exposed; the message says which file and how to fix it."""


def check_private_files(data_dir: Path, others: Iterable[Path | None] = ()) -> None:
    """`others`: private files kept outside the data directory (a configured key)."""
    paths = [data_dir / name for name in PRIVATE_FILES]
    for path in [*paths, *(p for p in others if p is not None)]:
        if not path.exists():
            continue
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise ExposedSecretError(
                f"{path} can be read by other users (mode {mode:o}): run chmod 600 {path}"
            )


def check_public_root(path: Path | None) -> None:
    if path is None or not path.exists():
        return  # no trust list configured: the app says so on its pages
    try:
        jwk = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # unreadable: reported when the trust list is loaded
    if isinstance(jwk, dict) and "d" in jwk:
        raise ExposedSecretError(
            f"{path} is a private key: give the server the authority's public key "
            "(root.jwk.pub) only"
        )
