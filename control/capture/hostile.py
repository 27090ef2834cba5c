"""Hostile and broken files, made on the fly, for the upload tests and benchmarks.

Nothing here is stored in the repository: every file is built from a few bytes or a tiny
image, so the set can grow without binary fixtures. Each file has the behaviour expected of
an upload path that wants an image: refused (a 4xx with a message), or, for polyglots that
*are* valid images, accepted only as a re-encoded image that carries none of the payload.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image

PAYLOAD = b"<script>alert('lic')</script>"


@dataclass(frozen=True)
class HostileFile:
    name: str
    data: bytes
    content_type: str
    refused: bool = True  # False: a valid image that must come out re-encoded, payload gone


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def png_claiming(width: int, height: int, extra: bytes = b"") -> bytes:
    """A PNG whose header claims width × height, with a tiny body."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + extra
        + _chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + _chunk(b"IEND", b"")
    )


def _encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _page() -> Image.Image:
    image = Image.new("L", (320, 240), 235)
    for x in range(20, 300, 16):
        image.paste(30, (x, 40, x + 8, 200))
    return image


def _jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF0) claims width × height."""
    data = bytearray(_encode(_page(), "JPEG"))
    at = data.index(b"\xff\xc0") + 5  # marker, length (2), precision (1): then height, width
    data[at : at + 4] = struct.pack(">HH", height, width)
    return bytes(data)


def _ztxt_bomb() -> bytes:
    """A PNG with a text chunk that inflates to 50 MB."""
    body = b"Comment\0\0" + zlib.compress(b"A" * 50_000_000, 9)
    return png_claiming(64, 64, _chunk(b"zTXt", body))


def _animated() -> bytes:
    frames = [Image.new("L", (64, 64), shade) for shade in (0, 255)]
    return _encode(frames[0], "WEBP", save_all=True, append_images=frames[1:])


def _svg() -> bytes:
    return (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" onload="alert(1)">'
        + PAYLOAD
        + b'<rect width="400" height="400"/></svg>'
    )


MAKERS: dict[str, tuple[Callable[[], bytes], str, bool]] = {
    "empty": (lambda: b"", "image/jpeg", True),
    "random-bytes": (lambda: bytes(range(256)) * 40, "image/jpeg", True),
    "text-named-jpg": (lambda: b"LIC1:not a photo\n" * 50, "image/jpeg", True),
    "bomb-64mp-png": (lambda: _encode(Image.new("1", (8_000, 8_000)), "PNG"), "image/png", True),
    "header-60000x60000-png": (lambda: png_claiming(60_000, 60_000), "image/png", True),
    "header-65000x65000-jpeg": (lambda: _jpeg_claiming(65_000, 65_000), "image/jpeg", True),
    "truncated-jpeg": (lambda: _encode(_page(), "JPEG")[:600], "image/jpeg", True),
    "ztxt-bomb-png": (_ztxt_bomb, "image/png", True),
    "animated-webp": (_animated, "image/webp", True),
    "svg-with-script": (_svg, "image/svg+xml", True),
    "svg-named-jpg": (_svg, "image/jpeg", True),
    "gif-with-script": (
        lambda: b"GIF89a\x01\x00\x01\x00\x00\x00\x00;" + PAYLOAD,
        "image/gif",
        True,
    ),
    "tiff": (lambda: _encode(_page(), "TIFF"), "image/tiff", True),
    "html-then-jpeg": (lambda: PAYLOAD + _encode(_page(), "JPEG"), "image/jpeg", True),
    "pdf-named-jpg": (lambda: b"%PDF-1.7\n" + PAYLOAD, "image/jpeg", True),
    "heic-header-junk": (lambda: b"\0\0\0\x18ftypheic\0\0\0\0" + bytes(500), "image/heic", True),
    # valid images carrying a payload: accepted only re-encoded
    "jpeg-then-html": (lambda: _encode(_page(), "JPEG") + PAYLOAD, "image/jpeg", False),
    "png-with-script-text": (
        lambda: _encode(_page(), "PNG", pnginfo=_text_info()),
        "image/png",
        False,
    ),
}


def _text_info() -> object:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", PAYLOAD.decode())
    return info


def hostile_files() -> list[HostileFile]:
    return [
        HostileFile(name, make(), content_type, refused)
        for name, (make, content_type, refused) in MAKERS.items()
    ]
