"""A real OpenID provider for the tests (`provider.mjs`: panva's oidc-provider on Node), and
the agent's browser at it (httpx), for the web tests and the browser tests alike.

The test owns the provider's signing key, so the provider can be told to spoil its next ID
token (tampered, wrong nonce, expired, HS256) as an attacker or a broken provider would.
"""

from __future__ import annotations

import json
import re
import select
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
from joserfc.jwk import RSAKey

SCRIPT = Path(__file__).with_name("provider.mjs")
RETURN_PATH = "/connexion/proconnect/retour"
CLIENT_ID = "controle-lic-test"
CLIENT_SECRET = "not-a-real-secret-but-long-enough-for-tests"


@dataclass(frozen=True)
class ProviderAccount:
    id: str  # ProConnect's sub
    email: str
    given_name: str
    usual_name: str
    siret: str
    uid: str
    acr: str = "eidas1"


# Synthetic agents: the names are made up, the SIRET is 14 digits of nobody.
AGENT = ProviderAccount(
    "pc-sub-agent", "camille.essai@interieur.test", "Camille", "Essai", "11000000000011", "1"
)
DISABLED = ProviderAccount(
    "pc-sub-off", "dominique.essai@interieur.test", "Dominique", "Essai", "11000000000011", "2"
)
UNKNOWN = ProviderAccount(
    "pc-sub-unknown", "claude.essai@interieur.test", "Claude", "Essai", "11000000000011", "3"
)
WEAK = ProviderAccount(
    "pc-sub-weak", "alix.essai@interieur.test", "Alix", "Essai", "11000000000011", "4", "eidas0"
)
ACCOUNTS = (AGENT, DISABLED, UNKNOWN, WEAK)


@dataclass(frozen=True)
class Provider:
    issuer: str
    process: subprocess.Popen[bytes]

    def settings(self) -> dict[str, Any]:
        """What `Settings` needs to use this provider."""
        return {
            "proconnect_issuer": self.issuer,
            "proconnect_client_id": CLIENT_ID,
            "proconnect_client_secret": CLIENT_SECRET,
        }

    def spoil_next_token(self, mode: str) -> None:
        httpx.post(f"{self.issuer}/__test__/next-token", json={"mode": mode}).raise_for_status()


@contextmanager
def running_provider(workdir: Path, app_origins: list[str]) -> Iterator[Provider]:
    """The provider on 127.0.0.1 (random port), its client registered for `app_origins`."""
    key = RSAKey.generate_key(2048, parameters={"alg": "RS256", "use": "sig"}, private=True)
    key.ensure_kid()
    config = {
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [f"{origin}{RETURN_PATH}" for origin in app_origins],
            "post_logout_redirect_uris": [f"{origin}/connexion" for origin in app_origins],
        },
        "accounts": [asdict(account) for account in ACCOUNTS],
        "jwks": {"keys": [key.as_dict(private=True)]},
    }
    path = workdir / "provider.json"
    path.write_text(json.dumps(config))
    process = subprocess.Popen(
        ["node", str(SCRIPT), str(path)], stdout=subprocess.PIPE, cwd=SCRIPT.parent
    )
    try:
        ready, _, _ = select.select([process.stdout], [], [], 30)
        assert ready, "the test provider did not start"
        assert process.stdout is not None
        issuer = json.loads(process.stdout.readline())["issuer"]
        yield Provider(issuer, process)
    finally:
        process.terminate()
        process.wait(timeout=10)


class ProviderBrowser:
    """The agent's browser at the provider: its cookies (the provider's session) kept."""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider
        self.client = httpx.Client(follow_redirects=False, timeout=10)

    def close(self) -> None:
        self.client.close()

    def walk(self, url: str) -> httpx.Response | str:
        """Follow the provider's redirects: its page reached, or the URL leaving it."""
        for _ in range(10):
            if not url.startswith(self.provider.issuer):
                return url
            response = self.client.get(url)
            if response.status_code not in (302, 303):
                return response
            url = urljoin(url, response.headers["location"])
        raise AssertionError("too many redirects at the provider")

    def sign_in(self, authorize_url: str, email: str) -> str:
        """Sign in at the provider's page (if its session does not already know the agent);
        the URL it sends the browser back to."""
        reached = self.walk(authorize_url)
        if isinstance(reached, str):
            return reached
        action = re.search(r'action="([^"]+)"', reached.text)
        assert action, reached.text
        answer = self.client.post(
            urljoin(self.provider.issuer, action.group(1)), data={"email": email}
        )
        assert answer.status_code in (302, 303), answer.text
        left = self.walk(urljoin(self.provider.issuer, answer.headers["location"]))
        assert isinstance(left, str), left.text
        return left

    def sign_out(self, end_session_url: str) -> str:
        """Confirm the sign-out on the provider's page; the URL it sends the browser back to."""
        page = self.walk(end_session_url)
        assert isinstance(page, httpx.Response), page
        form = re.search(r'<form[^>]*action="([^"]+)"', page.text)
        xsrf = re.search(r'name="xsrf" value="([^"]+)"', page.text)
        assert form, page.text
        assert xsrf, page.text
        answer = self.client.post(
            urljoin(self.provider.issuer, form.group(1)),
            data={"xsrf": xsrf.group(1), "logout": "yes"},
        )
        assert answer.status_code in (302, 303), answer.text
        left = self.walk(urljoin(self.provider.issuer, answer.headers["location"]))
        assert isinstance(left, str), left
        return left
