"""What every request can reach: settings, database, trust list. Built once by the factory."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from asn1crypto.x509 import Certificate
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import Engine

from control.bulletins.keys import service_key
from control.capture.images import Limits
from control.exports.c1b.signing import c1b_key
from control.pades.certs import SigningIdentity, signing_identity, trust_roots
from control.services.workers import WorkerPool
from control.settings import Settings
from control.verify import trustlist
from control.verify.keys import KeyFileError, PrivateKey, load_public
from control.verify.kids import b64url
from control.verify.trustlist import TrustList, TrustListError
from web.proconnect import ProConnect


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
    def pool(self) -> WorkerPool:
        """Where heavy work runs, off the event loop and bounded (made at the first use)."""
        s = self.settings
        return WorkerPool(
            s.workers_threads, s.workers_queue, s.workers_retry_after, max_wait=s.workers_max_wait
        )

    @cached_property
    def public_pool(self) -> WorkerPool:
        """The public's heavy work (checking a bulletin's PDF): in a process of its own, at a
        lower CPU priority (started at its first use)."""
        s = self.settings
        return self._processes(s.workers_public_threads, s.workers_public_queue, niceness=10)

    @cached_property
    def report_helper(self) -> WorkerPool:
        """Processes taking a share of a company report's work (files, the changes' part of
        the PDF, the XLSX) beside the request's thread (started at the first report); when
        all are taken, or one died, the thread does it all."""
        s = self.settings
        return self._processes(s.workers_report_helpers, s.workers_queue)

    def _processes(self, count: int, queue: int, niceness: int = 0) -> WorkerPool:
        s = self.settings
        return WorkerPool(
            count,
            queue,
            s.workers_retry_after,
            processes=True,
            niceness=niceness,
            max_wait=s.workers_max_wait,
        )

    @cached_property
    def proconnect(self) -> ProConnect | None:
        """ProConnect's client, when configured (its metadata is read at the first sign-in)."""
        return ProConnect(self.settings) if self.settings.proconnect_enabled() else None

    def close(self) -> None:
        """The pools stopped (those started), the database's connections closed."""
        for name in ("pool", "public_pool", "report_helper"):
            if name in self.__dict__:  # a cached_property not used yet has nothing to stop
                self.__dict__[name].shutdown()
        self.engine.dispose()

    @property
    def image_limits(self) -> Limits:
        """Checked on an image's header, before any pixel is decoded; a photo's decoding
        time."""
        s = self.settings
        return Limits(s.max_upload_bytes, s.max_image_pixels, s.decode_budget_ms)

    @property
    def frame_limits(self) -> Limits:
        """A live camera frame's: the next frame comes soon, so less time to read this one."""
        s = self.settings
        return Limits(s.max_upload_bytes, s.max_image_pixels, s.frame_budget_ms)

    @cached_property
    def bulletin_key(self) -> PrivateKey:
        """Read (or made) once, not at every bulletin issued or checked."""
        return service_key(self.settings.data_dir)

    @cached_property
    def c1b_key(self) -> rsa.RSAPrivateKey:
        """The key signing the C1B files (made in the data directory at first use)."""
        return c1b_key(self.settings.data_dir)

    @cached_property
    def pdf_identity(self) -> SigningIdentity:
        """The certificate that signs the PDFs issued (a demo one made at first use)."""
        return signing_identity(self.settings)

    @cached_property
    def pdf_roots(self) -> tuple[Certificate, ...]:
        """The roots a bulletin PDF's signer must chain to; the signing chain made first, so
        the demo's root exists before a PDF is checked against it."""
        self.pdf_identity  # noqa: B018
        return trust_roots(self.settings)

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
