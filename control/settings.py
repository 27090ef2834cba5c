"""The one settings object: environment variables `LIC_CONTROL_*`, read once at start-up.

The CLI (`serve`, `user add`) builds it and passes it down; tests build their own.
"""

from __future__ import annotations

import secrets
from pathlib import Path

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
    session_hours: int = 12
    retention_years: int = 3  # controls older than this are purged daily; 0 never purges
    inspectors_by_region: bool = False  # inspectors see only the controls of their région

    def database(self) -> str:
        """The SQLAlchemy URL: SQLite under data_dir unless a server is configured."""
        url = self.database_url or f"sqlite:///{(self.data_dir / 'lic-control.db').resolve()}"
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url

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
