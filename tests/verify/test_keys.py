"""Keys as JWK (RFC 8037): written, read back, and refused when inconsistent."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from control.verify.keys import KeyFileError, PrivateKey, load_private, load_public, save_key_pair


def test_key_pair_round_trips_through_jwk_files(tmp_path: Path) -> None:
    key = PrivateKey.generate("FR-MOBILIC", not_before=1, not_after=2, name="Mobilic")
    public_path = save_key_pair(key, tmp_path / "k.jwk")
    assert public_path == tmp_path / "k.jwk.pub"
    assert load_private(tmp_path / "k.jwk") == key
    assert load_public(public_path) == key.public
    assert "d" not in json.loads(public_path.read_text())


def test_private_key_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    save_key_pair(PrivateKey.generate("FR-X"), tmp_path / "k.jwk")
    assert stat.S_IMODE((tmp_path / "k.jwk").stat().st_mode) == 0o600


def test_kid_is_11_characters_of_base64url() -> None:
    kid = PrivateKey.generate("FR-X").public.kid_text
    assert len(kid) == 11
    assert set(kid) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_jwk_whose_kid_disagrees_with_x_is_refused(tmp_path: Path) -> None:
    jwk = PrivateKey.generate("FR-X").public.to_jwk() | {"kid": "AAAAAAAAAAA"}
    (tmp_path / "k.pub").write_text(json.dumps(jwk))
    with pytest.raises(KeyFileError, match="does not match"):
        load_public(tmp_path / "k.pub")


def test_public_jwk_is_not_a_private_key(tmp_path: Path) -> None:
    key = PrivateKey.generate("FR-X")
    save_key_pair(key, tmp_path / "k.jwk")
    with pytest.raises(KeyFileError, match="not a private key"):
        load_private(tmp_path / "k.jwk.pub")


@pytest.mark.parametrize(
    "jwk",
    [
        {"kty": "EC", "crv": "P-256", "x": "AA", "iss": "FR-X"},
        {"kty": "OKP", "crv": "Ed25519", "x": "AAAA", "iss": "FR-X"},
        {"kty": "OKP", "crv": "Ed25519", "x": "A" * 43},
        [1, 2],
    ],
    ids=["not-ed25519", "short-x", "no-issuer", "not-an-object"],
)
def test_malformed_jwks_are_refused(tmp_path: Path, jwk: object) -> None:
    (tmp_path / "k.pub").write_text(json.dumps(jwk))
    with pytest.raises(KeyFileError):
        load_public(tmp_path / "k.pub")


def test_unreadable_or_non_json_key_file_gives_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="cannot read"):
        load_public(tmp_path / "absent.jwk")
    (tmp_path / "bad.jwk").write_text("not json")
    with pytest.raises(KeyFileError, match="not JSON"):
        load_public(tmp_path / "bad.jwk")
