"""The server refuses to start with exposed secrets, and never serves or logs its keys."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from control.bulletins.keys import KEY_FILE, service_key
from control.exports.c1b.signing import KEY_FILE as C1B_KEY_FILE
from control.exports.c1b.signing import c1b_key
from control.keyfiles import ExposedSecretError
from control.pades.certs import (
    CERT_FILE,
    CHAIN_FILE,
    CertificateError,
    make_demo_chain,
    signing_identity,
)
from control.pades.certs import KEY_FILE as PDF_KEY_FILE
from control.settings import Settings
from web.app import create_app


def _settings(tmp_path: Path, **changes: object) -> Settings:
    return Settings(data_dir=tmp_path, cookie_secure=False, retention_years=0, **changes)


def test_a_signing_key_readable_by_others_stops_the_start(tmp_path: Path) -> None:
    service_key(tmp_path)
    (tmp_path / KEY_FILE).chmod(0o644)
    with pytest.raises(ExposedSecretError, match="chmod 600"):
        create_app(_settings(tmp_path))


def test_a_session_secret_readable_by_others_stops_the_start(tmp_path: Path) -> None:
    (tmp_path / "secret.key").write_text("a secret")
    (tmp_path / "secret.key").chmod(0o640)
    with pytest.raises(ExposedSecretError, match=r"secret\.key"):
        create_app(_settings(tmp_path))


def test_a_private_root_key_is_refused(tmp_path: Path, demo_world: Path) -> None:
    private_root = demo_world / "authority" / "root.jwk"
    assert "d" in json.loads(private_root.read_text())
    with pytest.raises(ExposedSecretError, match="public key"):
        create_app(_settings(tmp_path, root_key=private_root))


def test_the_secrets_made_at_start_are_private(tmp_path: Path) -> None:
    create_app(_settings(tmp_path)).state.context.bulletin_key  # noqa: B018 - made on first use
    for name in (KEY_FILE, "secret.key"):
        assert (tmp_path / name).stat().st_mode & 0o077 == 0


def test_serve_says_why_it_refuses_to_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from control.cli import app

    (tmp_path / "secret.key").write_text("a secret")
    (tmp_path / "secret.key").chmod(0o644)
    monkeypatch.setenv("LIC_CONTROL_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2
    assert "chmod 600" in result.stderr


def test_no_page_serves_or_logs_the_private_keys(
    tmp_path: Path, demo_world: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = _settings(
        tmp_path,
        trust_list=demo_world / "trust-list.json",
        root_key=demo_world / "authority" / "root.jwk.pub",
    )
    client = TestClient(create_app(settings))
    secret_d = service_key(tmp_path).to_jwk()["d"]
    session_secret = (tmp_path / "secret.key").read_text().strip()
    for path in (
        "/data/bulletin-key.jwk",
        "/static/../bulletin-key.jwk",
        "/static/%2e%2e/secret.key",
        "/bulletin-key.jwk",
        "/openapi.json",
        "/connexion",
    ):
        body = client.get(path).text
        assert secret_d not in body, path
        assert session_secret not in body, path
    assert secret_d not in caplog.text
    assert session_secret not in caplog.text


def test_a_pdf_signing_key_readable_by_others_stops_the_start(tmp_path: Path) -> None:
    signing_identity(_settings(tmp_path))
    (tmp_path / PDF_KEY_FILE).chmod(0o644)
    with pytest.raises(ExposedSecretError, match="chmod 600"):
        create_app(_settings(tmp_path))


def test_a_configured_pdf_signing_key_readable_by_others_stops_the_start(tmp_path: Path) -> None:
    make_demo_chain(tmp_path / "pki")
    (tmp_path / "pki" / PDF_KEY_FILE).chmod(0o640)
    pki = tmp_path / "pki"
    settings = _settings(
        tmp_path / "data",
        pdf_signing_cert=pki / CERT_FILE,
        pdf_signing_key=pki / PDF_KEY_FILE,
        pdf_signing_chain=pki / CHAIN_FILE,
    )
    with pytest.raises(ExposedSecretError, match="pdf-signing-key"):
        create_app(settings)


def test_a_half_configured_pdf_certificate_stops_the_start(tmp_path: Path) -> None:
    make_demo_chain(tmp_path / "pki")
    with pytest.raises(CertificateError):
        create_app(_settings(tmp_path / "data", pdf_signing_cert=tmp_path / "pki" / CERT_FILE))


def test_a_c1b_signing_key_readable_by_others_stops_the_start(tmp_path: Path) -> None:
    c1b_key(tmp_path)
    (tmp_path / C1B_KEY_FILE).chmod(0o644)
    with pytest.raises(ExposedSecretError, match="c1b-signing-key"):
        create_app(_settings(tmp_path))
