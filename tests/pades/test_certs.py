"""The service's PDF-signing certificate: a demo chain made once, or the administration's."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest
from pypdf import PdfWriter

from control.pades.certs import (
    CERT_FILE,
    CHAIN_FILE,
    KEY_FILE,
    CertificateError,
    make_demo_chain,
    signing_identity,
    trust_roots,
)
from control.pades.sign import sign_pdf
from control.pades.validate import Signed, validate
from control.settings import Settings


def plain_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_demo_chain_is_made_once_as_private_files(tmp_path: Path) -> None:
    first = signing_identity(Settings(data_dir=tmp_path))
    for name in (CERT_FILE, KEY_FILE, CHAIN_FILE):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    again = signing_identity(Settings(data_dir=tmp_path))
    assert again.cert.dump() == first.cert.dump()
    assert [r.dump() for r in trust_roots(Settings(data_dir=tmp_path))] == [
        r.dump() for r in first.roots()
    ]
    assert first.cert.public_key.algorithm == "rsa"
    assert first.cert.issuer == first.roots()[0].subject


def test_the_check_never_makes_a_root_of_its_own(tmp_path: Path) -> None:
    assert trust_roots(Settings(data_dir=tmp_path)) == ()
    assert not (tmp_path / CHAIN_FILE).exists()


def test_the_administration_certificate_is_used_when_configured(tmp_path: Path) -> None:
    administration = tmp_path / "pki"
    make_demo_chain(administration)
    settings = Settings(
        data_dir=tmp_path / "data",
        pdf_signing_cert=administration / CERT_FILE,
        pdf_signing_key=administration / KEY_FILE,
        pdf_signing_chain=administration / CHAIN_FILE,
    )
    identity = signing_identity(settings)
    assert not (tmp_path / "data" / KEY_FILE).exists()  # no demo chain beside it
    signed = sign_pdf(plain_pdf(), identity, reason="essai")
    assert isinstance(validate(signed, trust_roots(settings), max_bytes=10**6), Signed)
    demo_roots = trust_roots(Settings(data_dir=tmp_path / "data"))
    assert demo_roots == ()


def test_a_half_configured_certificate_is_refused(tmp_path: Path) -> None:
    make_demo_chain(tmp_path)
    with pytest.raises(CertificateError, match="together"):
        signing_identity(Settings(data_dir=tmp_path, pdf_signing_cert=tmp_path / CERT_FILE))


def test_a_key_that_is_not_the_certificate_s_is_refused(tmp_path: Path) -> None:
    make_demo_chain(tmp_path / "a")
    make_demo_chain(tmp_path / "b")
    settings = Settings(
        data_dir=tmp_path,
        pdf_signing_cert=tmp_path / "a" / CERT_FILE,
        pdf_signing_key=tmp_path / "b" / KEY_FILE,
        pdf_signing_chain=tmp_path / "a" / CHAIN_FILE,
    )
    with pytest.raises(CertificateError, match="not the private key"):
        signing_identity(settings)
