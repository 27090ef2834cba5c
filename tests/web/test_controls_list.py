"""The Contrôles list is paged and says how many controls there are; so is the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from control.storage.controls import ControlKind, NewControl, save_control
from control.storage.users import list_users


def test_past_the_first_page_the_list_says_so_and_goes_on(
    agent: tuple[TestClient, str], engine: Engine
) -> None:
    client, _ = agent
    me = next(u for u in list_users(engine) if u.login == "agent")
    start = datetime(2026, 11, 1, 8, tzinfo=UTC)
    for n in range(120):
        when = start + timedelta(hours=n)
        save_control(engine, NewControl(me.id, ControlKind.PAPER, when, "69", f"Commune {n}"))
    first = client.get("/controles").text
    assert "120 contrôles — page 1 sur 3" in first
    assert "Commune 119" in first  # newest first
    assert 'href="/controles?page=2"' in first
    last = client.get("/controles?page=3").text
    assert "Commune 0<" in last or "Commune 0 " in last
    assert "Page suivante" not in last
    api = client.get("/api/controls", params={"per_page": 50})
    assert api.headers["X-Total-Count"] == "120"
    assert len(api.json()) == 50
    assert 'rel="next"' in api.headers["Link"]
