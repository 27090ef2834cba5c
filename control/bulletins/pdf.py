"""The bulletin as a PDF/A-3b (WeasyPrint): A4, French, with its signed verification code.

The PDF carries the bulletin's canonical JSON as an associated file (`bulletin.json`, PDF/A-3)
and is then signed (PAdES, control.pades): the check reads every field from those signed
bytes, never from the printed text.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import segno
from jinja2 import Environment, FileSystemLoader, select_autoescape
from PIL import ImageFile
from weasyprint import HTML, Attachment

from control.bulletins.canonical import canonical_json
from control.bulletins.model import HAND_OVER_LABELS, TRANSPORT_LABELS, Bulletin
from control.pades.certs import SigningIdentity
from control.pades.sign import sign_pdf
from control.pdf_fonts import FAMILY, font_faces
from control.rules.french import day
from control.rules.natinf import cited
from control.rules.timeline import PARIS

TEMPLATES = Path(__file__).parent / "templates"
DATA_NAME = "bulletin.json"  # the attachment the check reads the signed fields from
# WeasyPrint turns on Pillow's process-wide tolerance of truncated images when imported. The
# bulletins only embed images this app made, whereas uploads must be refused when truncated
# (control.capture), so the strict default is put back.
ImageFile.LOAD_TRUNCATED_IMAGES = False


def _data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make_qr(text, error="m", mode="alphanumeric").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def _weight(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} t".replace(".", ",")


def render_html(
    bulletin: Bulletin, code: str, *, with_photos: bool = False, verify_url: str = ""
) -> str:
    """`verify_url`: the public page where anyone checks the bulletin, printed in the notice."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.filters["dmy"] = lambda value: value.strftime("%d/%m/%Y")
    env.filters["texts"] = cited
    issued = bulletin.issued_at.astimezone(PARIS)
    return env.get_template("bulletin.html").render(
        font_faces=font_faces(),
        font_family=FAMILY,
        b=bulletin,
        qr=_data_uri(_qr_png(code), "image/png"),
        issued=f"{issued.strftime('%d/%m/%Y')} à {issued.strftime('%H h %M')}",
        control_date=day(bulletin.control_date),
        transport_kind=TRANSPORT_LABELS[bulletin.transport.kind],
        hand_over=HAND_OVER_LABELS[bulletin.hand_over],
        weight=_weight,
        photos=[_data_uri(p, "image/jpeg") for p in bulletin.photos] if with_photos else [],
        verify_url=verify_url,
    )


def render_pdf(
    bulletin: Bulletin, code: str, *, with_photos: bool = False, verify_url: str = ""
) -> bytes:
    """The unsigned PDF, its data attached: what `issue_pdf` signs."""
    html = render_html(bulletin, code, with_photos=with_photos, verify_url=verify_url)
    document = HTML(string=html, base_url=str(TEMPLATES))
    data = Attachment(
        string=canonical_json(bulletin),
        name=DATA_NAME,
        description="Données du bulletin (JSON), couvertes par la signature du PDF",
        relationship="Data",
    )
    pdf: bytes = document.write_pdf(
        pdf_variant="pdf/a-3b", uncompressed_pdf=False, attachments=[data]
    )
    return pdf


def issue_pdf(
    bulletin: Bulletin,
    code: str,
    identity: SigningIdentity,
    *,
    with_photos: bool = False,
    verify_url: str = "",
) -> bytes:
    """The bulletin's PDF as issued: rendered, then signed with the service's certificate."""
    pdf = render_pdf(bulletin, code, with_photos=with_photos, verify_url=verify_url)
    reason = f"Bulletin de contrôle n° {bulletin.number}, version {bulletin.version}"
    return sign_pdf(pdf, identity, reason=reason, location=bulletin.commune)
