"""What every request can reach: settings, database, trust list. Built once by the factory."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine

from control.bulletins.keys import service_key
from control.settings import Settings
from control.verify import trustlist
from control.verify.keys import KeyFileError, PrivateKey, load_public
from control.verify.kids import b64url
from control.verify.trustlist import TrustList, TrustListError


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    trust: TrustList | None = None
    trust_problem: str = ""
    trust_document: bytes = b""  # the signed document `trust` was read from, for the browser
    root_document: bytes = b""  # the authority's public JWK, which the browser checks it with

    @property
    def files(self) -> Path:
        return self.settings.files_dir()

    @cached_property
    def bulletin_key(self) -> PrivateKey:
        """Read (or made) once, not at every bulletin issued or checked."""
        return service_key(self.settings.data_dir)

    @staticmethod
    def load_trust(settings: Settings) -> tuple[TrustList | None, str, bytes, bytes]:
        """The signed trust list, checked against the root key, with the documents of both
        (for the browser's verifier); or why there is none."""
        if settings.trust_list is None or settings.root_key is None:
            return None, "Aucune liste de confiance n'est configurée.", b"", b""
        try:
            root = load_public(settings.root_key)
            document = Path(settings.trust_list).read_bytes()
            trust = trustlist.loads(document, root)
        except OSError as error:
            return None, f"Liste de confiance illisible : {error.strerror}", b"", b""
        except (KeyFileError, TrustListError) as error:
            return None, f"Liste de confiance refusée : {error}", b"", b""
        jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64url(root.x), "kid": root.kid_text}
        return trust, "", document, json.dumps(jwk).encode()

    def verify_url(self, base_url: str) -> str:
        """The public bulletin check page: the configured address, else this request's."""
        return (self.settings.public_url or base_url).rstrip("/") + "/verifier-bulletin"

    def now(self) -> datetime:
        return datetime.now(UTC).replace(microsecond=0)
