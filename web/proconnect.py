"""ProConnect's OpenID Connect client: the authorization code flow with PKCE, state and nonce.

Authlib's `OAuth2Session` (requests) builds the authorization URL with its S256 challenge and
exchanges the code with `client_secret_post`; joserfc (Authlib's JOSE library) verifies the ID
token and the userinfo JWT against the provider's JWKS, accepting only the algorithms its
discovery document announces. Authlib's Starlette client is not used: it keeps the flow in the
session cookie, which here is SameSite=strict and carries only a session id, so the provider's
cross-site redirect back would arrive without it; the flow travels in a cookie of its own
(`web.routes.proconnect`).
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from control.settings import Settings, secure_or_loopback

TIMEOUT = 10  # seconds for each call to the provider
METADATA_TTL = 3600  # the discovery document and the keys are read again after this
LEEWAY = 60  # seconds of clock difference allowed on exp and iat
MAX_AGE = 600  # an ID token issued longer ago than this is refused (a replayed one)


class ProConnectError(Exception):
    """The sign-in cannot go on; the message is French, for the agent's screen."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


UNAVAILABLE = "ProConnect ne répond pas : réessayez dans quelques minutes."
REFUSED = "La réponse de ProConnect n'a pas pu être vérifiée : connexion refusée."


@dataclass(frozen=True)
class Flow:
    """What one sign-in must find again on return: kept in the flow cookie, never logged."""

    state: str
    nonce: str
    verifier: str  # PKCE's code_verifier
    target: str  # the page to open after sign-in (a path of this site)


class Claims(BaseModel):
    """ProConnect's userinfo claims (what we keep of them, bounded)."""

    model_config = ConfigDict(extra="ignore")

    sub: str = Field(min_length=1, max_length=255)
    email: str = Field(default="", max_length=200)
    given_name: str = Field(default="", max_length=200)
    usual_name: str = Field(default="", max_length=200)
    siret: str = Field(default="", max_length=14)
    idp_id: str = Field(default="", max_length=200)


@dataclass(frozen=True)
class SignedIn:
    claims: Claims
    id_token: str  # kept for the logout's id_token_hint
    acr: str


class ProConnect:
    """One per app: the provider's metadata and keys, read when first needed, then cached."""

    def __init__(self, settings: Settings) -> None:
        self.issuer = settings.proconnect_issuer.rstrip("/")
        self.client_id = settings.proconnect_client_id
        self.client_secret = settings.proconnect_client_secret
        self.scopes = settings.proconnect_scopes
        self.acr_values = tuple(settings.proconnect_acr_values.split())
        self._metadata: dict[str, Any] = {}
        self._keys: KeySet | None = None
        self._read_at = 0.0

    def _get(self, url: str) -> requests.Response:
        if not secure_or_loopback(url):
            raise ProConnectError(REFUSED, 502)
        try:
            response = requests.get(url, timeout=TIMEOUT, allow_redirects=False)
            response.raise_for_status()
        except requests.RequestException:
            raise ProConnectError(UNAVAILABLE, 502) from None
        return response

    def metadata(self) -> dict[str, Any]:
        if self._metadata and time.monotonic() - self._read_at < METADATA_TTL:
            return self._metadata
        try:
            found = self._get(f"{self.issuer}/.well-known/openid-configuration").json()
        except ValueError:
            raise ProConnectError(UNAVAILABLE, 502) from None
        if not isinstance(found, dict) or found.get("issuer") != self.issuer:
            raise ProConnectError(REFUSED, 502)  # another issuer's document: nothing trusted
        self._metadata, self._keys, self._read_at = found, None, time.monotonic()
        return found

    def _endpoint(self, name: str) -> str:
        url = self.metadata().get(name)
        if not isinstance(url, str) or not secure_or_loopback(url):
            raise ProConnectError(REFUSED, 502)
        return url

    def _key_set(self, refresh: bool = False) -> KeySet:
        if self._keys is None or refresh:
            try:
                self._keys = KeySet.import_key_set(self._get(self._endpoint("jwks_uri")).json())
            except (ValueError, JoseError):
                raise ProConnectError(REFUSED, 502) from None
        return self._keys

    def _session(self, redirect_uri: str) -> OAuth2Session:
        return OAuth2Session(
            self.client_id,
            self.client_secret,
            token_endpoint_auth_method="client_secret_post",
            scope=self.scopes,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            default_timeout=TIMEOUT,
        )

    def start(self, redirect_uri: str, target: str) -> tuple[str, Flow]:
        """The provider's authorization URL and the flow to keep until the agent returns."""
        flow = Flow(generate_token(32), generate_token(32), generate_token(64), target)
        url, _ = self._session(redirect_uri).create_authorization_url(
            self._endpoint("authorization_endpoint"),
            state=flow.state,
            code_verifier=flow.verifier,
            nonce=flow.nonce,
            acr_values=" ".join(self.acr_values),
        )
        return url, flow

    def finish(self, flow: Flow, redirect_uri: str, state: str, code: str) -> SignedIn:
        """Exchange the code, verify the ID token and the signed userinfo; who signed in."""
        if not hmac.compare_digest(flow.state.encode(), state.encode()):
            raise ProConnectError(STATE_MISMATCH)
        metadata = self.metadata()
        try:
            token = self._session(redirect_uri).fetch_token(
                self._endpoint("token_endpoint"),
                code=code,
                code_verifier=flow.verifier,
                grant_type="authorization_code",
            )
        except OAuthError:  # a code used twice, expired, or not ours
            raise ProConnectError(EXPIRED_CODE) from None
        except requests.RequestException:
            raise ProConnectError(UNAVAILABLE, 502) from None
        id_token = token.get("id_token")
        access_token = token.get("access_token")
        if not isinstance(id_token, str) or not isinstance(access_token, str):
            raise ProConnectError(REFUSED, 502)
        claims = self._verify(
            id_token, metadata.get("id_token_signing_alg_values_supported"), nonce=flow.nonce
        )
        acr = claims.get("acr")
        if acr not in self.acr_values:
            raise ProConnectError(
                "Niveau d'authentification insuffisant pour ce service : connectez-vous avec "
                "votre compte professionnel.",
                403,
            )
        userinfo = self._userinfo(access_token, metadata)
        if userinfo.get("sub") != claims.get("sub"):
            raise ProConnectError(REFUSED, 401)
        try:
            return SignedIn(Claims.model_validate(userinfo), id_token, str(acr))
        except ValidationError:
            raise ProConnectError(REFUSED, 401) from None

    def _userinfo(self, access_token: str, metadata: dict[str, Any]) -> dict[str, Any]:
        """ProConnect answers userinfo as a signed JWT (application/jwt): verified like the
        ID token (no nonce in it)."""
        try:
            response = requests.get(
                self._endpoint("userinfo_endpoint"),
                headers={"Authorization": f"Bearer {access_token}"},
                timeout=TIMEOUT,
                allow_redirects=False,
            )
            response.raise_for_status()
        except requests.RequestException:
            raise ProConnectError(UNAVAILABLE, 502) from None
        if not response.headers.get("content-type", "").startswith("application/jwt"):
            raise ProConnectError(REFUSED, 401)
        return self._verify(
            response.text.strip(),
            metadata.get("userinfo_signing_alg_values_supported"),
            id_token=False,
        )

    def _verify(
        self, value: str, announced: object, *, nonce: str = "", id_token: bool = True
    ) -> dict[str, Any]:
        """A JWT signed by one of the provider's keys with an algorithm it announces (never
        "none", never an HMAC the client secret could forge), issued by it, for us."""
        algorithms = [
            a for a in (announced if isinstance(announced, list) else []) if _asymmetric(a)
        ]
        if not algorithms:
            raise ProConnectError(REFUSED, 502)
        try:
            try:
                decoded = jwt.decode(value, self._key_set(), algorithms=algorithms)
            except JoseError:  # perhaps a key rotated since: the keys once more
                decoded = jwt.decode(value, self._key_set(refresh=True), algorithms=algorithms)
            expected: dict[str, Any] = {
                "iss": {"essential": True, "value": self.issuer},
                "aud": {"essential": True, "value": self.client_id},
            }
            if id_token:
                expected |= {
                    "exp": {"essential": True},
                    "iat": {"essential": True},
                    "nonce": {"essential": True, "value": nonce},
                    "sub": {"essential": True},
                }
            jwt.JWTClaimsRegistry(leeway=LEEWAY, **expected).validate(decoded.claims)
        except (JoseError, ValueError):
            raise ProConnectError(REFUSED, 401) from None
        claims = dict(decoded.claims)
        if id_token:
            issued = claims.get("iat")
            if not isinstance(issued, int) or issued < time.time() - MAX_AGE - LEEWAY:
                raise ProConnectError(REFUSED, 401)
            audience = claims.get("aud")
            if isinstance(audience, list) and claims.get("azp") != self.client_id:
                raise ProConnectError(REFUSED, 401)
        return claims

    def logout_url(self, id_token: str, redirect_uri: str) -> str:
        """The provider's end_session_endpoint, ending the agent's session there too."""
        query = urlencode(
            {
                "id_token_hint": id_token,
                "state": generate_token(32),
                "post_logout_redirect_uri": redirect_uri,
            }
        )
        return f"{self._endpoint('end_session_endpoint')}?{query}"


def _asymmetric(algorithm: object) -> bool:
    return isinstance(algorithm, str) and algorithm[:2] in ("RS", "PS", "ES", "Ed")


STATE_MISMATCH = (
    "Retour de ProConnect inattendu (connexion commencée ailleurs ou déjà terminée) : "
    "recommencez la connexion."
)
EXPIRED_CODE = "Cette connexion ProConnect a expiré ou a déjà servi : recommencez la connexion."
