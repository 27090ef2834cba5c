"""A bulletin PDF proves itself by its PAdES signature: the genuine one is accepted with every
signed field, and every forgery is refused — whatever the forger's tool."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText, Rectangle
from pypdf.generic import NameObject, NumberObject

from control.bulletins.model import Bulletin
from control.bulletins.pdf import issue_pdf, render_pdf
from control.bulletins.signing import sign_bulletin
from control.bulletins.verify import AUTHENTIC, check_pdf
from control.demo.bulletins import sample_bulletin
from control.pades import validate
from control.pades.certs import SigningIdentity, signing_identity
from control.settings import Settings
from control.verify.keys import PrivateKey

Roots = tuple[object, ...]


@pytest.fixture(scope="module")
def genuine(service_key: PrivateKey, pdf_identity: SigningIdentity) -> tuple[Bulletin, str, bytes]:
    """One bulletin issued as the service does, shared by the module's tests."""
    bulletin = sample_bulletin()
    code = sign_bulletin(bulletin, service_key)
    return bulletin, code, issue_pdf(bulletin, code, pdf_identity)


@pytest.fixture(scope="module")
def pdf(genuine: tuple[Bulletin, str, bytes]) -> bytes:
    return genuine[2]


def test_the_genuine_pdf_is_accepted_with_every_signed_field(
    genuine: tuple[Bulletin, str, bytes], pdf_identity: SigningIdentity
) -> None:
    bulletin, _, pdf = genuine
    result = check_pdf(pdf, pdf_identity.roots())
    assert result.valid, result.reason
    assert result.reason == AUTHENTIC
    assert result.signer.startswith("Contrôle LIC — signature des bulletins")
    assert result.signed_at is not None
    assert result.bulletin == bulletin  # every field, from the signed bytes
    assert [(i.natinf, i.qualification) for i in result.bulletin.infractions] == [
        (i.natinf, i.qualification) for i in bulletin.infractions
    ]


def test_the_signature_is_pades_and_covers_the_whole_file(pdf: bytes) -> None:
    field = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/AcroForm"]["/Fields"][0].get_object()
    signature = field["/V"].get_object()
    assert signature["/SubFilter"] == "/ETSI.CAdES.detached"
    byte_range = [int(n) for n in signature["/ByteRange"]]
    assert byte_range[0] == 0
    assert byte_range[2] + byte_range[3] == len(pdf)


def _incremental(pdf: bytes, change: object) -> bytes:
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    change(writer)  # type: ignore[operator]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _refused(pdf: bytes, roots: Roots, reason: str) -> None:
    result = check_pdf(pdf, roots)  # type: ignore[arg-type]
    assert not result.valid
    assert result.bulletin is None
    assert result.reason == reason


def test_an_incremental_update_changing_the_text_is_refused(
    pdf: bytes, pdf_identity: SigningIdentity
) -> None:
    def change_text(writer: PdfWriter) -> None:
        page = writer.pages[0]
        content = page.get_contents()
        assert content is not None
        data = content.get_data()
        # a glyph of the page's text, shown as its id in the subset font, swapped for another:
        # a character of the bulletin changed, as a forger would (the ids depend on the font)
        glyph = re.search(rb"<([0-9A-Fa-f]{4})>", data)
        assert glyph is not None
        other = b"%04X" % ((int(glyph[1], 16) + 1) % 0x10000)
        content.set_data(data[: glyph.start(1)] + other + data[glyph.end(1) :])
        page.replace_contents(content)

    _refused(_incremental(pdf, change_text), pdf_identity.roots(), validate.MODIFIED)


def test_an_annotation_added_by_an_incremental_update_is_refused(
    pdf: bytes, pdf_identity: SigningIdentity
) -> None:
    def annotate(writer: PdfWriter) -> None:
        note = FreeText(text="Aucune infraction", rect=(50, 500, 300, 540))
        writer.add_annotation(page_number=0, annotation=note)

    _refused(_incremental(pdf, annotate), pdf_identity.roots(), validate.MODIFIED)


def test_a_white_box_over_an_infraction_is_refused(
    pdf: bytes, pdf_identity: SigningIdentity
) -> None:
    def white_box(writer: PdfWriter) -> None:
        box = Rectangle(rect=(30, 280, 565, 330), interior_color="ffffff")
        box[NameObject("/C")] = box["/IC"]  # white border too: the row is hidden
        writer.add_annotation(page_number=0, annotation=box)

    _refused(_incremental(pdf, white_box), pdf_identity.roots(), validate.MODIFIED)


def test_a_full_rewrite_by_pypdf_is_refused(pdf: bytes, pdf_identity: SigningIdentity) -> None:
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.add_metadata({"/Author": "Autre"})
    out = io.BytesIO()
    writer.write(out)
    result = check_pdf(out.getvalue(), pdf_identity.roots())
    assert not result.valid
    assert result.reason in (validate.MODIFIED, validate.BROKEN)


def test_a_content_stream_edited_with_pikepdf_is_refused(
    pdf: bytes, pdf_identity: SigningIdentity
) -> None:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        page.contents_add(document.make_stream(b"q 1 1 1 rg 30 280 535 50 re f Q"), prepend=False)
        out = io.BytesIO()
        document.save(out)
    result = check_pdf(out.getvalue(), pdf_identity.roots())
    assert not result.valid
    assert result.reason in (validate.MODIFIED, validate.BROKEN)


def test_a_re_render_with_the_genuine_code_but_other_content_is_refused(
    genuine: tuple[Bulletin, str, bytes], pdf_identity: SigningIdentity
) -> None:
    bulletin, code, _ = genuine
    forged = replace(bulletin, infractions=bulletin.infractions[:1])
    _refused(render_pdf(forged, code), pdf_identity.roots(), validate.NO_SIGNATURE)


def test_a_bulletin_signed_by_another_ca_is_refused(
    genuine: tuple[Bulletin, str, bytes], pdf_identity: SigningIdentity, tmp_path: Path
) -> None:
    bulletin, code, _ = genuine
    forger = signing_identity(Settings(data_dir=tmp_path))  # a CA of the forger's own making
    forged = replace(bulletin, infractions=())
    _refused(issue_pdf(forged, code, forger), pdf_identity.roots(), validate.UNKNOWN_SIGNER)


def test_a_changed_byte_inside_the_signed_range_is_refused(
    pdf: bytes, pdf_identity: SigningIdentity
) -> None:
    at = pdf.index(b"/Producer")
    flipped = pdf[:at] + b"/Producex" + pdf[at + 9 :]
    _refused(flipped, pdf_identity.roots(), validate.BROKEN)


def test_a_pdf_over_the_upload_limit_is_refused_before_it_is_read(
    pdf: bytes, pdf_identity: SigningIdentity
) -> None:
    result = check_pdf(pdf, pdf_identity.roots(), max_bytes=len(pdf) - 1)
    assert not result.valid
    assert "trop volumineux" in result.reason


def test_a_tiny_pdf_with_a_huge_page_is_refused_without_rendering_it(
    pdf_identity: SigningIdentity,
) -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(3000, 3000)
    page[NameObject("/UserUnit")] = NumberObject(75000)  # ≈ 3 km a side: no renderer copes
    out = io.BytesIO()
    writer.write(out)
    huge = out.getvalue()
    assert len(huge) < 1000
    _refused(huge, pdf_identity.roots(), validate.NO_SIGNATURE)


def test_no_trust_root_refuses_everything(pdf: bytes) -> None:
    _refused(pdf, (), validate.NO_ROOTS)


def test_an_altered_signature_value_is_refused(pdf: bytes, pdf_identity: SigningIdentity) -> None:
    start = pdf.index(b"/Contents <") + len(b"/Contents <")
    cms = pdf[start : pdf.index(b">", start)].rstrip(b"0")  # the CMS, then its zero padding
    at = start + len(cms) - 20  # the signature value closes the CMS
    flipped = pdf[:at] + (b"0" if pdf[at : at + 1] != b"0" else b"1") + pdf[at + 1 :]
    result = check_pdf(flipped, pdf_identity.roots())
    assert not result.valid
    assert result.reason in (validate.BROKEN, validate.DAMAGED)


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.999])
def test_a_truncated_pdf_is_refused_without_an_error(
    pdf: bytes, pdf_identity: SigningIdentity, keep: float
) -> None:
    result = check_pdf(pdf[: int(len(pdf) * keep)], pdf_identity.roots())
    assert not result.valid


def test_a_refused_signature_leaves_no_traceback_in_the_log(
    genuine: tuple[Bulletin, str, bytes],
    pdf_identity: SigningIdentity,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Anyone may send PDFs to the public check: a refusal must not fill the server's log."""
    bulletin, code, _ = genuine
    forged = issue_pdf(bulletin, code, signing_identity(Settings(data_dir=tmp_path)))
    with caplog.at_level(logging.DEBUG):
        _refused(forged, pdf_identity.roots(), validate.UNKNOWN_SIGNER)
    assert not [r for r in caplog.records if r.exc_info]
