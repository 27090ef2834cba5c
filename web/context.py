"""What every request can reach: settings, database, trust list. Built once by the factory."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine

from control.bulletins.keys import service_key
from control.settings import Settings
from control.verify import trustlist
from control.verify.keys import KeyFileError, PrivateKey, load_public
from control.verify.trustlist import TrustList, TrustListError
from web.ratelimit import SlidingWindow


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    trust: TrustList | None = None
    trust_problem: str = ""
    # failed sign-ins per client address: 20 per 10 minutes
    sign_in_limit: SlidingWindow = field(default_factory=lambda: SlidingWindow(20, 600))

    @property
    def files(self) -> Path:
        return self.settings.files_dir()

    @cached_property
    def bulletin_key(self) -> PrivateKey:
        """Read (or made) once, not at every bulletin issued or checked."""
        return service_key(self.settings.data_dir)

    @staticmethod
    def load_trust(settings: Settings) -> tuple[TrustList | None, str]:
        """The signed trust list, checked against the root key; or why there is none."""
        if settings.trust_list is None or settings.root_key is None:
            return None, "Aucune liste de confiance n'est configurée."
        try:
            root = load_public(settings.root_key)
            return trustlist.loads(Path(settings.trust_list).read_bytes(), root), ""
        except OSError as error:
            return None, f"Liste de confiance illisible : {error.strerror}"
        except (KeyFileError, TrustListError) as error:
            return None, f"Liste de confiance refusée : {error}"

    def now(self) -> datetime:
        return datetime.now(UTC).replace(microsecond=0)
