"""Transcribing a paper LIC's daily sheets beside its photos; the control shows the analysis."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import sign_in
from tests.web.test_bulletins import PLACE, page_photo_bytes, paper_control

NORMAL = "D 00:00 07:00\nA 07:00 11:00\nD 11:00 12:00\nB 12:00 15:00\nD 15:00 24:00"
LONG = "D 00:00 05:00\nA 05:00 11:00\nD 11:00 12:00\nA 12:00 19:00\nD 19:00 24:00"


def typed_periods(form: str) -> list[str]:
    """The periods the form shows as rows, read as the agent reads them: "07:00 – 11:00 A"."""
    starts = re.findall(
        r'id="periode-debut-\d+" name="periode_debut" type="text" value="([^"]*)"', form
    )
    ends = re.findall(r'id="periode-fin-\d+" name="periode_fin" type="text" value="([^"]*)"', form)
    letters = [
        (re.search(r'<option value="([ABCD]?)" selected>', select) or ["", ""])[1]
        for select in re.findall(
            r'id="periode-activite-\d+" name="periode_activite".*?</select>', form, re.DOTALL
        )
    ]
    return [f"{s} – {e} {a}" for s, e, a in zip(starts, ends, letters, strict=True) if s or e]


def post_sheet(client: TestClient, token: str, control_id: int, **fields: str) -> int:
    data = {"csrf": token, "day": "2026-11-24", "sector": "goods-regional", "periodes": NORMAL}
    data.update(fields)
    return client.post(f"/controles/{control_id}/feuilles", data=data).status_code


def test_a_transcribed_sheet_is_listed_on_its_control(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    assert post_sheet(client, token, control_id) == 303
    page = client.get(f"/controles/{control_id}").text
    assert "mardi 24 novembre 2026" in page
    assert "Enregistrement non signé" in page


def test_a_long_day_on_a_sheet_is_found_and_said_to_rest_on_the_transcription(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    post_sheet(client, token, control_id, day="2026-11-23")
    post_sheet(client, token, control_id, day="2026-11-24", periodes=LONG)
    page = client.get(f"/controles/{control_id}").text
    section = page[page.index('id="feuilles"') :]
    assert "NATINF 11292" in section
    assert "sur transcription du livret papier" in section


def test_written_totals_that_disagree_with_the_grid_are_shown(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    post_sheet(client, token, control_id, total_a="5:00", total_e="8:00")
    page = client.get(f"/controles/{control_id}").text
    assert "Total A écrit 5 h 00, tracé 4 h 00." in page
    assert "E écrit 8 h 00, tracé 7 h 00." in page


def test_the_grid_from_the_hour_bar_is_kept_when_no_period_is_typed(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    grid = "D" * 28 + "A" * 16 + "D" * 52
    assert post_sheet(client, token, control_id, periodes="", grid=grid) == 303
    sheet_link = re.search(
        r'/controles/\d+/feuilles/(\d+)"', client.get(f"/controles/{control_id}").text
    )
    assert sheet_link is not None
    form = client.get(f"/controles/{control_id}/feuilles/{sheet_link[1]}").text
    assert typed_periods(form) == ["00:00 – 07:00 D", "07:00 – 11:00 A", "11:00 – 24:00 D"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"periodes": "A 06:10 07:00"}, "quart d&#39;heure"),
        ({"periodes": "conduite toute la journée"}, "Ligne 1"),
        ({"periodes": "A 09:00 07:00"}, "finit avant"),
        ({"grid": "A" * 12, "periodes": ""}, "96 quarts"),
        ({"day": "hier"}, "Date de la feuille invalide"),
        ({"total_a": "sept heures"}, "Durée à écrire"),
        ({"odometer_start": "-5"}, "Kilométrage invalide"),
    ],
)
def test_a_malformed_sheet_is_refused_with_its_reason_and_values_kept(
    agent: tuple[TestClient, str], fields: dict[str, str], message: str
) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    data = {"csrf": token, "day": "2026-11-24", "sector": "goods-regional", "periodes": NORMAL}
    data["observations"] = "gardé"
    data.update(fields)
    response = client.post(f"/controles/{control_id}/feuilles", data=data)
    assert response.status_code == 422
    assert message in response.text
    assert "gardé" in response.text


def test_a_second_sheet_for_the_same_day_is_refused_and_the_first_kept(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    post_sheet(client, token, control_id)
    response = client.post(
        f"/controles/{control_id}/feuilles",
        data={"csrf": token, "day": "2026-11-24", "sector": "goods-regional", "periodes": LONG},
    )
    assert response.status_code == 422
    assert "déjà transcrite" in response.text
    assert "NATINF 11292" not in client.get(f"/controles/{control_id}").text


def test_a_sheet_is_transcribed_beside_its_photo(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    files = [("photos", ("p.jpg", page_photo_bytes(1), "image/jpeg"))]
    client.post(f"/controles/{control_id}/photos", data={"csrf": token}, files=files)
    page = client.get(f"/controles/{control_id}").text
    link = re.search(r'href="(/controles/\d+/feuilles/nouvelle\?photo=(\d+))"', page)
    assert link is not None
    form = client.get(link[1]).text
    assert f"/photos/{link[2]}.jpg" in form


def test_an_electronic_or_absent_lic_has_no_sheet_to_transcribe(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    response = client.post("/controles", data={**PLACE, "kind": "none", "csrf": token})
    control_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert client.get(f"/controles/{control_id}/feuilles/nouvelle").status_code == 404


def test_an_inspector_reads_the_transcription_but_does_not_write_it(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    post_sheet(client, token, control_id)
    client.post("/deconnexion", data={"csrf": token})
    sign_in(client, "inspector")
    page = client.get(f"/controles/{control_id}").text
    assert "mardi 24 novembre 2026" in page
    assert "Transcrire une feuille" not in page
    assert client.get(f"/controles/{control_id}/feuilles/nouvelle").status_code == 403


def test_a_sheet_without_its_sector_is_refused_not_read_as_the_most_lenient(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    form = client.get(f"/controles/{control_id}/feuilles/nouvelle").text
    assert '<option value="" selected>Choisissez l' in form
    assert post_sheet(client, token, control_id, sector="") == 422
    refused = client.post(
        f"/controles/{control_id}/feuilles",
        data={"csrf": token, "day": "2026-11-24", "periodes": NORMAL},
    )
    assert refused.status_code == 422
    assert "Choisissez le secteur." in refused.text


def test_the_day_is_typed_the_french_way_and_offered_so(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    form = client.get(f"/controles/{control_id}/feuilles/nouvelle").text
    assert re.search(r'id="day" name="day" type="text" value="\d{2}/\d{2}/\d{4}"', form)
    assert "Format attendu : JJ/MM/AAAA" in form
    assert post_sheet(client, token, control_id, day="24/11/2026") == 303
    assert "mardi 24 novembre 2026" in client.get(f"/controles/{control_id}").text


def test_a_missing_day_is_said_in_french_under_its_field(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    response = client.post(
        f"/controles/{control_id}/feuilles",
        data={"csrf": token, "day": "", "sector": "goods-regional", "periodes": NORMAL},
    )
    assert response.status_code == 422
    under_the_field = re.search(r'id="day-messages"[^>]*>\s*<p[^>]*>([^<]+)</p>', response.text)
    assert under_the_field is not None
    assert under_the_field[1] == "Indiquez la date de la feuille (JJ/MM/AAAA)."


def rows(*periods: tuple[str, str, str]) -> dict[str, list[str]]:
    return {
        "periode_debut": [start for start, _, _ in periods],
        "periode_fin": [end for _, end, _ in periods],
        "periode_activite": [letter for _, _, letter in periods],
    }


def test_periods_typed_as_rows_make_the_grid_on_the_nearest_quarter(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    typed = rows(("0:00", "6h", "D"), ("06:00", "10:38", "A"), ("10:38", "24:00", "D"))
    data = {"csrf": token, "day": "24/11/2026", "sector": "goods-regional", **typed}
    assert client.post(f"/controles/{control_id}/feuilles", data=data).status_code == 303
    link = re.search(r'/controles/\d+/feuilles/(\d+)"', client.get(f"/controles/{control_id}").text)
    assert link is not None
    form = client.get(f"/controles/{control_id}/feuilles/{link[1]}").text
    assert typed_periods(form) == ["00:00 – 06:00 D", "06:00 – 10:45 A", "10:45 – 24:00 D"]
    assert 'id="grid" value="' + "D" * 24 + "A" * 19 + "D" * 53 + '"' in form


def test_a_wrong_typed_period_is_said_under_its_own_field(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    typed = rows(("06:00", "25:00", "A"), ("11:00", "12:00", ""))
    data = {"csrf": token, "day": "24/11/2026", "sector": "goods-regional", **typed}
    response = client.post(f"/controles/{control_id}/feuilles", data=data)
    assert response.status_code == 422
    end = re.search(r'id="periode-fin-1-messages"[^>]*>\s*<p[^>]*>([^<]+)</p>', response.text)
    assert end is not None
    assert "Heure invalide" in end[1]
    activity = re.search(
        r'id="periode-activite-2-messages"[^>]*>\s*<p[^>]*>([^<]+)</p>', response.text
    )
    assert activity is not None
    assert "choisissez l&#39;activité" in activity[1]
    assert typed_periods(response.text) == ["06:00 – 25:00 A", "11:00 – 12:00 "]
