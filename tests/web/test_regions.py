"""Where inspectors are limited to their région, a control elsewhere does not exist for them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine

from control.settings import Settings
from control.storage.users import list_users
from tests.web.conftest import sign_in
from tests.web.test_controls import PLACE
from web.app import create_app


@pytest.fixture
def regional(settings: Settings, app: FastAPI, engine: Engine) -> Iterator[TestClient]:
    """The same accounts, in an installation that limits inspectors to their région."""
    limited = create_app(settings.model_copy(update={"inspectors_by_region": True}))
    yield TestClient(limited, follow_redirects=False)
    limited.state.context.engine.dispose()


def _control_in(client: TestClient, departement: str) -> str:
    token = sign_in(client, "agent")
    data = {**PLACE, "departement": departement, "kind": "paper", "csrf": token}
    location = client.post("/controles", data=data).headers["location"]
    client.post("/deconnexion", data={"csrf": token})
    return str(location)


def _set_region(client: TestClient, region: str) -> None:
    token = sign_in(client, "admin")
    engine = client.app.state.context.engine  # type: ignore[attr-defined]
    inspector = next(u for u in list_users(engine) if u.login == "inspector")
    answer = client.post(
        f"/admin/utilisateurs/{inspector.id}/region", data={"region": region, "csrf": token}
    )
    assert answer.status_code == 303
    client.post("/deconnexion", data={"csrf": token})


def test_an_inspector_sees_the_controls_of_his_region_only(regional: TestClient) -> None:
    lyon, paris = _control_in(regional, "69"), _control_in(regional, "75")
    _set_region(regional, "84")
    sign_in(regional, "inspector")
    assert regional.get(lyon).status_code == 200
    assert regional.get(paris).status_code == 404
    assert paris not in regional.get("/recherche").text


def test_an_inspector_without_a_region_sees_no_control(regional: TestClient) -> None:
    lyon = _control_in(regional, "69")
    sign_in(regional, "inspector")
    assert regional.get(lyon).status_code == 404


def test_an_unknown_region_is_refused(regional: TestClient) -> None:
    token = sign_in(regional, "admin")
    engine = regional.app.state.context.engine  # type: ignore[attr-defined]
    inspector = next(u for u in list_users(engine) if u.login == "inspector")
    answer = regional.post(
        f"/admin/utilisateurs/{inspector.id}/region", data={"region": "99", "csrf": token}
    )
    assert answer.status_code == 422


@pytest.mark.parametrize("region", ["84", ""], ids=["auvergne-rhone-alpes", "sans-region"])
def test_the_lists_and_the_api_apply_the_region_as_the_detail_does(
    regional: TestClient, region: str
) -> None:
    lyon, paris = _control_in(regional, "69"), _control_in(regional, "75")
    if region:
        _set_region(regional, region)
    sign_in(regional, "inspector")
    listed = regional.get("/controles").text
    api = {f"/controles/{c['id']}" for c in regional.get("/api/controls").json()}
    searched = regional.get("/recherche").text
    exported = {
        f"/controles/{row[0]}"
        for row in csv.reader(io.StringIO(regional.get("/recherche.csv").text), delimiter=";")
    }
    sheet = load_workbook(io.BytesIO(regional.get("/recherche.xlsx").content)).active
    assert sheet is not None
    spreadsheet = {f"/controles/{row[0]}" for row in sheet.iter_rows(values_only=True)}
    for path in (lyon, paris):
        visible = regional.get(path).status_code == 200
        assert (f'href="{path}"' in listed) is visible
        assert (path in api) is visible
        assert (f'href="{path}"' in searched) is visible
        assert (path in exported) is visible
        assert (path in spreadsheet) is visible
    assert (lyon in api) is bool(region)
