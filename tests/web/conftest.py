"""A real app on a real database (SQLite and PostgreSQL), the demo world, real accounts."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from control.settings import Settings
from control.storage.users import Role, add_user
from control.verify import trustlist, verify
from control.verify.keys import load_public
from control.verify.verdicts import Verification
from tests.conftest import seed_pdf_chain
from web.app import create_app

PASSWORDS = {
    "agent": "agent-password-1",
    "inspector": "inspector-pass-1",
    "admin": "admin-password-1",
}


@pytest.fixture(scope="session")
def manifest(demo_world: Path) -> list[dict[str, object]]:
    return json.loads((demo_world / "manifest.json").read_text())  # type: ignore[no-any-return]


def demo_code(world: Path, stem: str) -> str:
    return (world / "codes" / f"{stem}.txt").read_text().strip()


def demo_verified(world: Path, stem: str) -> Verification:
    """A demo code as the server reads it now, under the demo world's trust list."""
    trust = trustlist.loads(
        (world / "trust-list.json").read_text(), load_public(world / "authority" / "root.jwk.pub")
    )
    return verify(demo_code(world, stem), trust, datetime.now(UTC))


@pytest.fixture
def settings(
    tmp_path: Path, database_url: str, engine: Engine, demo_world: Path, pdf_signing_dir: Path
) -> Settings:
    """`engine` empties the database first; the app opens its own connection to it."""
    seed_pdf_chain(pdf_signing_dir, tmp_path)
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        secret_key="test-secret-key-not-for-production",
        trust_list=demo_world / "trust-list.json",
        root_key=demo_world / "authority" / "root.jwk.pub",
        demo_dir=demo_world,
        cookie_secure=False,
        max_upload_bytes=2_000_000,
    )


@pytest.fixture
def app(settings: Settings, engine: Engine) -> Iterator[FastAPI]:
    for role in Role:
        add_user(engine, role.value, f"{role.value.title()} Test", role, PASSWORDS[role.value])
    application = create_app(settings)
    yield application
    application.state.context.close()


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app, follow_redirects=False)


def csrf_of(client: TestClient, path: str = "/connexion") -> str:
    return csrf_in(client.get(path).text, path)


def csrf_in(page: str, path: str) -> str:
    """The CSRF token of a page's form, whoever fetched the page (test client or browser)."""
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def sign_in(client: TestClient, role: str) -> str:
    """Sign in as the test user of `role`; returns the session's CSRF token."""
    token = csrf_of(client)
    response = client.post(
        "/connexion", data={"login": role, "password": PASSWORDS[role], "csrf": token}
    )
    assert response.status_code == 303, response.text
    return csrf_of(client, "/scan" if role in ("agent", "admin") else "/controles")


@pytest.fixture
def agent(client: TestClient) -> tuple[TestClient, str]:
    return client, sign_in(client, "agent")


def verdict_choices(client: TestClient, token: str, code: str) -> dict[str, list[str]]:
    """The decisions the verdict page's form sends untouched: every finding it shows
    (`decided`) and the boxes it ticks (`retained`), as a browser would post them."""
    page = client.post("/verifier", data={"code": code, "csrf": token}).text
    form = page[page.index('action="/controles"') :]
    return {
        "decided": re.findall(r'name="decided" value="(\d+)"', form),
        "retained": ticked_boxes(form),
    }


def ticked_boxes(page: str) -> list[str]:
    """The values of the "retained" boxes a page ticks, whatever the order of attributes."""
    boxes = re.findall(r'<input[^>]*\bname="retained"[^>]*>', page)
    return [re.findall(r'value="(\d+)"', box)[0] for box in boxes if re.search(r"\bchecked\b", box)]
