"""GET /controles/{id}/c1b: the verified record as driver card files, for whoever may see
the control; refused, in French, for a control without a verified LIC code."""

from __future__ import annotations

import html
import io
import re
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from control.exports.c1b.signing import c1b_key
from control.settings import Settings
from control.storage.audit import entries
from control.storage.schema import controls
from control.storage.users import Role, add_user
from tests.exports import c1b_reader as reader
from tests.web.conftest import csrf_of, demo_code
from tests.web.test_bulletins import electronic_control, paper_control
from tests.web.test_verdict_decisions import code_made


def _files(response_content: bytes, disposition: str) -> dict[str, bytes]:
    name = re.search(r'filename="([^"]+)"', disposition)
    assert name
    if name[1].endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(response_content)) as archive:
            return {n: archive.read(n) for n in archive.namelist()}
    return {name[1]: response_content}


def test_an_amended_record_gives_the_driver_and_employer_files_in_a_zip(
    agent: tuple[TestClient, str], demo_world: Path, settings: Settings, app: FastAPI
) -> None:
    client, token = agent
    control_id = electronic_control(client, token, demo_code(demo_world, "08-modifie-employeur"))
    page = html.unescape(client.get(f"/controles/{control_id}").text)
    assert f'href="/controles/{control_id}/c1b"' in page
    assert "pas certifiées par l'ERCA" in page
    # what the agent decided and the days come first, on a phone too; the exports after
    order = ["<h2>Bulletin", "<h2>Infractions", "28 jours présentés", "<h2>Fichiers C1B"]
    assert [page.count(heading) for heading in order] == [1, 1, 1, 1]
    assert [page.index(heading) for heading in order] == sorted(page.index(h) for h in order)
    response = client.get(f"/controles/{control_id}/c1b")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    disposition = response.headers["content-disposition"]
    assert re.fullmatch(rf'attachment; filename="RO_LIC[A-Z0-9]+_{control_id}\.zip"', disposition)
    files = _files(response.content, response.headers["content-disposition"])
    names = sorted(files)
    assert len(names) == 2
    assert names[0].endswith(f"_{control_id}_EMPLOYEUR.C1B")
    assert names[1].endswith(f"_{control_id}_SALARIE.C1B")
    assert names[0].startswith("RO_LIC")
    public = c1b_key(settings.data_dir).public_key()
    minutes = []
    for content in files.values():
        download = reader.parse(content)
        assert reader.bad_signatures(download, public) == []
        minutes.append({d.date: d.minutes for d in reader.days(download)})
    assert minutes[0] != minutes[1]
    audit = [e for e in entries(app.state.context.engine) if e.action == "export-c1b"]
    assert [e.target for e in audit] == [f"contrôle {control_id} (2 fichier(s))"]


def test_a_record_without_amendment_gives_one_file(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    control_id = electronic_control(client, token, demo_code(demo_world, "01-conforme"))
    response = client.get(f"/controles/{control_id}/c1b")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    (name,) = _files(response.content, response.headers["content-disposition"])
    assert re.fullmatch(rf"RO_LIC[A-Z0-9]+_{control_id}\.C1B", name)
    assert reader.days(reader.parse(response.content))


def test_a_paper_control_is_refused_in_french(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    assert f"/controles/{control_id}/c1b" not in client.get(f"/controles/{control_id}").text
    response = client.get(f"/controles/{control_id}/c1b")
    assert response.status_code == 409
    assert "Pas de fichier C1B pour ce contrôle" in html.unescape(response.text)


def test_a_revoked_key_code_is_refused(agent: tuple[TestClient, str], demo_world: Path) -> None:
    client, token = agent
    control_id = electronic_control(client, token, demo_code(demo_world, "12-cle-revoquee"))
    assert client.get(f"/controles/{control_id}/c1b").status_code == 409


def test_an_expired_code_still_gives_its_files(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    """Made three days ago, valid one day: genuine but stale; its 28 days are the issuer's."""
    client, token = agent
    issued = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=3)
    code, _ = code_made(demo_world, issued, timedelta(days=1))
    control_id = electronic_control(client, token, code)
    response = client.get(f"/controles/{control_id}/c1b")
    assert response.status_code == 200
    (content,) = _files(response.content, response.headers["content-disposition"]).values()
    assert reader.days(reader.parse(content))


def test_another_units_control_is_not_found(
    agent: tuple[TestClient, str], demo_world: Path, app: FastAPI
) -> None:
    client, token = agent
    control_id = electronic_control(client, token, demo_code(demo_world, "01-conforme"))
    add_user(app.state.context.engine, "autre", "Autre Unité", Role.AGENT, "autre-password-1")
    other = TestClient(app, follow_redirects=False)
    other.post(
        "/connexion",
        data={"login": "autre", "password": "autre-password-1", "csrf": csrf_of(other)},
    )
    assert other.get(f"/controles/{control_id}").status_code == 404
    assert other.get(f"/controles/{control_id}/c1b").status_code == 404
    assert other.get("/controles/999999/c1b").status_code == 404
    assert other.get("/controles/abc/c1b").status_code in (404, 422)


def test_an_unreadable_stored_record_is_refused_not_a_crash(
    agent: tuple[TestClient, str], demo_world: Path, app: FastAPI
) -> None:
    client, token = agent
    control_id = electronic_control(client, token, demo_code(demo_world, "01-conforme"))
    with app.state.context.engine.begin() as connection:
        connection.execute(
            update(controls).where(controls.c.id == control_id).values(record={"days": "x"})
        )
    response = client.get(f"/controles/{control_id}/c1b")
    assert response.status_code == 409
    assert "illisible" in html.unescape(response.text)
