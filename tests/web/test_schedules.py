"""A control of a driver working to a service schedule: the schedule is recorded, compared with
the moment of the control, and its plan checked by the rules."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import sign_in
from tests.web.test_bulletins import PLACE, page_photo_bytes, paper_control

# The control is on Wednesday 25 November 2026 at 10:40, Paris time.
WEEKDAYS_6_TO_14 = {f"start_{n}": "06:00" for n in range(5)} | {
    f"end_{n}": "14:00" for n in range(5)
}


def schedule_control(client: TestClient, token: str) -> int:
    fields = {**PLACE, "kind": "schedule", "csrf": token, "driver_name": "Inès Roux"}
    response = client.post("/controles", data=fields)
    assert response.status_code == 303
    return int(response.headers["location"].rsplit("/", 1)[1])


def post_schedule(client: TestClient, token: str, control_id: int, **fields: str) -> int:
    data = {
        "csrf": token,
        "number": "H-12",
        "service": "Ligne 12",
        "employer_name": "Cars du Vercors",
        "employee_name": "Inès Roux",
        "stated_activity": "driving",
        "sector": "passengers",
        **WEEKDAYS_6_TO_14,
        **{f"breaks_{n}": "10:00-10:30" for n in range(5)},
    }
    data.update(fields)
    return client.post(f"/controles/{control_id}/horaire", data=data).status_code


def schedule_section(client: TestClient, control_id: int) -> str:
    page = client.get(f"/controles/{control_id}").text
    return page[page.index('id="horaire"') :]


def test_a_schedule_control_offers_to_record_the_schedule(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = schedule_control(client, token)
    section = schedule_section(client, control_id)
    assert "Aucun horaire saisi." in section
    form = client.get(f"/controles/{control_id}/horaire").text
    assert 'value="Inès Roux"' in form  # the control's driver, as the employee


def test_driving_within_the_planned_service_suggests_nothing(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    control_id = schedule_control(client, token)
    assert post_schedule(client, token, control_id) == 303
    section = schedule_section(client, control_id)
    assert "pendant le service du mercredi 06:00–14:00" in section
    assert "Aucun : l'activité au moment du contrôle correspond à l'horaire." in section


def test_driving_during_a_planned_break_is_suggested(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = schedule_control(client, token)
    post_schedule(client, token, control_id, breaks_2="10:30-11:00")
    section = schedule_section(client, control_id)
    assert "Activité pendant une pause prévue" in section
    assert "la pause prévue de 10:30 à 11:00" in section


def test_work_on_a_day_without_service_is_suggested(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = schedule_control(client, token)
    post_schedule(client, token, control_id, start_2="", end_2="", breaks_2="")
    section = schedule_section(client, control_id)
    assert "Activité un jour sans service prévu" in section
    assert "aucun service le mercredi" in section


def test_a_plan_of_too_long_days_is_found_by_the_rules(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = schedule_control(client, token)
    long_days = {f"end_{n}": "19:30" for n in range(5)}
    post_schedule(client, token, control_id, **long_days)
    section = schedule_section(client, control_id)
    assert "NATINF 11292" in section
    assert "sur l&#39;horaire de service prévu" in section
    assert "Les 28 jours prévus par l&#39;horaire" in section


def test_the_recorded_schedule_comes_back_in_the_form_to_correct_it(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    control_id = schedule_control(client, token)
    post_schedule(client, token, control_id, start_5="07:00", end_5="12:00")
    form = client.get(f"/controles/{control_id}/horaire").text
    assert '<label class="fr-label" for="start_5">Début du service, samedi' in form
    assert 'id="start_5" name="start_5" type="text" value="07:00"' in form
    assert 'value="10:00–10:30"' in form
    assert post_schedule(client, token, control_id, stated_activity="rest") == 303
    assert "activité : pause ou repos" in schedule_section(client, control_id)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"start_0": "25:00"}, "heure invalide"),
        ({"end_1": ""}, "Mardi : indiquez le début et la fin du service."),
        ({"breaks_2": "pause de midi"}, "pause « pause de midi » illisible"),
        ({"breaks_3": "15:00-15:20"}, "n&#39;est pas dans le service"),
        ({"breaks_4": "10:00-10:30, 10:15-10:45"}, "chevauchent"),
        ({"stated_activity": "sieste"}, "Indiquez l&#39;activité du conducteur"),
        ({"employer_siren": "12345"}, "Un SIREN compte 9 chiffres."),
        (
            {f"{e}_{n}": "" for n in range(5) for e in ("start", "end", "breaks")},
            "au moins un jour",
        ),
    ],
)
def test_a_malformed_schedule_is_refused_with_its_reason_and_values_kept(
    agent: tuple[TestClient, str], fields: dict[str, str], message: str
) -> None:
    client, token = agent
    control_id = schedule_control(client, token)
    response = client.post(
        f"/controles/{control_id}/horaire",
        data={"csrf": token, "observations": "gardé", "stated_activity": "driving",
              **WEEKDAYS_6_TO_14, **fields},
    )  # fmt: skip
    assert response.status_code == 422
    assert message in response.text
    assert "gardé" in response.text
    assert "Aucun horaire saisi." in schedule_section(client, control_id)


def test_a_refused_correction_keeps_the_recorded_schedule(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = schedule_control(client, token)
    post_schedule(client, token, control_id, number="H-77")
    assert post_schedule(client, token, control_id, number="H-78", start_0="6h75") == 422
    section = schedule_section(client, control_id)
    assert "H-77" in section


def test_the_schedule_is_recorded_beside_its_photo(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = schedule_control(client, token)
    files = [("photos", ("horaire.jpg", page_photo_bytes(1), "image/jpeg"))]
    client.post(f"/controles/{control_id}/photos", data={"csrf": token}, files=files)
    page = client.get(f"/controles/{control_id}").text
    assert "Photos de l&#39;horaire de service" in page
    form = client.get(f"/controles/{control_id}/horaire").text
    assert "Photo 1 de l'horaire de service" in form


def test_other_controls_have_no_schedule(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = paper_control(client, token)
    assert client.get(f"/controles/{control_id}/horaire").status_code == 404


def test_an_inspector_reads_the_schedule_but_does_not_write_it(
    agent: tuple[TestClient, str],
) -> None:
    client, token = agent
    control_id = schedule_control(client, token)
    post_schedule(client, token, control_id, breaks_2="10:30-11:00")
    client.post("/deconnexion", data={"csrf": token})
    sign_in(client, "inspector")
    section = schedule_section(client, control_id)
    assert "Activité pendant une pause prévue" in section
    assert "Corriger l&#39;horaire" not in section
    assert client.get(f"/controles/{control_id}/horaire").status_code == 403


def test_a_schedule_typed_in_french_hours_is_read(agent: tuple[TestClient, str]) -> None:
    client, token = agent
    control_id = schedule_control(client, token)
    french = {f"start_{n}": "6h" for n in range(5)} | {f"end_{n}": "14h30" for n in range(5)}
    assert post_schedule(client, token, control_id, **french, breaks_2="10h-10h30") == 303
    assert "pendant le service du mercredi 06:00–14:30" in schedule_section(client, control_id)
    form = client.get(f"/controles/{control_id}/horaire").text
    assert 'id="end_2" name="end_2" type="text" value="14:30"' in form
    assert "Format attendu : HH:MM" in form
