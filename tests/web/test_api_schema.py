"""Schemathesis against the OpenAPI of /api/: whatever the schema allows, signed in as an
agent, the API never answers with a 5xx.

The cases come from schemathesis' Hypothesis strategies, run here under Hypothesis directly
(schemathesis' pytest plugin does not work with this pytest version).
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from tests.web.conftest import sign_in

OPERATIONS = [
    ("POST", "/api/decode"),
    ("POST", "/api/verify"),
    ("GET", "/api/controls"),
    ("POST", "/api/controls"),
    ("GET", "/api/controls/{control_id}"),
    ("POST", "/api/controls/{control_id}/bulletin"),
]


@pytest.fixture
def api_schema(app: FastAPI) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex="^/api/")


@pytest.fixture
def agent_headers(app: FastAPI) -> dict[str, str]:
    client = TestClient(app, follow_redirects=False)
    token = sign_in(client, "agent")
    return {"Cookie": f"lic_session={client.cookies['lic_session']}", "X-CSRF-Token": token}


def test_every_api_operation_is_fuzzed(api_schema: schemathesis.BaseSchema) -> None:
    found = {(r.ok().method.upper(), r.ok().path) for r in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_the_api_never_answers_a_server_error(
    api_schema: schemathesis.BaseSchema, agent_headers: dict[str, str], method: str, path: str
) -> None:
    operation = api_schema[path][method]

    @settings(
        max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy())
    def call(case: schemathesis.Case) -> None:
        response = case.call(headers=agent_headers)
        assert response.status_code < 500, response.text

    call()
