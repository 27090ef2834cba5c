"""Bulletins from the web: three steps, the PDF, a correction, the driver's copy, the check."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pypdf import PdfWriter
from pypdf.annotations import FreeText

from control.bulletins.verify import check_pdf
from control.storage.bulletins import for_control, get_bulletin
from tests.own_loop import run
from tests.web.conftest import demo_code, verdict_choices

PLACE = {"occurred_at": "2026-11-25T10:40", "departement": "69", "commune": "Vénissieux",
         "plate": "BS-286-TW"}  # fmt: skip
STEP2 = {
    "siren": "",
    "company_name": "",
    "address": "1 rue des Essais, Lyon",
    "activity": "messagerie",
    "licence": "2020/69/0001234",
    "certified_copy": "",
    "origin": "Lyon",
    "destination": "Grenoble",
    "transport_kind": "interieur",
    "goods": "colis",
    "plate": "BS-286-TW",
    "country": "F",
    "empty_weight": "1,9",
    "max_weight": "3,5",
    "actual_weight": "",
}


def electronic_control(client: TestClient, token: str, code: str) -> int:
    data = {**PLACE, "kind": "electronic", "code": code, "csrf": token}
    data |= verdict_choices(client, token, code)
    location = client.post("/controles", data=data).headers["location"]
    return int(location.rsplit("/", 1)[1])


def fields(page: str) -> dict[str, str]:
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'name="([a-z_]+)" type="[a-z]+" value="([^"]*)"', page)
    }


def fill_bulletin(client: TestClient, token: str, control_id: int) -> str:
    """Steps 1 and 2 of the form; returns the URL of step 3, which issues."""
    base = f"/controles/{control_id}/bulletin"
    step1 = fields(client.get(base).text)
    assert client.post(f"{base}?etape=1", data={**step1, "csrf": token}).status_code == 303
    step2 = {**STEP2, **{k: v for k, v in fields(client.get(f"{base}?etape=2").text).items() if v}}
    assert client.post(f"{base}?etape=2", data={**step2, "csrf": token}).status_code == 303
    return f"{base}?etape=3"


STEP3 = {"kept": "0", "hand_over": "papier"}


def issue_bulletin(client: TestClient, token: str, control_id: int) -> str:
    done = client.post(fill_bulletin(client, token, control_id), data={**STEP3, "csrf": token})
    assert done.status_code == 303, done.text
    return done.headers["location"]


def test_the_form_is_prefilled_from_the_verified_code(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    control_id = electronic_control(client, token, demo_code(demo_world, "06-nuit"))
    step1 = fields(client.get(f"/controles/{control_id}/bulletin").text)
    assert step1["departement"] == "69"
    assert step1["family_name"]
    assert step1["birth_date"]


def test_three_steps_issue_a_verifiable_pdf(
    agent: tuple[TestClient, str], demo_world: Path, app: FastAPI
) -> None:
    client, token = agent
    control_id = electronic_control(client, token, demo_code(demo_world, "06-nuit"))
    location = issue_bulletin(client, token, control_id)
    page = client.get(location)
    assert "version 1" in page.text
    pdf = client.get(f"{location}/pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    result = check_pdf(pdf.content, app.state.context.pdf_roots)
    assert result.valid, result.reason
    assert result.bulletin is not None
    assert [i.natinf for i in result.bulletin.infractions] == ["32083"]


def test_a_wrong_siren_key_is_refused_and_the_step_is_kept(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    control_id = electronic_control(client, token, demo_code(demo_world, "06-nuit"))
    base = f"/controles/{control_id}/bulletin"
    data = {**STEP2, "siren": "298412975", "licence": "2020-69", "csrf": token}
    response = client.post(f"{base}?etape=2", data=data)
    assert response.status_code == 422
    text = html.unescape(response.text)
    assert "clé de contrôle" in text
    assert "aaaa/xx/xxxxxxx" in text
    assert fields(client.get(f"{base}?etape=2").text)["address"] == "1 rue des Essais, Lyon"


def test_a_correction_is_version_two_and_both_are_listed(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    control_id = electronic_control(client, token, demo_code(demo_world, "06-nuit"))
    first = issue_bulletin(client, token, control_id)
    first_pdf = client.get(f"{first}/pdf").content
    client.post(f"{first}/corriger", data={"csrf": token})
    second = issue_bulletin(client, token, control_id)
    assert second != first
    page = html.unescape(client.get(second).text)
    assert "version 2" in page
    assert "corrige la version 1" in page
    assert client.get(f"{first}/pdf").content == first_pdf
    checked = client.post(
        "/verifier-bulletin",
        data={"csrf": token},
        files={"pdf": ("b.pdf", first_pdf, "application/pdf")},
    )
    shown = html.unescape(checked.text)
    assert "Bulletin authentique" in shown  # genuine, but no longer the one that counts
    assert "Ce bulletin a été remplacé : une correction (version 2) a été émise depuis" in shown


def test_the_driver_downloads_his_copy_without_an_account(
    agent: tuple[TestClient, str], demo_world: Path, app: FastAPI
) -> None:
    client, token = agent
    control_id = electronic_control(client, token, demo_code(demo_world, "06-nuit"))
    page = client.get(issue_bulletin(client, token, control_id)).text
    link = re.search(r"<code>http://testserver(/b/[^<]+)</code>", page)
    assert link
    anonymous = TestClient(app)
    assert anonymous.get(link[1]).headers["content-type"] == "application/pdf"
    assert anonymous.get("/b/not-a-token").status_code == 404


def test_anyone_checks_a_bulletin_pdf(
    agent: tuple[TestClient, str], demo_world: Path, app: FastAPI
) -> None:
    client, token = agent
    control_id = electronic_control(client, token, demo_code(demo_world, "06-nuit"))
    pdf = client.get(f"{issue_bulletin(client, token, control_id)}/pdf").content
    anonymous = TestClient(app)
    csrf = re.search(r'name="csrf" value="([^"]+)"', anonymous.get("/verifier-bulletin").text)
    assert csrf
    ok = anonymous.post(
        "/verifier-bulletin",
        data={"csrf": csrf[1]},
        files={"pdf": ("b.pdf", pdf, "application/pdf")},
    )
    shown = html.unescape(ok.text)
    assert "Bulletin authentique" in shown
    assert "Signé par Contrôle LIC — signature des bulletins" in shown
    for label in ("Numéro", "Conducteur", "SIREN ou TVA intracommunautaire", "Infraction 1"):
        assert f"<dt>{label}</dt>" in shown
    assert "NATINF 32083" in shown
    edited = PdfWriter(io.BytesIO(pdf), incremental=True)  # a note added after signing
    edited.add_annotation(0, FreeText(text="Aucune infraction", rect=(50, 500, 300, 540)))
    forged = io.BytesIO()
    edited.write(forged)
    refused = anonymous.post(
        "/verifier-bulletin",
        data={"csrf": csrf[1]},
        files={"pdf": ("b.pdf", forged.getvalue(), "application/pdf")},
    )
    assert "modifié après sa signature" in html.unescape(refused.text)
    assert "<dt>Conducteur</dt>" not in html.unescape(refused.text)
    not_pdf = anonymous.post(
        "/verifier-bulletin",
        data={"csrf": csrf[1]},
        files={"pdf": ("b.pdf", b"hello", "application/pdf")},
    )
    assert not_pdf.status_code == 422
    assert "pas un PDF" in html.unescape(not_pdf.text)


def page_photo_bytes(seed: int) -> bytes:
    from control.capture.simulate import page_photo

    return page_photo(seed)


def paper_control(client: TestClient, token: str) -> int:
    location = client.post("/controles", data={**PLACE, "kind": "paper", "csrf": token})
    return int(location.headers["location"].rsplit("/", 1)[1])


def test_photos_of_paper_pages_are_kept_with_the_control(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    files = [("photos", (f"p{n}.jpg", page_photo_bytes(n), "image/jpeg")) for n in range(3)]
    response = client.post(f"/controles/{control_id}/photos", data={"csrf": token}, files=files)
    assert response.status_code == 303
    page = client.get(f"/controles/{control_id}").text
    assert len(re.findall(r'/photos/\d+\.jpg"', page)) == 3
    image = client.get(re.findall(r'src="(/controles/\d+/photos/\d+\.jpg)"', page)[0])
    assert image.content[:2] == b"\xff\xd8"


def test_a_photo_that_is_not_an_image_is_named_and_the_others_kept(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    files = [
        ("photos", ("good.jpg", page_photo_bytes(1), "image/jpeg")),
        ("photos", ("notes.jpg", b"not an image at all", "image/jpeg")),
    ]
    response = client.post(
        f"/controles/{control_id}/photos",
        data={"csrf": token},
        files=files,
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    text = html.unescape(response.text)
    assert "notes.jpg : Ce fichier n'est pas une image" in text
    assert len(re.findall(r'/photos/\d+\.jpg"', text)) == 1
    only_bad = client.post(
        f"/controles/{control_id}/photos",
        data={"csrf": token},
        files=[("photos", ("x.jpg", b"garbage", "image/jpeg"))],
    )
    assert only_bad.status_code == 422


def test_a_huge_photo_upload_is_refused_before_it_is_read(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    huge = io.BytesIO(b"\0" * 3_000_000)
    response = client.post(
        f"/controles/{control_id}/photos",
        data={"csrf": token},
        files=[("photos", ("big.jpg", huge, "image/jpeg"))],
    )
    assert response.status_code == 413


def test_each_step_renders_as_an_htmx_fragment(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    control_id = electronic_control(client, token, demo_code(demo_world, "06-nuit"))
    for step in (1, 2, 3):
        fragment = client.get(
            f"/controles/{control_id}/bulletin?etape={step}", headers={"HX-Request": "true"}
        )
        assert fragment.status_code == 200
        assert "<html" not in fragment.text
        assert 'name="csrf"' in fragment.text


def test_a_200_mb_upload_is_refused_from_its_header_without_reading_it() -> None:

    from web.app import BodyLimit

    sent: list[dict[str, object]] = []

    async def never_read() -> dict[str, object]:
        raise AssertionError("the body must not be read")

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    async def app(scope: object, receive: object, send: object) -> None:
        raise AssertionError("the app must not be called")

    scope = {
        "type": "http",
        "path": "/controles/1/photos",
        "headers": [(b"content-length", b"200000000")],
    }
    middleware = BodyLimit(app, 15_000_000)  # type: ignore[arg-type]
    run(middleware(scope, never_read, send))  # type: ignore[arg-type]
    assert sent[0]["status"] == 413
    assert "trop volumineux" in bytes(sent[1]["body"]).decode()  # type: ignore[arg-type]


def test_correcting_an_older_bulletin_follows_its_own_number(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    control_id = electronic_control(client, token, demo_code(demo_world, "06-nuit"))
    first = issue_bulletin(client, token, control_id)
    second = issue_bulletin(client, token, control_id)  # another bulletin, another number
    client.post(f"{first}/corriger", data={"csrf": token})
    corrected = html.unescape(client.get(issue_bulletin(client, token, control_id)).text)
    first_number = html.unescape(client.get(first).text).split("Bulletin n° ")[1].split(" ")[0]
    assert f"Bulletin n° {first_number} — version 2" in corrected
    assert second != first


def test_a_code_shows_the_fields_it_carries_and_says_it_proves_only_those(
    agent: tuple[TestClient, str], demo_world: Path, app: FastAPI
) -> None:
    client, token = agent
    control_id = electronic_control(client, token, demo_code(demo_world, "06-nuit"))
    location = issue_bulletin(client, token, control_id)
    bulletin_id = int(location.rsplit("/", 1)[1])
    code = get_bulletin(app.state.context.engine, bulletin_id).code  # type: ignore[union-attr]
    anonymous = TestClient(app)
    csrf = re.search(r'name="csrf" value="([^"]+)"', anonymous.get("/verifier-bulletin").text)
    assert csrf
    shown = html.unescape(
        anonymous.post("/verifier-bulletin", data={"csrf": csrf[1], "code": code}).text
    )
    assert "Bulletin authentique" in shown
    assert "prouve seulement les champs ci-dessous" in shown
    assert "un bulletin PDF se vérifie par sa signature" in shown
    for label in ("Numéro", "Conducteur", "Véhicule", "NATINF relevés"):
        assert f"<dt>{label}</dt>" in shown
    assert "32083" in shown


def test_a_second_click_on_issue_finds_the_bulletin_the_first_issued(
    agent: tuple[TestClient, str], demo_world: Path, app: FastAPI
) -> None:
    """The last step sent twice (a double tap on a slow tablet, a reload) issues one bulletin:
    the page carries the key it was rendered with."""
    client, token = agent
    control_id = electronic_control(client, token, demo_code(demo_world, "06-nuit"))
    step3 = fill_bulletin(client, token, control_id)
    key = re.search(r'name="cle_emission" value="([^"]+)"', client.get(step3).text)
    assert key, "the last step carries no issue key"
    sent = {**STEP3, "csrf": token, "cle_emission": key[1]}
    first, second = client.post(step3, data=sent), client.post(step3, data=sent)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    engine = app.state.context.engine
    assert len(for_control(engine, control_id)) == 1
