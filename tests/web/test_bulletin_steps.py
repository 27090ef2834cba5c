"""The bulletin form as an agent fills it: going back keeps what was typed, the times are
a real span, the notice gives the check page's address, the check page keeps the menu."""

from __future__ import annotations

import html
import io
import re
from datetime import datetime

from fastapi.testclient import TestClient
from pypdf import PdfReader

from control.rules.timeline import PARIS
from control.services.bulletins import STEPS, BulletinFields, likely_end
from control.storage.bulletins import load_draft
from tests.web.test_bulletins import STEP2, fields, fill_bulletin, issue_bulletin, paper_control
from tests.web.test_paper_findings import paper_control_of


def test_going_back_a_step_keeps_what_was_typed_in_it(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    base = f"/controles/{control_id}/bulletin"
    step1 = fields(client.get(base).text) | {"family_name": "ESSAI"}
    client.post(f"{base}?etape=1", data={**step1, "csrf": token})
    typed = {**STEP2, "address": "12 quai des Essais", "csrf": token, "aller": "precedente"}
    back = client.post(f"{base}?etape=2", data=typed)
    assert back.status_code == 303
    assert back.headers["location"].endswith("etape=1")
    again = fields(client.get(f"{base}?etape=2").text)
    assert again["address"] == "12 quai des Essais"


def test_the_end_time_proposed_is_after_the_start() -> None:
    start = datetime(2026, 11, 25, 3, 54, tzinfo=PARIS)
    assert (
        likely_end(start, datetime(2026, 11, 25, 4, 40, tzinfo=PARIS)).strftime("%H:%M") == "04:40"
    )
    for begun in (start.replace(second=40), datetime(2026, 11, 25, 4, 10, tzinfo=PARIS)):
        # the bulletin begun as the control is recorded: the control is still going on
        assert likely_end(start, begun).strftime("%H:%M") == "04:24"
    assert (
        likely_end(start, datetime(2026, 11, 27, 9, 0, tzinfo=PARIS)).strftime("%H:%M") == "04:24"
    )
    late = datetime(2026, 11, 25, 23, 50, tzinfo=PARIS)
    assert likely_end(late, datetime(2026, 11, 26, 9, 0, tzinfo=PARIS)).strftime("%H:%M") == "23:59"


def test_the_step_1_times_are_not_the_same_minute(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = paper_control(client, token)  # recorded at 10:40 on 25/11/2026, days ago
    step1 = fields(client.get(f"/controles/{control_id}/bulletin").text)
    assert step1["start_time"] == "10:40"
    assert step1["end_time"] == "11:10"


def test_the_notice_gives_the_check_pages_address_not_a_tool(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    location = issue_bulletin(client, token, paper_control_of(client, token))
    pdf = client.get(location + "/pdf").content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(text.split())
    assert "http://testserver/verifier-bulletin" in flat
    assert "lic-control" not in flat


def test_the_check_page_keeps_the_menu_of_a_signed_in_agent(
    agent: tuple[TestClient, str],
) -> None:
    client, _ = agent
    page = html.unescape(client.get("/verifier-bulletin").text)
    assert 'href="/scan"' in page
    assert "Déconnexion" in page


def test_a_step_left_with_errors_is_shown_again_before_issuing(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    control_id = paper_control_of(client, token)
    base = f"/controles/{control_id}/bulletin"
    step1 = fields(client.get(base).text)
    client.post(f"{base}?etape=1", data={**step1, "csrf": token})
    wrong = {**STEP2, "siren": "123456789", "csrf": token, "aller": "precedente"}
    client.post(f"{base}?etape=2", data=wrong)  # saved as typed, errors and all
    issued = client.post(f"{base}?etape=3", data={"hand_over": "papier", "csrf": token})
    assert issued.status_code == 422
    page = html.unescape(issued.text)
    assert re.search(r"Entreprise, transport et véhicule\s*<span[^>]*>Étape 2 sur 3", page)
    assert "la clé de contrôle ne correspond pas" in page


def test_forged_finding_keys_are_not_kept_in_the_draft(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = paper_control_of(client, token)
    fill_bulletin(client, token, control_id)
    forged = ["qr-99", "<script>", "x" * 10_000]
    client.post(
        f"/controles/{control_id}/bulletin?etape=3",
        data={"kept": forged, "hand_over": "inconnu", "csrf": token},
    )
    engine = client.app.state.context.engine  # type: ignore[attr-defined]
    draft = load_draft(engine, control_id)
    assert draft is not None
    assert draft["kept"] == []  # a paper control without sheets has no finding to keep


def test_the_form_and_the_api_share_one_bounded_schema(agent: tuple[TestClient, str]) -> None:
    named = {name for _, names in STEPS.values() for name in names}
    assert named == set(BulletinFields.model_fields)
    client, token = agent
    control_id = paper_control_of(client, token)
    base = f"/controles/{control_id}/bulletin"
    step1 = fields(client.get(base).text) | {"place": "x" * 5_000}
    refused = client.post(f"{base}?etape=1", data={**step1, "csrf": token})
    assert refused.status_code == 422
    assert "Saisie trop longue pour ce champ." in html.unescape(refused.text)
    engine = client.app.state.context.engine  # type: ignore[attr-defined]
    assert "x" * 5_000 not in str(load_draft(engine, control_id))
