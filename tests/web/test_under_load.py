"""One request cannot freeze the server: bounds are checked before any work, heavy work runs
in a bounded pool, and a full pool answers a French 503 with `Retry-After` at once."""

from __future__ import annotations

import io
import threading
from typing import Any

import pypdfium2
import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageFile

from control.capture.pages import scan_page
from control.storage.photos import MAX_PHOTOS, add_photo, count_photos
from tests.web.test_bulletins import page_photo_bytes, paper_control


def huge_png() -> bytes:
    """7 000 × 7 000 pixels in a few kilobytes (one bit each, all white)."""
    out = io.BytesIO()
    Image.new("1", (7000, 7000), 1).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def pixels_loaded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every image whose pixels are decoded, by its size."""
    loaded: list[str] = []
    load = ImageFile.ImageFile.load

    def spy(image: ImageFile.ImageFile) -> Any:
        loaded.append(f"{image.width}×{image.height}")
        return load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return loaded


@pytest.mark.parametrize(
    ("path", "field"), [("/api/decode", "frame"), ("/verifier", "photo"), ("/api/verify", "image")]
)
def test_a_7000_px_square_png_is_refused_before_its_pixels_are_decoded(
    agent: tuple[TestClient, str], pixels_loaded: list[str], path: str, field: str
) -> None:
    client, token = agent
    data = huge_png()
    assert len(data) < 20_000
    response = client.post(
        path,
        data={"csrf": token},
        files={field: ("photo.png", data, "image/png")},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 422
    assert "trop de pixels" in response.text
    assert pixels_loaded == []


def test_a_page_photo_of_7000_px_is_refused_before_its_pixels_are_decoded(
    agent: tuple[TestClient, str], pixels_loaded: list[str]
) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    files = {"photos": ("page.png", huge_png(), "image/png")}
    response = client.post(f"/controles/{control_id}/photos", data={"csrf": token}, files=files)
    assert response.status_code == 422
    assert "trop de pixels" in response.text
    assert pixels_loaded == []


@pytest.mark.parametrize(
    ("path", "field"), [("/controles/{id}/photos", "photos"), ("/api/verify", "image")]
)
def test_a_request_of_100_files_is_refused_unread(
    agent: tuple[TestClient, str], pixels_loaded: list[str], path: str, field: str
) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    files = [(field, (f"p{n}.jpg", b"\xff\xd8 not much", "image/jpeg")) for n in range(100)]
    response = client.post(
        path.format(id=control_id),
        data={"csrf": token},
        files=files,
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 413
    assert "Trop de fichiers dans un même envoi (60 au plus)." in response.text


def test_the_photo_limit_is_checked_before_any_photo_is_straightened(
    agent: tuple[TestClient, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    context = client.app.state.context  # type: ignore[attr-defined]
    kept = scan_page(page_photo_bytes(1))
    for _ in range(MAX_PHOTOS - 1):
        add_photo(context.engine, context.files, control_id, kept)
    straightened: list[int] = []
    monkeypatch.setattr(
        "web.routes.photos.scan_page", lambda *a, **k: straightened.append(1) or kept
    )
    files = [("photos", (f"p{n}.jpg", page_photo_bytes(n), "image/jpeg")) for n in range(2)]
    response = client.post(f"/controles/{control_id}/photos", data={"csrf": token}, files=files)
    assert response.status_code == 422
    assert "60 photos au plus par contrôle : il en a déjà 59, envoyez-en 1 au plus." in (
        response.text
    )
    assert straightened == []
    assert count_photos(context.engine, control_id) == MAX_PHOTOS - 1


def test_a_pdf_with_a_huge_page_is_refused(agent: tuple[TestClient, str]) -> None:
    """The bulletin check reads the signature, never the pages (tests/bulletins): a 14 400 pt
    page (PDF's largest, once 17 s of CPU and 1 GB at 216 dpi) is refused as unsigned."""
    client, token = agent
    document = pypdfium2.PdfDocument.new()
    document.new_page(14_400, 14_400)
    out = io.BytesIO()
    document.save(out)
    files = {"pdf": ("bulletin.pdf", out.getvalue(), "application/pdf")}
    response = client.post("/verifier-bulletin", data={"csrf": token}, files=files)
    assert "Ce PDF ne porte aucune signature" in response.text


def test_a_full_pool_answers_503_with_retry_after_in_french(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    pool = client.app.state.context.pool  # type: ignore[attr-defined]
    release = threading.Event()
    busy = [pool.submit(release.wait) for _ in range(pool.capacity)]  # every slot taken
    try:
        frame = {"frame": ("frame.jpg", page_photo_bytes(1), "image/jpeg")}
        response = client.post("/api/decode", files=frame, headers={"X-CSRF-Token": token})
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        assert response.json() == {
            "error": "Le serveur est très occupé : réessayez dans quelques secondes."
        }
        photo = {"photo": ("code.jpg", page_photo_bytes(1), "image/jpeg")}
        page = client.post("/verifier", data={"csrf": token}, files=photo)
        assert page.status_code == 503
        assert page.headers["Retry-After"] == "5"
        assert "Le serveur est très occupé" in page.text
    finally:
        release.set()
    for job in busy:
        job.result(timeout=5)
    response = client.post(
        "/api/decode",
        files={"frame": ("frame.jpg", page_photo_bytes(1), "image/jpeg")},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 200  # room again once the work is done
