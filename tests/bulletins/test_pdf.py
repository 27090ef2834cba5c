"""The PDF, read back: every section, PDF/A metadata, and a verification code that proves it."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pypdfium2
import pytest
from PIL import Image
from pypdf import PdfReader

from control.bulletins.canonical import canonical_json
from control.bulletins.model import Bulletin, Infraction
from control.bulletins.pdf import DATA_NAME, issue_pdf, render_pdf
from control.bulletins.signing import check_code, sign_bulletin
from control.bulletins.verify import check_pdf
from control.capture.decode import scan
from control.pades.certs import SigningIdentity
from control.verify.keys import PrivateKey


def printed_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def code_on_first_page(pdf: bytes) -> str | None:
    document = pypdfium2.PdfDocument(pdf)
    image = document[0].render(scale=3.0, grayscale=True).to_pil()
    gray = np.asarray(image.convert("L"), dtype=np.uint8)
    return next((c.text for c in scan(gray) if c.text.startswith("BDC1:")), None)


@pytest.fixture
def issued(bulletin: Bulletin, service_key: PrivateKey) -> tuple[str, bytes]:
    code = sign_bulletin(bulletin, service_key)
    return code, render_pdf(bulletin, code)


def test_every_section_is_printed(issued: tuple[str, bytes]) -> None:
    text = " ".join(printed_text(issued[1]).split())
    for expected in (
        "Bulletin de contrôle",
        "N° 000042-2026-A17",
        "Vénissieux (69)",
        "FAURE Thierry",
        "20/02/1976",
        "298412974",
        "2020/69/0001234",
        "BS-286-TW",
        "32083",
        "20525",
        "Emploi de personnel roulant sans repos quotidien suffisant",
        "peuvent être différentes",
        "Conducteur coopératif.",
    ):
        assert expected in text, expected


def test_the_pdf_is_a4_pdf_a(issued: tuple[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(issued[1]))
    assert 1 <= len(reader.pages) <= 3
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="B"' in xmp


def test_the_code_read_from_the_rendered_page_verifies(
    issued: tuple[str, bytes], service_key: PrivateKey
) -> None:
    code, pdf = issued
    assert code_on_first_page(pdf) == code  # a phone reads the printed code
    result = check_code(code, [service_key.public])
    assert result.valid
    assert result.fields is not None
    assert result.fields.natinf == ("32083", "20525")


def test_the_pdf_carries_the_bulletin_as_json(
    issued: tuple[str, bytes], bulletin: Bulletin
) -> None:
    attached = PdfReader(io.BytesIO(issued[1])).attachments[DATA_NAME]
    assert attached == [canonical_json(bulletin)]


def test_a_code_signed_by_another_key_is_refused(
    bulletin: Bulletin, service_key: PrivateKey
) -> None:
    other = PrivateKey.generate("FR-CONTROLE-LIC")
    result = check_code(sign_bulletin(bulletin, other), [service_key.public])
    assert not result.valid
    assert "clé inconnue" in result.reason


def test_a_tampered_code_is_refused(issued: tuple[str, bytes], service_key: PrivateKey) -> None:
    code = issued[0]
    tampered = code[:-8] + ("0" if code[-8] != "0" else "1") + code[-7:]
    assert not check_code(tampered, [service_key.public]).valid


def test_a_driver_code_is_not_a_bulletin(service_key: PrivateKey) -> None:
    assert "Ce n'est pas" in check_code("LIC1:ABC", [service_key.public]).reason


def test_page_photos_go_in_an_annex_on_demand(
    bulletin: Bulletin, service_key: PrivateKey, pdf_identity: SigningIdentity
) -> None:
    photo = io.BytesIO()
    Image.new("RGB", (1400, 2000), (240, 238, 230)).save(photo, "JPEG")
    with_photos = replace(bulletin, photos=(photo.getvalue(), photo.getvalue()))
    code = sign_bulletin(with_photos, service_key)
    plain = PdfReader(io.BytesIO(render_pdf(with_photos, code)))
    annexed_pdf = issue_pdf(with_photos, code, pdf_identity, with_photos=True)
    annexed = PdfReader(io.BytesIO(annexed_pdf))
    assert len(annexed.pages) >= len(plain.pages) + 2
    assert "ne pas verser au procès-verbal" in printed_text(annexed_pdf)
    assert check_pdf(annexed_pdf, pdf_identity.roots()).valid


def test_a_bulletin_with_a_few_infractions_fits_one_page_notice_included(
    bulletin: Bulletin, service_key: PrivateKey
) -> None:
    code = sign_bulletin(bulletin, service_key)
    url = "https://controle-lic.example.gouv.fr/verifier-bulletin"
    pdf = PdfReader(io.BytesIO(render_pdf(bulletin, code, verify_url=url)))
    assert len(bulletin.infractions) >= 2
    assert len(pdf.pages) == 1
    text = " ".join(pdf.pages[0].extract_text().split())
    assert "verifier-bulletin" in text
    assert "lic-control" not in text


def test_a_long_distance_records_four_infractions_still_fit_one_page(
    bulletin: Bulletin, service_key: PrivateKey
) -> None:
    """The demo's long-distance driver: a week's service, a daily rest, a day's work and a
    break, each with its full legal texts, and an observation. Page 2 held only the notice."""
    week = tuple(date(2026, 11, 16) + timedelta(days=n) for n in range(7))
    day = (date(2026, 11, 21),)
    four = replace(
        bulletin,
        infractions=(
            Infraction.of("11289", week),
            Infraction.of("20525", day),
            Infraction.of("11292", day),
            Infraction.of("35187", day),
        ),
        observations="Conducteur coopératif ; relevé présenté sur son téléphone.",
    )
    url = "https://controle-lic.example.gouv.fr/verifier-bulletin"
    pdf = PdfReader(io.BytesIO(render_pdf(four, sign_bulletin(four, service_key), verify_url=url)))
    assert len(pdf.pages) == 1
    text = " ".join(pdf.pages[0].extract_text().split())
    for printed in ("11289", "35187", "relevé présenté sur son téléphone", url):
        assert printed in text


def embedded_fonts(pdf: bytes) -> set[str]:
    """The fonts whose program is in the file (a composite font's is in its descendant)."""
    names: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for reference in page["/Resources"]["/Font"].values():
            font = reference.get_object()
            parts = [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]
            for part in parts:
                descriptor = part.get("/FontDescriptor")
                programs = ("/FontFile", "/FontFile2", "/FontFile3")
                if descriptor is not None and any(k in descriptor.get_object() for k in programs):
                    names.add(str(font["/BaseFont"]).split("+")[-1])
    return names


def test_the_bulletin_is_set_in_marianne_with_its_fonts_embedded(
    issued: tuple[str, bytes],
) -> None:
    """The State's typeface, as on the pages; embedded, as PDF/A requires."""
    fonts = embedded_fonts(issued[1])
    assert any(name.startswith("Marianne") for name in fonts), fonts
