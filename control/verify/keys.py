"""Ed25519 keys as JWK (RFC 8037), the form issuers and the authority keep them in.

`{"kty": "OKP", "crv": "Ed25519", "x", "d" (private only), "kid", "iss"}` plus two members of
ours: `nbf`/`exp` (unix seconds), the validity the trust list will give the key.
A JWK whose `kid` disagrees with the one derived from `x` is refused.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nacl.signing

from control.verify import ed25519
from control.verify.kids import b64url, from_b64url, kid_of, kid_text


class KeyFileError(ValueError):
    """A key file is unreadable or not a valid Ed25519 JWK."""


@dataclass(frozen=True)
class PublicKey:
    issuer: str
    x: bytes
    not_before: int | None = None
    not_after: int | None = None
    name: str | None = None

    @property
    def kid(self) -> bytes:
        return kid_of(self.x)

    @property
    def kid_text(self) -> str:
        return kid_text(self.kid)

    def verify(self, message: bytes, signature: bytes) -> bool:
        return ed25519.verify(self.x, message, signature)

    def to_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": b64url(self.x),
            "kid": self.kid_text,
            "iss": self.issuer,
        }
        if self.name:
            jwk["name"] = self.name
        if self.not_before is not None:
            jwk["nbf"] = self.not_before
        if self.not_after is not None:
            jwk["exp"] = self.not_after
        return jwk


@dataclass(frozen=True)
class PrivateKey:
    public: PublicKey
    seed: bytes

    @classmethod
    def generate(
        cls,
        issuer: str,
        *,
        not_before: int | None = None,
        not_after: int | None = None,
        name: str | None = None,
    ) -> PrivateKey:
        signing = nacl.signing.SigningKey.generate()
        public = PublicKey(issuer, bytes(signing.verify_key), not_before, not_after, name)
        return cls(public, bytes(signing))

    def sign(self, message: bytes) -> bytes:
        return bytes(nacl.signing.SigningKey(self.seed).sign(message).signature)

    def to_jwk(self) -> dict[str, Any]:
        return self.public.to_jwk() | {"d": b64url(self.seed)}


def public_from_jwk(jwk: Any) -> PublicKey:
    if not isinstance(jwk, dict):
        raise KeyFileError("a JWK is a JSON object")
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise KeyFileError('only Ed25519 keys ("kty": "OKP", "crv": "Ed25519") are supported')
    issuer = jwk.get("iss")
    if not isinstance(issuer, str) or not issuer:
        raise KeyFileError('the JWK has no issuer id ("iss")')
    try:
        x = from_b64url(jwk.get("x", ""))
    except ValueError as error:
        raise KeyFileError(f'"x": {error}') from None
    if len(x) != 32:
        raise KeyFileError('"x" must be a 32-byte Ed25519 public key')
    if "kid" in jwk and jwk["kid"] != kid_text(kid_of(x)):
        raise KeyFileError(
            f'"kid" {jwk["kid"]!r} does not match the key (expected {kid_text(kid_of(x))})'
        )
    bounds = []
    for member in ("nbf", "exp"):
        value = jwk.get(member)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise KeyFileError(f'"{member}" must be unix seconds')
        bounds.append(value)
    name = jwk.get("name")
    if name is not None and not isinstance(name, str):
        raise KeyFileError('"name" must be text')
    return PublicKey(issuer, x, bounds[0], bounds[1], name)


def private_from_jwk(jwk: Any) -> PrivateKey:
    public = public_from_jwk(jwk)
    try:
        seed = from_b64url(jwk.get("d", ""))
    except ValueError as error:
        raise KeyFileError(f'"d": {error}') from None
    if len(seed) != 32:
        raise KeyFileError('this is not a private key: "d" (32 bytes) is missing')
    if bytes(nacl.signing.SigningKey(seed).verify_key) != public.x:
        raise KeyFileError('"d" and "x" are not the same key pair')
    return PrivateKey(public, seed)


def read_jwk(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise KeyFileError(f"cannot read {path}: {error.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise KeyFileError(f"{path} is not JSON: {error}") from None


def load_public(path: Path) -> PublicKey:
    return public_from_jwk(read_jwk(path))


def load_private(path: Path) -> PrivateKey:
    return private_from_jwk(read_jwk(path))


def save_key_pair(key: PrivateKey, path: Path) -> Path:
    """Write the private JWK (mode 0600) at `path` and the public one at `path`.pub."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(key.to_jwk(), handle, indent=2)
        handle.write("\n")
    os.chmod(path, 0o600)
    public_path = path.with_name(path.name + ".pub")
    public_path.write_text(json.dumps(key.public.to_jwk(), indent=2) + "\n", encoding="utf-8")
    return public_path
