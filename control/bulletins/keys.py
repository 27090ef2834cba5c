"""The service's bulletin-signing key: kept in the data directory, made on first use."""

from __future__ import annotations

from pathlib import Path

from control.bulletins.signing import ISSUER
from control.verify.keys import PrivateKey, load_private, save_key_pair

KEY_FILE = "bulletin-key.jwk"


def service_key(data_dir: Path) -> PrivateKey:
    path = data_dir / KEY_FILE
    if not path.exists():
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        public = save_key_pair(PrivateKey.generate(ISSUER, name="Contrôle LIC — bulletins"), path)
        public.chmod(0o600)  # in the data directory every file is the service account's only
    return load_private(path)
