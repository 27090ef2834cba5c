"""A paper LIC's findings go where a QR record's go: the control page, then the bulletin's
step 3 (proposed, for the agent to confirm), then the signed PDF."""

from __future__ import annotations

import html
import io
import re

from fastapi.testclient import TestClient
from pypdf import PdfReader

from tests.web.test_bulletins import PLACE, fill_bulletin
from tests.web.test_sheets import LONG, post_sheet


def paper_control_of(client: TestClient, token: str) -> int:
    data = {**PLACE, "kind": "paper", "csrf": token, "driver_name": "Camille Essai"}
    data |= {"employer_siren": "111111118", "employer_name": "Transports Essai"}
    location = client.post("/controles", data=data).headers["location"]
    return int(location.rsplit("/", 1)[1])


def infractions_card(page: str) -> str:
    """The control page's "Infractions" card."""
    return page[page.index("<h2>Infractions</h2>") :].split("</section>")[0]


def test_nothing_transcribed_yet_is_not_read_as_no_infraction(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    paper = paper_control_of(client, token)
    card = infractions_card(html.unescape(client.get(f"/controles/{paper}").text))
    assert "Aucune pour l'instant : aucune feuille du livret n'est transcrite." in card
    assert "<li>Aucune.</li>" not in card
    data = {**PLACE, "kind": "schedule", "csrf": token, "driver_name": "Camille Essai"}
    schedule = client.post("/controles", data=data).headers["location"]
    card = infractions_card(html.unescape(client.get(schedule).text))
    assert "Aucune pour l'instant : l'horaire de service n'est pas saisi." in card
    data = {**PLACE, "kind": "none", "csrf": token, "driver_name": "Camille Essai"}
    without_lic = client.post("/controles", data=data).headers["location"]
    assert "<li>Aucune.</li>" in infractions_card(client.get(without_lic).text)


def test_a_transcribed_breach_is_proposed_at_step_3_and_carried_by_the_pdf(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    control_id = paper_control_of(client, token)
    post_sheet(client, token, control_id, day="2026-11-23")
    post_sheet(client, token, control_id, day="2026-11-24", periodes=LONG)
    control_page = html.unescape(client.get(f"/controles/{control_id}").text)
    infractions = infractions_card(control_page)
    assert "NATINF 11292" in infractions
    assert "Pas de feuille transcrite" in control_page  # a day with no sheet is not "no work"
    assert "non validé par le conducteur" not in control_page
    assert "Aucune" not in infractions

    step3 = html.unescape(client.get(fill_bulletin(client, token, control_id)).text)
    assert "Aucune infraction relevée" not in step3
    ticked = r'name="kept" value="([^"]+)"[^>]* checked>\s*<label[^>]*>\s*<span><strong>NATINF'
    boxes = re.findall(ticked + r" (\d+)", step3)
    assert "11292" in [natinf for _, natinf in boxes]
    assert "Transcription du livret papier" in step3

    done = client.post(
        f"/controles/{control_id}/bulletin?etape=3",
        data={"kept": [key for key, _ in boxes], "hand_over": "papier", "csrf": token},
    )
    assert done.status_code == 303, done.text
    pdf = client.get(done.headers["location"] + "/pdf").content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "11292" in text


def test_a_transcribed_breach_the_agent_unticks_stays_out_of_the_bulletin(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    control_id = paper_control_of(client, token)
    post_sheet(client, token, control_id, day="2026-11-24", periodes=LONG)
    fill_bulletin(client, token, control_id)
    done = client.post(
        f"/controles/{control_id}/bulletin?etape=3",
        data={"hand_over": "papier", "csrf": token},
    )
    assert done.status_code == 303
    pdf = client.get(done.headers["location"] + "/pdf").content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "11292" not in text
