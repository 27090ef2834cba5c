"""GRECO exports over HTTP: one control's XML, a search's zip, for whoever may see them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import Engine

import control.services.greco as greco_service
from control.settings import Settings
from control.storage.audit import entries
from control.storage.controls import get_control
from control.storage.users import (
    Identity,
    Role,
    add_user,
    list_users,
    set_identity,
    set_region,
)
from tests.web.conftest import csrf_of, demo_code, sign_in, verdict_choices
from tests.web.test_controls import PLACE
from web.app import create_app

AGENT = Identity(given_name="Élodie", family_name="Martin", matricule="RIO-4242")


def _identify(engine: Engine, login: str = "agent", identity: Identity = AGENT) -> None:
    user = next(u for u in list_users(engine) if u.login == login)
    set_identity(engine, user.id, identity)


def recorded(client: TestClient, demo_world: Path, stem: str, plate: str) -> int:
    """An electronic control of the agent's, at a place (GRECO requires one)."""
    token = sign_in(client, "agent")
    code = demo_code(demo_world, stem)
    data = {**PLACE, "plate": plate, "kind": "electronic", "code": code, "csrf": token,
            **verdict_choices(client, token, code)}  # fmt: skip
    return _sent(client, data)


def _paper(client: TestClient) -> int:
    return _sent(client, {**PLACE, "kind": "paper", "csrf": sign_in(client, "agent")})


def _sent(client: TestClient, data: dict[str, object]) -> int:
    location = client.post("/controles", data=data).headers["location"]
    client.post("/deconnexion", data={"csrf": csrf_of(client, "/scan")})
    return int(location.rsplit("/", 1)[1])


def _content(root: etree._Element, path: str) -> str | None:
    return root.findtext(f"{path}/content")


def test_a_control_downloads_as_greco_xml_and_the_export_is_logged(
    client: TestClient, demo_world: Path, engine: Engine
) -> None:
    control_id = recorded(client, demo_world, "06-nuit", "AB-123-CD")
    _identify(engine)
    sign_in(client, "agent")
    page = client.get(f"/controles/{control_id}").text
    assert f'href="/controles/{control_id}/greco.xml"' in page
    answer = client.get(f"/controles/{control_id}/greco.xml")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/xml")
    stored = get_control(engine, control_id)
    assert stored is not None
    assert answer.headers["content-disposition"] == (
        f'attachment; filename="R69EM{stored.occurred_at:%Y%m%d}1040AB-123-CD.xml"'
    )
    root = etree.fromstring(answer.content)
    assert _content(root, "Controle/controleur_Identification") == "RIO-4242"
    assert _content(root, "Controle/controleur_Nom") == "MARTIN"
    assert _content(root, "Controle/lieuCommune_Intitule") == "Vénissieux"
    assert _content(root, "Entreprise/numeroSIREN") == stored.employer_siren
    assert _content(root, "Conducteur/nom") == stored.record["driver"]["family_name"]  # type: ignore[index]
    retained = [f.natinf for f in stored.findings if f.retained]
    assert retained  # the night-work demo has findings the page ticks
    assert [_content(i, "nATINF") for i in root.findall("Infraction")] == retained
    logged = [e for e in entries(engine) if e.action == "export-greco"]
    assert [(e.login, e.target) for e in logged] == [("agent", f"contrôle {control_id}")]


def test_a_controller_without_rio_gets_a_422_saying_what_is_missing(
    client: TestClient, demo_world: Path, engine: Engine
) -> None:
    control_id = recorded(client, demo_world, "06-nuit", "AB-123-CD")
    sign_in(client, "agent")
    answer = client.get(f"/controles/{control_id}/greco.xml")
    assert answer.status_code == 422
    assert "Export GRECO impossible : il manque le RIO / matricule du contrôleur" in (
        answer.text.replace("&#39;", "'")
    )
    assert not [e for e in entries(engine) if e.action == "export-greco"]
    assert f'href="/controles/{control_id}">Revenir au contrôle</a>' in answer.text  # no dead end


def test_a_paper_control_is_refused_with_the_reason(client: TestClient, engine: Engine) -> None:
    control_id = _paper(client)
    _identify(engine)
    sign_in(client, "agent")
    assert "/greco.xml" not in client.get(f"/controles/{control_id}").text
    answer = client.get(f"/controles/{control_id}/greco.xml")
    assert answer.status_code == 422
    assert "seul un contrôle de LIC électronique" in answer.text


def test_another_unit_gets_404_an_inspector_gets_the_file(
    client: TestClient, demo_world: Path, engine: Engine
) -> None:
    control_id = recorded(client, demo_world, "06-nuit", "AB-123-CD")
    _identify(engine)
    add_user(engine, "ailleurs", "Agent Ailleurs", Role.AGENT, "another long password", "DREETS-38")
    token = csrf_of(client)
    client.post("/connexion", data={"login": "ailleurs", "password": "another long password",
                                    "csrf": token})  # fmt: skip
    assert client.get(f"/controles/{control_id}/greco.xml").status_code == 404
    assert client.get("/controles/999999/greco.xml").status_code == 404
    assert client.get("/controles/0/greco.xml").status_code == 422
    in_zip = client.get("/recherche/greco.zip")
    assert in_zip.status_code == 422  # nothing visible: nothing to export
    sign_in(client, "inspector")
    assert client.get(f"/controles/{control_id}/greco.xml").status_code == 200


@pytest.fixture
def regional(settings: Settings, app: FastAPI) -> TestClient:
    limited = create_app(settings.model_copy(update={"inspectors_by_region": True}))
    return TestClient(limited, follow_redirects=False)


def test_an_inspector_of_another_region_gets_404(
    regional: TestClient, demo_world: Path, engine: Engine
) -> None:
    control_id = recorded(regional, demo_world, "06-nuit", "AB-123-CD")  # in the Rhône
    _identify(engine)
    inspector = next(u for u in list_users(engine) if u.login == "inspector")
    set_region(engine, inspector.id, "11")  # Île-de-France
    sign_in(regional, "inspector")
    assert regional.get(f"/controles/{control_id}/greco.xml").status_code == 404
    assert regional.get("/recherche/greco.zip").status_code == 422
    set_region(engine, inspector.id, "84")  # Auvergne-Rhône-Alpes
    assert regional.get(f"/controles/{control_id}/greco.xml").status_code == 200


def test_the_search_zip_holds_one_xml_per_control_and_says_what_it_left_out(
    client: TestClient, demo_world: Path, engine: Engine
) -> None:
    night = recorded(client, demo_world, "06-nuit", "AB-123-CD")
    other = recorded(client, demo_world, "02-longue-distance", "EF-456-GH")
    paper = _paper(client)
    _identify(engine)
    sign_in(client, "inspector")
    page = client.get("/recherche").text
    assert 'href="/recherche/greco.zip?"' in page
    answer = client.get("/recherche/greco.zip", params={"departement": "69"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/zip"
    bundle = zipfile.ZipFile(io.BytesIO(answer.content))
    names = bundle.namelist()
    xml = sorted(n for n in names if n.endswith(".xml"))
    assert len(xml) == 2
    assert {n[-13:-4] for n in xml} == {"AB-123-CD", "EF-456-GH"}
    for name in xml:
        assert etree.fromstring(bundle.read(name)).tag == "ValueSpace"
    readme = bundle.read("LISEZMOI.txt").decode()
    assert f"contrôle n° {paper} : Export GRECO impossible" in readme
    assert "2 contrôle(s) exporté(s)" in readme
    logged = {e.target for e in entries(engine) if e.action == "export-greco"}
    assert logged == {f"contrôle {night} (lot)", f"contrôle {other} (lot)"}
    only = client.get("/recherche/greco.zip", params={"plaque": "ef-456-gh"})
    assert [
        n for n in zipfile.ZipFile(io.BytesIO(only.content)).namelist() if n != "LISEZMOI.txt"
    ] == [next(n for n in xml if "EF-456-GH" in n)]


def test_two_files_of_the_same_name_are_told_apart(
    client: TestClient, demo_world: Path, engine: Engine
) -> None:
    first = recorded(client, demo_world, "06-nuit", "AB-123-CD")
    second = recorded(client, demo_world, "02-longue-distance", "AB-123-CD")  # same minute
    _identify(engine)
    sign_in(client, "agent")
    bundle = zipfile.ZipFile(io.BytesIO(client.get("/recherche/greco.zip").content))
    xml = [n for n in bundle.namelist() if n.endswith(".xml")]
    assert len(xml) == len(set(xml)) == 2
    assert any(n.endswith((f"-{first}.xml", f"-{second}.xml")) for n in xml)


def test_beyond_the_limit_the_search_must_be_narrowed(
    client: TestClient, demo_world: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded(client, demo_world, "06-nuit", "AB-123-CD")
    recorded(client, demo_world, "02-longue-distance", "EF-456-GH")
    _identify(engine)
    monkeypatch.setattr(greco_service, "MAX_SELECTION", 1)
    sign_in(client, "inspector")
    answer = client.get("/recherche/greco.zip")
    assert answer.status_code == 422
    assert "limité à 1 contrôles à la fois" in answer.text
    assert "Affinez-la" in answer.text
    narrowed = client.get("/recherche/greco.zip", params={"q": "<b>nuit", "depuis": "2026-01-01"})
    assert narrowed.status_code == 422
    # back to the search with the same filters, escaped
    assert 'href="/recherche?q=%3Cb%3Enuit&amp;depuis=2026-01-01">Revenir à la recherche' in (
        narrowed.text
    )
    assert client.get("/recherche/greco.zip", params={"plaque": "EF-456-GH"}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"q": "<script>alert(1)</script>", "departement": "'; DROP TABLE controls; --"},
        {"du": "31/02/2026", "au": "9999-99-99", "page": "-1", "par": "999999999999"},
        {"natinf": "' OR 1=1 --", "type": "nimporte", "siren": "x" * 5000, "tri": "\x00"},
        {"plaque": "../../etc/passwd", "q": "é" * 300, "photos": "1", "bulletin": "1"},
    ],
)
def test_hostile_search_parameters_never_break_the_export(
    client: TestClient, demo_world: Path, engine: Engine, params: dict[str, str]
) -> None:
    recorded(client, demo_world, "06-nuit", "AB-123-CD")
    _identify(engine)
    sign_in(client, "inspector")
    answer = client.get("/recherche/greco.zip", params=params)
    assert answer.status_code in (200, 422)
    if answer.status_code == 422:
        assert "rien à exporter" in answer.text or "Affinez" in answer.text
    else:
        assert zipfile.ZipFile(io.BytesIO(answer.content)).testzip() is None
