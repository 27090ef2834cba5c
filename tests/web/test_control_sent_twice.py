"""A control form sent twice records one control: the double tap on a slow network, the tap
again after an answer that never came. Each rendering of the form carries its own key; the
same key with other choices is refused in French and nothing more is stored."""

from __future__ import annotations

import html
import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from control.services.recording import IDEMPOTENCY_KEY
from control.storage.users import Role, add_user
from tests.at_once import at_once
from tests.web.conftest import PASSWORDS, csrf_of, demo_code, ticked_boxes

PLACE = {"occurred_at": "2026-11-25T10:40", "departement": "69", "commune": "Vénissieux"}


def form_key(page: str) -> str:
    """The key the control form of a page carries."""
    form = page[page.index('action="/controles"') :]
    found = re.search(r'name="cle" value="([^"]*)"', form)
    assert found is not None, "the control form carries no key"
    return found.group(1)


def electronic_form(client: TestClient, token: str, code: str) -> dict[str, object]:
    """The verdict page's control form as a browser posts it untouched, its key included."""
    page = client.post("/verifier", data={"code": code, "csrf": token}).text
    form = page[page.index('action="/controles"') :]
    decided = re.findall(r'name="decided" value="(\d+)"', form)
    sent = {**PLACE, "kind": "electronic", "code": code, "csrf": token, "cle": form_key(page)}
    return sent | {"decided": decided, "retained": ticked_boxes(form)}


def test_each_rendering_of_a_control_form_has_its_own_key(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    code = demo_code(demo_world, "02-longue-distance")
    pages = [client.post("/verifier", data={"code": code, "csrf": token}).text for _ in range(2)]
    pages.append(client.get("/controles/nouveau?type=paper").text)
    pages.append(client.get("/controles/nouveau?type=none").text)
    keys = [form_key(page) for page in pages]
    assert len(set(keys)) == len(keys)
    assert all(IDEMPOTENCY_KEY.match(key) for key in keys)


def test_an_electronic_control_sent_twice_is_recorded_once(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    data = electronic_form(client, token, demo_code(demo_world, "02-longue-distance"))
    first = client.post("/controles", data=data, follow_redirects=False)
    second = client.post("/controles", data=data, follow_redirects=False)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert len(client.get("/api/controls").json()) == 1


def test_the_same_form_sent_again_with_other_choices_is_refused_and_the_first_kept(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    data = electronic_form(client, token, demo_code(demo_world, "02-longue-distance"))
    first = client.post("/controles", data=data, follow_redirects=False)
    changed = {**data, "retained": [], "notes": "Finalement rien de retenu"}
    again = client.post("/controles", data=changed, follow_redirects=False)
    assert again.status_code == 409
    page = html.unescape(again.text)
    number = first.headers["location"].rsplit("/", 1)[1]
    assert f"déjà été enregistré comme contrôle n° {number}, avec d'autres choix" in page
    assert f'href="/controles/{number}"' in page
    stored = client.get("/api/controls").json()
    assert len(stored) == 1
    assert stored[0]["notes"] != "Finalement rien de retenu"
    assert any(f["retained"] for f in stored[0]["findings"])


def test_a_form_error_keeps_the_key_and_the_fix_records_one_control(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    data = electronic_form(client, token, demo_code(demo_world, "02-longue-distance"))
    refused = client.post("/controles", data={**data, "manual_natinf": "abc"})
    assert refused.status_code == 422
    assert form_key(refused.text) == data["cle"]  # nothing was recorded under it
    for _ in range(2):
        assert client.post("/controles", data=data, follow_redirects=False).status_code == 303
    assert len(client.get("/api/controls").json()) == 1


def test_a_paper_control_sent_twice_is_recorded_once(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    key = form_key(client.get("/controles/nouveau?type=paper").text)
    data = {**PLACE, "kind": "paper", "csrf": token, "cle": key, "driver_name": "Conducteur Test"}
    answers = [client.post("/controles", data=data, follow_redirects=False) for _ in range(3)]
    assert {a.status_code for a in answers} == {303}
    assert len({a.headers["location"] for a in answers}) == 1
    assert len(client.get("/api/controls").json()) == 1


def test_a_key_no_page_would_make_is_refused_in_french(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    data = electronic_form(client, token, demo_code(demo_world, "01-conforme"))
    for hostile in ["court", "x" * 65, "clé-accentuée", "abcdefgh\n", "../../etc/passwd"]:
        response = client.post("/controles", data={**data, "cle": hostile})
        assert response.status_code == 422
        assert "Formulaire altéré" in html.unescape(response.text)
    assert client.get("/api/controls").json() == []


def test_two_agents_keys_never_meet(
    app: FastAPI, agent: tuple[TestClient, str], demo_world: Path
) -> None:
    """A key is the agent's own: another agent sending the same key records their control."""
    client, token = agent
    data = electronic_form(client, token, demo_code(demo_world, "01-conforme"))
    mine = client.post("/controles", data=data, follow_redirects=False)
    add_user(app.state.context.engine, "agent2", "Agent Deux", Role.AGENT, PASSWORDS["agent"])
    other = TestClient(app, follow_redirects=False)
    other_token = csrf_of(other)
    signed_in = other.post(
        "/connexion", data={"login": "agent2", "password": PASSWORDS["agent"], "csrf": other_token}
    )
    assert signed_in.status_code == 303
    theirs = {**data, "csrf": csrf_of(other, "/scan")}
    answer = other.post("/controles", data=theirs, follow_redirects=False)
    assert mine.status_code == answer.status_code == 303
    assert mine.headers["location"] != answer.headers["location"]


def test_twenty_sends_of_one_form_at_once_record_one_control(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    """The double tap on a slow network, twenty times over and truly at once (each request
    on its own event loop): the unique (agent, key) index decides, every send lands on the
    one control, none fails."""
    client, token = agent
    data = electronic_form(client, token, demo_code(demo_world, "02-longue-distance"))
    answers, errors = at_once(
        lambda: client.post("/controles", data=data, follow_redirects=False), threads=20
    )
    assert errors == []
    assert [a.status_code for a in answers] == [303] * 20
    assert len({a.headers["location"] for a in answers}) == 1
    assert len(client.get("/api/controls").json()) == 1


def test_twenty_sends_at_once_with_other_choices_keep_one_control_and_refuse_in_french(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    """Sends of one key with different notes at once: one is recorded, every other is the
    French 409 naming that control."""
    client, token = agent
    data = electronic_form(client, token, demo_code(demo_world, "01-conforme"))
    sent = iter(range(20))
    answers, errors = at_once(
        lambda: client.post(
            "/controles", data={**data, "notes": f"envoi {next(sent)}"}, follow_redirects=False
        ),
        threads=20,
    )
    assert errors == []
    assert sorted(a.status_code for a in answers) == [303] + [409] * 19
    number = next(a for a in answers if a.status_code == 303).headers["location"].split("/")[-1]
    refused = [html.unescape(a.text) for a in answers if a.status_code == 409]
    assert all(f"contrôle n° {number}, avec d'autres choix" in page for page in refused)
    assert len(client.get("/api/controls").json()) == 1
