"""The one settings object: environment variables `LIC_CONTROL_*`, read once at start-up.

The CLI (`serve`, `user add`) builds it and passes it down; tests build their own.
"""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic_settings import BaseSettings, SettingsConfigDict

from control.storage.files import write_atomically

SESSION_SECRET_FILE = "secret.key"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LIC_CONTROL_")

    data_dir: Path = Path("data")
    database_url: str = ""  # default: SQLite file under data_dir
    secret_key: str = ""  # default: generated once, kept in data_dir/SESSION_SECRET_FILE
    trust_list: Path | None = None  # the signed trust list the verifier uses
    root_key: Path | None = None  # the authority's public root key (JWK)
    demo_dir: Path | None = None  # a `lic-control demo` world, shown on the "démo" page
    max_upload_bytes: int = 15_000_000
    max_form_bytes: int = 1_000_000  # a JSON or form body without files (no control is near it)
    # the address drivers and the public reach the service at, printed on bulletins; blank:
    # the address of the request that issues the bulletin
    public_url: str = ""
    cookie_secure: bool = True  # sessions only over HTTPS (browsers treat localhost as such)
    session_hours: int = 12  # a session's absolute lifetime: one shift
    # A session ends after this long without a request: a control with its pauses between
    # vehicles stays well within it, a tablet left in a vehicle at the end of a control does not
    # stay signed in for the rest of the shift (the cookie alone expires after session_hours).
    session_idle_minutes: int = 60
    # The reverse proxies whose X-Forwarded-For is believed (addresses or CIDR, comma-
    # separated). Empty: none, loopback included; the peer's address is the client's.
    trusted_proxies: str = ""
    retention_years: int = 3  # controls older than this are purged daily; 0 never purges
    inspectors_by_region: bool = False  # inspectors see only the controls of their région
    # The administration's PDF-signing certificate (PEM), its private key (PEM, PKCS#8) and the
    # CA certificates above it (PEM, up to the root). All three or none: none means a demo
    # chain made in data_dir at first use (docs/bulletins.md).
    pdf_signing_cert: Path | None = None
    pdf_signing_key: Path | None = None
    pdf_signing_chain: Path | None = None
    # The roots a signed PDF must chain to (PEM, one or more); blank: the self-signed
    # certificates of the signing chain (the demo root without one)
    pdf_trust_roots: Path | None = None
    # Heavy work (images, PDFs, signatures) runs in a bounded pool per server process: this
    # many at once, this many more waiting; beyond, a 503 asking to retry after a few seconds.
    workers_threads: int = 2
    workers_queue: int = 8
    workers_retry_after: int = 5  # seconds, the 503's Retry-After
    workers_max_wait: float = 10.0  # seconds a job may wait for a slot; later, dropped (503)
    # The public bulletin check (no account needed) has a pool of processes of its own, at
    # a lower CPU priority: anyone's PDFs never take the agents' threads, GIL or cores.
    workers_public_threads: int = 1
    workers_public_queue: int = 2
    # A company report is made on two cores: a helper process reads a third of the files,
    # renders part of the PDF and the XLSX (this many per server process, started at the
    # first report; 0: all in the request's thread, about twice as long for a large company).
    workers_report_helpers: int = 1
    processes: int = 2  # server processes (`lic-control serve --workers`)
    # Bounds checked before any work: an image's pixels (read from its header), the files and
    # fields of one form.
    max_image_pixels: int = 40_000_000
    # Time the server's QR decoder may spend on one image, loading included, before it
    # answers "not read" (docs/capture.md): an uploaded photo, and a live camera frame (the
    # scan page sends the next one 300 ms later; a brigade's tablets share the cores).
    decode_budget_ms: int = 1500
    frame_budget_ms: int = 120
    max_form_files: int = 60
    max_form_fields: int = 1000
    # ProConnect (docs/sign-in.md): offered when the issuer, the client id and its secret are
    # set. The issuer is the discovery document's `issuer`, e.g.
    # https://auth.agentconnect.gouv.fr/api/v2; http only on loopback (the tests' provider).
    proconnect_issuer: str = ""
    proconnect_client_id: str = ""
    proconnect_client_secret: str = ""
    proconnect_scopes: str = "openid email given_name usual_name siret uid idp_id"
    # where the provider sends the agent back; blank: this site's /connexion/proconnect/retour
    # (behind a proxy, set it or public_url: it must be the one registered at ProConnect)
    proconnect_redirect_url: str = ""
    proconnect_acr_values: str = "eidas1"  # asked for, and the only ones accepted on return
    # Sign-in with a local password: "all" (the demo), "admins" (a break-glass administrator
    # next to ProConnect) or "none" (ProConnect only).
    local_sign_in: Literal["all", "admins", "none"] = "all"

    def database(self) -> str:
        """The SQLAlchemy URL: SQLite under data_dir unless a server is configured."""
        url = self.database_url or f"sqlite:///{(self.data_dir / 'lic-control.db').resolve()}"
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url

    def trusted_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        """`trusted_proxies` parsed; a typo stops the start (ValueError), never trusts all."""
        parts = [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]
        return tuple(ipaddress.ip_network(p, strict=False) for p in parts)

    def files_dir(self) -> Path:
        """Bulletins' PDFs and photos of paper pages, on disk under the data directory."""
        return self.data_dir / "fichiers"

    def session_secret(self) -> str:
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / SESSION_SECRET_FILE
        if not path.exists():  # private from its first byte (not written, then chmod-ed)
            write_atomically(path, secrets.token_urlsafe(48).encode("ascii"))
        return path.read_text(encoding="ascii").strip()

    def proconnect_enabled(self) -> bool:
        return bool(
            self.proconnect_issuer and self.proconnect_client_id and self.proconnect_client_secret
        )

    def proconnect_origins(self) -> tuple[str, ...]:
        """The provider's origin (its endpoints are under its issuer's, as ProConnect's)."""
        return (origin(self.proconnect_issuer),) if self.proconnect_enabled() else ()

    def check_sign_in(self) -> None:
        """A setting that would lock everyone out, or send secrets in clear, stops the start."""
        if not self.proconnect_enabled():
            if self.local_sign_in != "all" or self.proconnect_issuer:
                raise ValueError(
                    "ProConnect needs LIC_CONTROL_PROCONNECT_ISSUER, _CLIENT_ID and "
                    "_CLIENT_SECRET (and local_sign_in other than 'all' needs ProConnect)"
                )
            return
        if not secure_or_loopback(self.proconnect_issuer):
            raise ValueError("LIC_CONTROL_PROCONNECT_ISSUER must be https (http on loopback only)")


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def secure_or_loopback(url: str) -> bool:
    """https, or http to this machine's loopback (the test provider): never a secret or a
    token in clear over a network."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False
