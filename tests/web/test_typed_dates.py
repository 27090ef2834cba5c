"""Dates and times as a French agent types them on the control form and the bulletin's first
step ("25/11/2026 10h40"), whatever the browser's language; ISO still read (API, outbox)."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, time

from fastapi import FastAPI
from fastapi.testclient import TestClient

from control.rules.timeline import PARIS
from control.storage.bulletins import get_bulletin
from tests.web.test_bulletins import STEP2, STEP3, fields
from tests.web.test_controls import PLACE


def recorded(client: TestClient, token: str, occurred_at: str) -> int:
    data = {**PLACE, "kind": "paper", "occurred_at": occurred_at, "csrf": token}
    response = client.post("/controles", data=data)
    assert response.status_code == 303, html.unescape(response.text)
    return int(response.headers["location"].rsplit("/", 1)[1])


def stored_moment(client: TestClient, control_id: int) -> datetime:
    return datetime.fromisoformat(client.get(f"/api/controls/{control_id}").json()["occurred_at"])


def message_under(page: str, name: str) -> str:
    found = re.search(
        rf'id="{name}-messages"[^>]*>\s*<p class="fr-message fr-message--error">([^<]*)<', page
    )
    return html.unescape(found.group(1)) if found else ""


def test_the_new_control_form_offers_the_moment_in_french(agent: tuple[TestClient, str]) -> None:
    client, _ = agent
    page = client.get("/controles/nouveau").text
    assert 'type="datetime-local"' not in page
    field = re.search(r'<input[^>]*name="occurred_at"[^>]*>', page)
    assert field is not None
    assert re.search(r'value="\d{2}/\d{2}/\d{4} \d{2}:\d{2}"', field.group(0))


def test_a_moment_typed_in_french_is_stored_as_paris_time(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = recorded(client, token, "25/11/2026 10h40")
    assert stored_moment(client, control_id) == datetime(2026, 11, 25, 10, 40, tzinfo=PARIS)


def test_an_iso_moment_is_still_read(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = recorded(client, token, "2026-11-25T10:40")
    assert stored_moment(client, control_id) == datetime(2026, 11, 25, 10, 40, tzinfo=PARIS)


def test_an_impossible_moment_is_said_in_french_under_its_field(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    data = {**PLACE, "kind": "paper", "occurred_at": "31/02/2026 10:40", "csrf": token}
    response = client.post("/controles", data=data)
    assert response.status_code == 422
    expected = "Date et heure invalides. Format attendu : JJ/MM/AAAA HH:MM."
    assert message_under(response.text, "occurred_at") == expected
    assert 'value="31/02/2026 10:40"' in response.text  # what was typed stays, to correct


def test_the_bulletin_asks_dates_and_times_in_french(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = recorded(client, token, "25/11/2026 10:40")
    step1 = fields(client.get(f"/controles/{control_id}/bulletin").text)
    assert step1["control_date"] == "25/11/2026"
    assert step1["start_time"] == "10:40"
    page = client.get(f"/controles/{control_id}/bulletin").text
    assert 'type="date"' not in page
    assert 'type="time"' not in page


def test_a_bulletin_typed_in_french_carries_its_day_and_times(
    agent: tuple[TestClient, str], app: FastAPI
) -> None:
    client, token = agent
    control_id = recorded(client, token, "25/11/2026 10:40")
    base = f"/controles/{control_id}/bulletin"
    step1 = fields(client.get(base).text) | {"family_name": "ESSAI"}
    typed = {"control_date": "24/11/2026", "start_time": "9h05", "end_time": "9h50",
             "birth_date": "3/4/1980"}  # fmt: skip
    assert client.post(f"{base}?etape=1", data={**step1, **typed, "csrf": token}).status_code == 303
    step2 = {**STEP2, "siren": "111111118", "company_name": "Transports Essai", "csrf": token}
    assert client.post(f"{base}?etape=2", data=step2).status_code == 303
    done = client.post(f"{base}?etape=3", data={**STEP3, "csrf": token})
    assert done.status_code == 303, html.unescape(done.text)
    stored = get_bulletin(app.state.context.engine, int(done.headers["location"].rsplit("/", 1)[1]))
    assert stored is not None
    bulletin = stored.bulletin
    assert (bulletin.control_date, bulletin.start_time, bulletin.end_time) == (
        date(2026, 11, 24),
        time(9, 5),
        time(9, 50),
    )
    assert bulletin.driver.birth_date == date(1980, 4, 3)


def test_a_wrong_day_on_the_bulletin_is_said_in_french(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = recorded(client, token, "25/11/2026 10:40")
    base = f"/controles/{control_id}/bulletin"
    step1 = fields(client.get(base).text)
    wrong = {"control_date": "31/11/2026", "end_time": "25h00", "birth_date": "1980-13-01"}
    response = client.post(f"{base}?etape=1", data={**step1, **wrong, "csrf": token})
    assert response.status_code == 422
    assert message_under(response.text, "control_date") == (
        "Date invalide. Format attendu : JJ/MM/AAAA."
    )
    assert message_under(response.text, "end_time").startswith("Heure invalide. Format attendu")
    assert message_under(response.text, "birth_date").startswith("Date de naissance invalide.")
    assert fields(client.get(base).text)["control_date"] == "31/11/2026"  # kept as typed
