"""The State's typeface for the PDFs: Marianne, from the DSFR package the pages use.

The bulletin and the company report keep their own print styles; set in Marianne they read
like the pages (DSFR typography). The fonts are embedded (PDF/A requires it; WeasyPrint keeps
only the glyphs used). WOFF rather than WOFF2: fontTools rebuilds a WOFF2 font's outlines in
Python, which made a bulletin four times slower. Characters Marianne lacks, and a machine
without the npm packages (the library installed alone), fall back to DejaVu Sans.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from markupsafe import Markup
from weasyprint.text.fonts import FontConfiguration

FONTS = Path(__file__).resolve().parent.parent / "node_modules/@gouvfr/dsfr/dist/fonts"
FACES = (
    ("Marianne-Regular", 400, "normal"),
    ("Marianne-Regular_Italic", 400, "italic"),
    ("Marianne-Bold", 700, "normal"),
    ("Marianne-Bold_Italic", 700, "italic"),
)
FAMILY = Markup('"Marianne", "DejaVu Sans", sans-serif')


@cache
def font_faces() -> Markup:
    """@font-face rules for the weights found, to put at the top of a PDF's style sheet."""
    rules = []
    for name, weight, style in FACES:
        path = FONTS / f"{name}.woff"
        if path.is_file():
            rules.append(
                f'@font-face {{ font-family: "Marianne"; src: url("{path.as_uri()}"); '
                f"font-weight: {weight}; font-style: {style}; }}"
            )
    return Markup("\n".join(rules))


@cache
def _threads() -> threading.local:
    return threading.local()


def font_configuration() -> FontConfiguration:
    """This thread's WeasyPrint font configuration, kept from one PDF to the next: a new one
    loads the @font-face fonts again (25 ms a document; a company report renders three).
    WeasyPrint keeps each face once however often a style sheet declares it. One per
    thread, as Pango's font map is not to be shared between threads."""
    local = _threads()
    config: FontConfiguration | None = getattr(local, "config", None)
    if config is None:
        config = local.config = FontConfiguration()
    return config
