"""The verdict page and the agent's decisions, as the field review found them broken: a second
code typed by a scanner, a form error, an untrusted record, a code made days earlier."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from control.demo.records import Profile, make_record
from control.issue import issue_code
from control.record.model import Sector
from control.rules import analyze
from control.rules.timeline import build
from control.verify.keys import load_private
from tests.web.conftest import demo_code, ticked_boxes, verdict_choices

PLACE = {"occurred_at": "2026-11-25T10:40", "departement": "69", "commune": "Vénissieux"}


def stored(client: TestClient, response_location: str) -> dict[str, object]:
    control_id = response_location.rsplit("/", 1)[1]
    return client.get(f"/api/controls/{control_id}").json()  # type: ignore[no-any-return]


def test_a_scanner_code_typed_after_the_previous_one_is_the_one_checked(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    first, second = demo_code(demo_world, "01-conforme"), demo_code(demo_world, "06-nuit")
    page = html.unescape(
        client.post("/verifier", data={"code": first + second, "csrf": token}).text
    )
    assert "Code authentique" in page
    assert "illisible" not in page
    assert f'name="code" value="{second}"' in page  # the control records the code just read


def test_a_code_whose_base45_holds_the_prefix_is_still_read_whole(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    code = demo_code(demo_world, "01-conforme")
    page = html.unescape(client.post("/verifier", data={"code": "  " + code, "csrf": token}).text)
    assert "Code authentique" in page
    junk = "LIC1:" + "A" * 40
    page = html.unescape(client.post("/verifier", data={"code": code + junk, "csrf": token}).text)
    assert "Code illisible" in page  # the last code typed is damaged: said, not hidden


def test_a_finding_without_a_decision_is_refused_and_nothing_is_recorded(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    code = demo_code(demo_world, "02-longue-distance")  # four findings
    data = {**PLACE, "kind": "electronic", "code": code, "csrf": token, "retained": ["0"]}
    response = client.post("/controles", data=data)
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "3 sans décision" in page
    assert client.get("/api/controls").json() == []


def test_a_form_error_keeps_the_verdict_and_the_boxes_then_the_fix_records_them(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    code = demo_code(demo_world, "02-longue-distance")
    choices = verdict_choices(client, token, code)
    assert choices["decided"] == ["0", "1", "2", "3"]
    untick = [i for i in choices["retained"] if i != "1"]
    data = {**PLACE, "kind": "electronic", "code": code, "csrf": token, "manual_natinf": "abc"}
    data |= {"decided": choices["decided"], "retained": untick, "notes": "Contrôle A7"}
    refused = client.post("/controles", data=data)
    assert refused.status_code == 422
    page = html.unescape(refused.text)
    assert "Code authentique" in page
    assert "Infractions relevées (4)" in page
    assert "Code NATINF invalide : abc" in page
    assert "Vos choix sont conservés" in page
    ticked = ticked_boxes(page)
    assert untick  # three of the four findings: the check below can fail
    assert ticked == untick
    assert "Contrôle A7" in page
    assert 'value="Vénissieux"' in page
    again = {**dict(data), "manual_natinf": "23103", "retained": ticked}
    recorded = client.post("/controles", data=again)
    assert recorded.status_code == 303
    control = stored(client, recorded.headers["location"])
    decided = [f["retained"] for f in control["findings"]]  # type: ignore[attr-defined]
    assert decided == [str(i) in untick for i in range(4)]
    assert control["manual_natinf"] == ["23103"]


def test_the_api_refuses_a_control_that_leaves_a_finding_undecided(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    code = demo_code(demo_world, "02-longue-distance")
    count = len(verdict_choices(client, token, code)["decided"])
    assert count >= 3
    body = {**PLACE, "kind": "electronic", "code": code}
    headers = {"X-CSRF-Token": token}
    response = client.post("/api/controls", json={**body, "retained": [0]}, headers=headers)
    assert response.status_code == 422
    assert f"{count - 1} sans décision" in response.json()["fields"]["retained"]
    rest = list(range(1, count))
    both = client.post(
        "/api/controls", json={**body, "retained": [0], "discarded": [0, *rest]}, headers=headers
    )
    assert both.status_code == 422
    ok = client.post(
        "/api/controls", json={**body, "retained": [0], "discarded": rest}, headers=headers
    )
    assert ok.status_code == 201
    assert [f["retained"] for f in ok.json()["findings"]] == [True] + [False] * len(rest)


def test_a_revoked_key_shows_the_record_as_unreliable_without_findings(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    code = demo_code(demo_world, "12-cle-revoquee")
    page = html.unescape(client.post("/verifier", data={"code": code, "csrf": token}).text)
    assert "Clé de signature révoquée" in page
    assert "Relevé non fiable — à titre indicatif" in page
    assert "Infractions relevées" not in page
    assert "Aucune infraction aux temps de travail" not in page
    assert "QR code présenté non valable (clé de signature révoquée)" in page  # observation
    data = {**PLACE, "kind": "electronic", "code": code, "csrf": token}
    recorded = client.post("/controles", data=data)
    assert recorded.status_code == 303
    control = stored(client, recorded.headers["location"])
    assert control["verdict"] == "revoked-key"
    assert control["findings"] == []
    page = html.unescape(client.get(recorded.headers["location"]).text)
    assert "Relevé non fiable — à titre indicatif" in page
    assert "Les 28 jours présentés" not in page


def code_made(demo_world: Path, issued: datetime, valid: timedelta) -> tuple[str, object]:
    """A code of Mobilic's previous key (retired two days ago), valid `valid` from `issued`."""
    key = load_private(demo_world / "issuers" / "mobilic-2025.jwk")
    record = make_record(Profile("trois-jours", Sector.GOODS_REGIONAL), issued, seed=7)
    return issue_code(record, key, iat=issued, exp=issued + valid).text, record


def test_a_code_made_three_days_ago_is_drawn_and_totalled_as_of_its_making(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    issued = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=3)
    code, record = code_made(demo_world, issued, timedelta(days=4))
    page = html.unescape(client.post("/verifier", data={"code": code, "csrf": token}).text)
    assert "Code authentique" in page
    totals = day_totals(page)
    engine = {s.label.isoformat(): s.work // 60 for s in build(record, issued).days}  # type: ignore[arg-type]
    assert totals == {day: spoken(minutes) for day, minutes in engine.items() if minutes}
    assert all(int(t.split(" h")[0]) < 24 for t in totals.values() if " h" in t)
    analysis = analyze(record, issued)  # type: ignore[arg-type]
    assert f"Infractions relevées ({len(analysis.findings)})" in page


def day_totals(page: str) -> dict[str, str]:
    """Each day's total as the page shows it, by date."""
    rows = page.split('<li id="jour-')[1:]
    found = {row[:10]: re.search(r'class="total-jour">([^<]+) de travail', row) for row in rows}
    return {day: match.group(1) for day, match in found.items() if match}


def spoken(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def test_each_period_is_given_as_text_with_its_duration(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    code = demo_code(demo_world, "08-modifie-employeur")
    page = html.unescape(client.post("/verifier", data={"code": code, "csrf": token}).text)
    periods = re.findall(r'<ul class="periodes">\s*<li>([^<]+)</li>', page)
    assert periods
    assert re.fullmatch(
        r"\w[\w ]* \d\d:\d\d–(\d\d:\d\d|en cours) \((\d+ h( \d\d)?|\d+ min)\)", periods[0]
    )
    changes = re.findall(r"Modifié par l'employeur : ([^<]+)<", page)
    assert changes
    assert all("→" in c or "Version" in c for c in changes)
