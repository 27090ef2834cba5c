"""Evidence: only a control's agent (or an admin) edits its photos and sheets, a photo annexed
to an issued bulletin is kept, a deletion is soft and audited; the audit log covers bulletin
views, the driver's link, list views and exports, naming no person."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from control.storage.audit import AuditEntry, entries
from control.storage.schema import page_photos
from control.storage.users import Role, add_user
from tests.web.conftest import csrf_of, demo_code, sign_in
from tests.web.test_bulletins import (
    STEP3,
    electronic_control,
    fill_bulletin,
    issue_bulletin,
    page_photo_bytes,
    paper_control,
)
from tests.web.test_sheets import post_sheet

UNIT = "DREETS-69"
PASSWORD = "a long enough password 1"


def signed_in(app: FastAPI, login: str) -> tuple[TestClient, str]:
    client = TestClient(app, follow_redirects=False)
    token = csrf_of(client)
    answer = client.post("/connexion", data={"login": login, "password": PASSWORD, "csrf": token})
    assert answer.status_code == 303, answer.text
    return client, csrf_of(client, "/scan")


@pytest.fixture
def colleagues(app: FastAPI, engine: Engine) -> tuple[tuple[TestClient, str], ...]:
    """Two agents of one unit: each sees the other's controls."""
    for login in ("a.martin", "b.bernard"):
        add_user(engine, login, login.title(), Role.AGENT, PASSWORD, unit=UNIT)
    return signed_in(app, "a.martin"), signed_in(app, "b.bernard")


def add_photos(client: TestClient, token: str, control_id: int, count: int = 1) -> list[str]:
    files = [("photos", (f"p{n}.jpg", page_photo_bytes(n), "image/jpeg")) for n in range(count)]
    client.post(f"/controles/{control_id}/photos", data={"csrf": token}, files=files)
    page = client.get(f"/controles/{control_id}").text
    return list(dict.fromkeys(re.findall(r"/photos/(\d+)\.jpg", page)))


def audited(engine: Engine, action: str) -> list[AuditEntry]:
    return [entry for entry in entries(engine) if entry.action == action]


def test_a_colleague_sees_the_pages_but_cannot_change_them(
    colleagues: tuple[tuple[TestClient, str], ...],
) -> None:
    (owner, owner_token), (colleague, token) = colleagues
    control_id = paper_control(owner, owner_token)
    [photo] = add_photos(owner, owner_token, control_id)
    assert post_sheet(owner, owner_token, control_id) == 303

    page = colleague.get(f"/controles/{control_id}").text
    assert f"/photos/{photo}.jpg" in page  # seen
    assert "Supprimer</button>" not in page
    assert "Transcrire une feuille" not in page
    base = f"/controles/{control_id}"
    refused = [
        colleague.post(f"{base}/photos/{photo}/supprimer", data={"csrf": token}),
        colleague.post(f"{base}/photos/ordre", data={"csrf": token, "move": f"{photo}:down"}),
        colleague.post(
            f"{base}/photos",
            data={"csrf": token},
            files=[("photos", ("p.jpg", page_photo_bytes(7), "image/jpeg"))],
        ),
        colleague.get(f"{base}/feuilles/nouvelle"),
    ]
    for answer in refused:
        assert answer.status_code == 403
        assert "Seul l'agent qui a fait ce contrôle" in html.unescape(answer.text)
    assert post_sheet(colleague, token, control_id, day="2026-11-23") == 403
    assert add_photos(owner, owner_token, control_id, 0) == [photo]


def test_an_admin_may_delete_an_agents_photo(
    agent: tuple[TestClient, str], app: FastAPI, engine: Engine
) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    [photo] = add_photos(client, token, control_id)
    admin = TestClient(app, follow_redirects=False)
    admin_token = sign_in(admin, "admin")
    answer = admin.post(
        f"/controles/{control_id}/photos/{photo}/supprimer", data={"csrf": admin_token}
    )
    assert answer.status_code == 303
    assert add_photos(client, token, control_id, 0) == []


def test_a_deleted_photo_is_hidden_its_files_kept_and_the_deletion_audited(
    agent: tuple[TestClient, str], engine: Engine
) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    first, second = add_photos(client, token, control_id, 2)
    answer = client.post(f"/controles/{control_id}/photos/{first}/supprimer", data={"csrf": token})
    assert answer.status_code == 303
    assert add_photos(client, token, control_id, 0) == [second]
    assert client.get(f"/controles/{control_id}/photos/{first}.jpg").status_code == 404
    with engine.connect() as connection:
        row = connection.execute(select(page_photos).where(page_photos.c.id == int(first))).one()
    assert row.deleted_at is not None
    assert row.deleted_by is not None
    assert Path(row.path).exists()  # kept until the retention purge
    assert Path(row.original_path).exists()
    [deletion] = audited(engine, "delete-photo")
    assert (deletion.login, deletion.target) == ("agent", f"contrôle {control_id} photo {first}")


def test_a_deleted_sheet_is_hidden_audited_and_its_day_may_be_transcribed_again(
    agent: tuple[TestClient, str], engine: Engine
) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    assert post_sheet(client, token, control_id) == 303
    sheet = re.search(
        rf"/controles/{control_id}/feuilles/(\d+)", client.get(f"/controles/{control_id}").text
    )
    assert sheet
    client.post(f"/controles/{control_id}/feuilles/{sheet[1]}/supprimer", data={"csrf": token})
    assert "mardi 24 novembre 2026" not in client.get(f"/controles/{control_id}").text
    assert client.get(f"/controles/{control_id}/feuilles/{sheet[1]}").status_code == 404
    [deletion] = audited(engine, "delete-sheet")
    assert deletion.target == f"contrôle {control_id} feuille {sheet[1]}"
    assert post_sheet(client, token, control_id) == 303  # the same day again


def test_a_photo_annexed_to_an_issued_bulletin_cannot_be_deleted(
    agent: tuple[TestClient, str], demo_world: Path, engine: Engine
) -> None:
    client, token = agent
    control_id = electronic_control(client, token, demo_code(demo_world, "06-nuit"))
    [annexed] = add_photos(client, token, control_id)
    step3 = fill_bulletin(client, token, control_id)
    done = client.post(step3, data={**STEP3, "with_photos": "on", "csrf": token})
    assert done.status_code == 303, done.text
    later = [p for p in add_photos(client, token, control_id, 1) if p != annexed]

    refused = client.post(
        f"/controles/{control_id}/photos/{annexed}/supprimer", data={"csrf": token}
    )
    assert refused.status_code == 409
    assert "annexée à un bulletin émis" in html.unescape(refused.text)
    assert annexed in add_photos(client, token, control_id, 0)
    assert audited(engine, "delete-photo") == []
    for photo in later:  # taken after the bulletin: not in its annex
        client.post(f"/controles/{control_id}/photos/{photo}/supprimer", data={"csrf": token})
    assert add_photos(client, token, control_id, 0) == [annexed]


def test_bulletin_views_and_the_drivers_download_are_audited(
    agent: tuple[TestClient, str], demo_world: Path, app: FastAPI, engine: Engine
) -> None:
    client, token = agent
    control_id = electronic_control(client, token, demo_code(demo_world, "06-nuit"))
    page = client.get(issue_bulletin(client, token, control_id)).text
    number = re.search(r"n° (\d{6}[^ <]*)", page)
    link = re.search(r"<code>http://testserver(/b/[^<]+)</code>", page)
    assert number
    assert link
    TestClient(app).get(link[1])
    [view] = audited(engine, "open-bulletin")
    assert (view.login, view.target) == ("agent", number[1])
    [download] = audited(engine, "driver-download")
    assert download.target == number[1]


def test_list_views_searches_and_exports_are_audited_without_the_typed_text(
    agent: tuple[TestClient, str], engine: Engine
) -> None:
    client, _ = agent
    client.get("/controles?page=1")
    client.get("/api/controls?page=1&per_page=20")
    client.get("/recherche?q=Dupont&departement=69")
    client.get("/recherche.csv?q=Dupont")
    client.get("/recherche.xlsx?q=Dupont")
    lists = [entry.target for entry in audited(engine, "list-controls")]
    assert sorted(lists) == ["page 1", "page 1 par 20 (api)"]
    [search] = audited(engine, "search")
    assert search.target == "page 1 texte dep 69"
    exports = sorted(entry.target for entry in audited(engine, "export"))
    assert exports == ["csv texte", "xlsx texte"]
    assert all("Dupont" not in entry.target for entry in entries(engine))
