"""A labour inspector's company control in Chromium: drop the drivers' files, import the rest
with the file picker, establish the report and download it."""

from __future__ import annotations

import io
import re
from pathlib import Path

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import sign_in


def drop_files(page: Page, selector: str, files: list[Path]) -> None:
    """Drag files from the desktop onto `selector`, as a real drop does: a DataTransfer."""
    transfer = page.evaluate_handle(
        """(files) => {
            const transfer = new DataTransfer();
            for (const [name, text] of files) transfer.items.add(new File([text], name));
            return transfer;
        }""",
        [[f.name, f.read_text(encoding="utf-8")] for f in files],
    )
    page.dispatch_event(selector, "drop", {"dataTransfer": transfer})


def test_an_inspector_imports_a_company_and_downloads_the_report(
    page: Page, demo_world: Path, tmp_path: Path
) -> None:
    files = sorted((demo_world / "entreprise").iterdir())
    assert len(files) == 13  # twelve drivers and one damaged file
    sign_in(page, "inspector")
    page.locator("#navigation-principale").get_by_role("link", name="Entreprises").click()
    page.click("text=Nouveau contrôle en entreprise")
    expect(page.get_by_role("heading", name="Contrôle en entreprise n°")).to_be_visible()

    drop_files(page, "#depot", files[:5])
    expect(page.locator("#fichiers-importes h2")).to_have_text(
        "Fichiers importés : 5 (5 utilisables)"
    )
    page.set_input_files("#fichiers", [str(f) for f in files[5:]])
    page.click("text=Importer les fichiers")
    expect(page.locator("#fichiers-importes h2")).to_have_text(
        "Fichiers importés : 13 (12 utilisables)"
    )
    expect(page.locator("#fichiers-importes .fr-alert")).to_contain_text("conducteur-013-abime.txt")
    expect(page.locator("#import-etat")).to_have_text("8 fichier(s) traité(s).")

    page.click("text=Établir le rapport")
    expect(page.locator("#rapport")).to_contain_text("12 conducteurs analysés")
    with page.expect_download() as download:
        page.click("text=Télécharger le rapport PDF")
    saved = tmp_path / "rapport.pdf"
    download.value.save_as(saved)
    assert download.value.suggested_filename.endswith(".pdf")
    pages = PdfReader(io.BytesIO(saved.read_bytes())).pages
    text = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert "Conducteurs analysés 12" in text
    assert text.endswith(f"page {len(pages)} / {len(pages)}")
    # each driver with a finding, a change or a point to check has a line; the others are
    # counted, their detail in the workbook
    listed = len(re.findall(r"conducteur-\d{3}\.\w+ — (?:signé|JSON non signé)", text))
    clean = re.search(
        r"(\d+) conducteurs? sans infraction ni modification ni point à vérifier "
        r": détail dans le tableur XLSX",
        text,
    )
    assert clean
    assert 0 < listed < 12
    assert listed + int(clean[1]) == 12
    with page.expect_download() as workbook:
        page.click("text=Télécharger le tableau XLSX")
    assert workbook.value.suggested_filename.endswith(".xlsx")
