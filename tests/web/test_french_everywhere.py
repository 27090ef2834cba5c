"""What a person reads is French: no verdict, sector, rule or action left as a machine value."""

from __future__ import annotations

import html
from pathlib import Path

from fastapi.testclient import TestClient

from tests.web.conftest import demo_code, verdict_choices

PLACE = {"occurred_at": "2026-11-25T10:40", "departement": "69", "commune": "Vénissieux"}
MACHINE_WORDS = ("valid", "revoked-key", "goods-long-distance", "daily-rest", "weekly-max", "both")


def test_a_recorded_control_says_its_verdict_in_french(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    code = demo_code(demo_world, "12-cle-revoquee")
    data = {**PLACE, "kind": "electronic", "code": code, "csrf": token}
    location = client.post("/controles", data=data | verdict_choices(client, token, code))
    page = html.unescape(client.get(location.headers["location"]).text)
    assert "Verdict du code</dt><dd>Clé de signature révoquée" in page
    assert "revoked-key" not in page


def test_the_demo_page_names_sectors_and_breaches_in_french(
    agent: tuple[TestClient, str],
) -> None:
    client, _ = agent
    page = html.unescape(client.get("/demo").text)
    assert "marchandises, longue distance" in page
    assert "NATINF 11292" in page
    assert "verdict attendu : Code authentique" in page
    visible = page.split("<main", 1)[1]
    for word in MACHINE_WORDS:
        assert f">{word}<" not in visible
        assert f" {word}\n" not in visible
        assert f": {word}" not in visible
