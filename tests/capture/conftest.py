"""Real images for the decoder: rendered codes, simulated photos, hostile files."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
import segno
from PIL import Image

from control.issue import issue_code
from control.qr import make
from control.record.model import Record
from control.verify.keys import PrivateKey
from tests.conftest import NOW


@pytest.fixture(scope="session")
def lic_text(record: Record, issuer_key: PrivateKey) -> str:
    return issue_code(record, issuer_key, iat=NOW).text


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


@pytest.fixture
def rendered() -> Callable[..., Image.Image]:
    """A QR code of `text` as a clean image (what a screenshot gives)."""

    def render(text: str, scale: int = 4) -> Image.Image:
        buffer = io.BytesIO()
        code = make(text) if text.startswith("LIC1:") else segno.make_qr(text)
        code.save(buffer, kind="png", scale=scale, border=4)
        return Image.open(io.BytesIO(buffer.getvalue())).convert("L")

    return render
