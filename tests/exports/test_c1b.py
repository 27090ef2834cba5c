"""C1B files read back by a reader written from the regulation (tests/exports/c1b_reader.py):
every minute of every day as the record says, in the driver's and the employer's version."""

from __future__ import annotations

import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from control.exports.c1b.download import C1BFile, c1b_files
from control.exports.c1b.files import Card
from control.exports.c1b.signing import c1b_key
from control.record.json_form import record_from_json
from control.record.model import Activity, Record
from tests.exports import c1b_reader as reader

AS_OF = datetime.fromisoformat("2026-03-29T15:00+02:00")
# the tests' own reading of the mapping in docs/exports.md
EXPECTED = {
    "driving": ("DRIVER", "DRIVING"),
    "work": ("DRIVER", "WORK"),
    "transfer": ("DRIVER", "WORK"),
    "availability": ("DRIVER", "AVAILABILITY"),
    "support": ("CO-DRIVER", "AVAILABILITY"),
    "break": ("DRIVER", "BREAK/REST"),
}


def _acts(*spans: tuple[str, str, str | None]) -> list[dict[str, Any]]:
    return [{"type": t, "start": s, "end": e} for t, s, e in spans]


def record_json(*, amended: bool = True) -> dict[str, Any]:
    days: list[dict[str, Any]] = [
        {  # the window's first day
            "date": "2026-03-02",
            "vehicles": [{"plate": "AB-123-CD", "odometer_start": 10000, "odometer_end": 10180}],
            "activities": _acts(
                ("driving", "2026-03-02T08:00+01:00", "2026-03-02T12:00+01:00"),
                ("break", "2026-03-02T12:00+01:00", "2026-03-02T12:45+01:00"),
                ("work", "2026-03-02T12:45+01:00", "2026-03-02T16:00+01:00"),
            ),
        },
        {  # a night: crosses midnight in Paris and in UTC
            "date": "2026-03-03",
            "activities": _acts(
                ("driving", "2026-03-03T22:30+01:00", "2026-03-04T01:00+01:00"),
                ("availability", "2026-03-04T01:00+01:00", "2026-03-04T02:00+01:00"),
                ("driving", "2026-03-04T02:00+01:00", "2026-03-04T05:30+01:00"),
            ),
        },
        {  # two vehicles, travel to the second, then accompanying a crew
            "date": "2026-03-05",
            "vehicles": [
                {"plate": "AB-123-CD", "odometer_start": 10500, "odometer_end": 10700},
                {"plate": "EF 456 GH", "odometer_start": 52000, "odometer_end": 52150},
            ],
            "activities": _acts(
                ("driving", "2026-03-05T06:00+01:00", "2026-03-05T10:00+01:00"),
                ("transfer", "2026-03-05T10:00+01:00", "2026-03-05T11:00+01:00"),
                ("driving", "2026-03-05T11:00+01:00", "2026-03-05T15:00+01:00"),
                ("support", "2026-03-05T15:00+01:00", "2026-03-05T16:10+01:00"),
            ),
        },
        {  # amended by the employer
            "date": "2026-03-10",
            "activities": _acts(
                ("driving", "2026-03-10T07:00+01:00", "2026-03-10T11:00+01:00"),
                ("work", "2026-03-10T11:00+01:00", "2026-03-10T12:00+01:00"),
            ),
            "driver_validation": {"at": "2026-03-10T12:05+01:00"},
            "employer_validation": {"at": "2026-03-11T09:00+01:00", "changed": amended},
        },
        {  # crosses midnight in Paris, not in UTC
            "date": "2026-03-20",
            "activities": _acts(
                ("driving", "2026-03-20T20:00+01:00", "2026-03-21T00:40+01:00"),
            ),
        },
        {  # the window's last day (summer time from 02:00), in progress when the code was made
            "date": "2026-03-29",
            "activities": _acts(
                ("work", "2026-03-29T09:00+02:00", "2026-03-29T10:00+02:00"),
                ("driving", "2026-03-29T10:00+02:00", None),
            ),
        },
    ]
    if amended:
        days[3]["driver_activities"] = _acts(
            ("driving", "2026-03-10T07:00+01:00", "2026-03-10T11:30+01:00"),
            ("work", "2026-03-10T11:30+01:00", "2026-03-10T12:00+01:00"),
        )
    return {
        "driver": {
            "id": "DRV-12345678",
            "family_name": "Exemple",
            "given_name": "Zoé",
            "birth_date": "1980-02-29",
        },
        "employers": [{"siren": "123456789", "name": "Transports Test", "sector": "removals"}],
        "window_start": "2026-03-02",
        "days": days,
    }


def card(record: Record) -> Card:
    return Card(
        driver=record.driver,
        issued_at=AS_OF,
        as_of=AS_OF,
        window_start=record.window_start,
        control_at=AS_OF + timedelta(minutes=5),
        control_plate="AB-123-CD",
    )


@pytest.fixture
def key(tmp_path: Path) -> rsa.RSAPrivateKey:
    return c1b_key(tmp_path)


def export(record: Record, key: rsa.RSAPrivateKey) -> list[C1BFile]:
    return c1b_files(record, card(record), 42, key)


def expected_minutes(
    activities: list[Activity], as_of: datetime = AS_OF
) -> dict[date, list[tuple[str, str] | None]]:
    """Each UTC day's minutes as the card must hold them, up to the code's making (`as_of`)."""
    days: dict[date, list[tuple[str, str] | None]] = {}
    for a in activities:
        moment, end = a.start.astimezone(UTC), min(a.end or as_of, as_of).astimezone(UTC)
        while moment < end:
            minutes = days.setdefault(moment.date(), [None] * 1440)
            minutes[moment.hour * 60 + moment.minute] = EXPECTED[a.type.value]
            moment += timedelta(minutes=1)
    return days


def read_minutes(content: bytes) -> dict[date, list[tuple[str, str] | None]]:
    return {d.date: d.minutes for d in reader.days(reader.parse(content))}


def test_two_files_when_the_employer_amended_a_day(key: rsa.RSAPrivateKey) -> None:
    record = record_from_json(record_json())
    files = export(record, key)
    assert [f.name for f in files] == [
        "RO_LICDRV12345678_42_SALARIE.C1B",
        "RO_LICDRV12345678_42_EMPLOYEUR.C1B",
    ]
    driver = [a for d in record.days for a in (d.driver_activities or d.activities)]
    employer = [a for d in record.days for a in d.activities]
    assert driver != employer
    assert read_minutes(files[0].content) == expected_minutes(driver)
    assert read_minutes(files[1].content) == expected_minutes(employer)
    amended = date(2026, 3, 10)  # 11:00-11:30 Paris = 10:00-10:30 UTC
    assert read_minutes(files[0].content)[amended][10 * 60 + 15] == ("DRIVER", "DRIVING")
    assert read_minutes(files[1].content)[amended][10 * 60 + 15] == ("DRIVER", "WORK")


def test_one_file_when_no_day_differs(key: rsa.RSAPrivateKey) -> None:
    record = record_from_json(record_json(amended=False))
    files = export(record, key)
    assert [f.name for f in files] == ["RO_LICDRV12345678_42.C1B"]
    assert read_minutes(files[0].content) == expected_minutes(
        [a for d in record.days for a in d.activities]
    )


def test_a_night_is_split_at_midnight_utc(key: rsa.RSAPrivateKey) -> None:
    minutes = read_minutes(export(record_from_json(record_json()), key)[1].content)
    # 22:30 Paris is 21:30 UTC; 01:00 Paris (availability) is 00:00 UTC the next day
    assert minutes[date(2026, 3, 3)][21 * 60 + 29] is None
    assert minutes[date(2026, 3, 3)][21 * 60 + 30 :] == [("DRIVER", "DRIVING")] * 150
    assert minutes[date(2026, 3, 4)][0:60] == [("DRIVER", "AVAILABILITY")] * 60
    assert minutes[date(2026, 3, 4)][4 * 60 + 29] == ("DRIVER", "DRIVING")
    assert minutes[date(2026, 3, 4)][4 * 60 + 30] is None
    # 20:00-00:40 Paris is 19:00-23:40 UTC: one UTC day, nothing on the 21st
    assert date(2026, 3, 21) not in minutes
    assert minutes[date(2026, 3, 20)][19 * 60 : 23 * 60 + 40] == [("DRIVER", "DRIVING")] * 280


def test_the_28_day_window_and_the_day_in_progress(key: rsa.RSAPrivateKey) -> None:
    download = reader.parse(export(record_from_json(record_json()), key)[1].content)
    days = reader.days(download)
    assert [d.date.isoformat() for d in days] == [
        "2026-03-02",
        "2026-03-03",
        "2026-03-04",
        "2026-03-05",
        "2026-03-10",
        "2026-03-20",
        "2026-03-29",
    ]
    assert [d.presence_counter for d in days] == list(range(1, 8))
    last = days[-1].minutes  # driving since 08:00 UTC, up to the code's moment, 13:00 UTC
    assert last[8 * 60 : 13 * 60] == [("DRIVER", "DRIVING")] * 300
    assert last[13 * 60 :] == [None] * (1440 - 13 * 60)


def test_vehicles_places_and_distances(key: rsa.RSAPrivateKey) -> None:
    download = reader.parse(export(record_from_json(record_json()), key)[1].content)
    used = reader.vehicles(download)
    assert [(v.plate, v.odometer_begin, v.odometer_end, v.nation) for v in used] == [
        ("AB-123-CD", 10000, 10180, 0x11),
        ("AB-123-CD", 10500, 10700, 0x11),
        ("EF456GH", 52000, 52150, 0x11),
    ]
    several = used[1:]  # the day's span, for each vehicle: a LIC does not say when each ran
    assert {(v.first_use.isoformat(), v.last_use.isoformat()) for v in several} == {
        ("2026-03-05T05:00:00+00:00", "2026-03-05T15:10:00+00:00")
    }
    distance = {d.date: d.distance for d in reader.days(download)}
    assert distance[date(2026, 3, 2)] == 180
    assert distance[date(2026, 3, 5)] == 350
    assert distance[date(2026, 3, 3)] == 0
    places = reader.places(download)
    assert [(p.at.isoformat(), p.entry_type, p.country) for p in places[:2]] == [
        ("2026-03-02T07:00:00+00:00", 0, 0x11),
        ("2026-03-02T15:00:00+00:00", 1, 0x11),
    ]
    assert (places[0].odometer, places[1].odometer) == (10000, 10180)
    assert len(places) == 11  # six begins, five ends: the last day is still open


def test_card_holder(key: rsa.RSAPrivateKey) -> None:
    holder = reader.holder(reader.parse(export(record_from_json(record_json()), key)[0].content))
    assert holder.card_number == "LICDRV1234567800"
    assert (holder.surname, holder.first_names) == ("Exemple", "Zoé")
    assert holder.birth_date == date(1980, 2, 29)
    assert holder.issuing_nation == 0x11


def test_every_file_is_signed_and_one_changed_byte_fails(key: rsa.RSAPrivateKey) -> None:
    public = key.public_key()
    for file in export(record_from_json(record_json()), key):
        download = reader.parse(file.content)
        assert reader.bad_signatures(download, public) == []
        signed = [fid for fid in download.efs if fid not in reader.UNSIGNED]
        assert len(signed) == 11
        for fid in signed:
            data = download.efs[fid].data
            at = file.content.index(fid.to_bytes(2, "big") + b"\0" + len(data).to_bytes(2, "big"))
            tampered = bytearray(file.content)
            tampered[at + 5 + len(data) // 2] ^= 0x01
            assert reader.bad_signatures(reader.parse(bytes(tampered)), public) == [fid]


def test_another_key_does_not_verify(key: rsa.RSAPrivateKey, tmp_path: Path) -> None:
    other = c1b_key(tmp_path / "other").public_key()
    download = reader.parse(export(record_from_json(record_json()), key)[0].content)
    assert len(reader.bad_signatures(download, other)) == 11


def test_the_key_is_made_once_and_private(tmp_path: Path) -> None:
    first = c1b_key(tmp_path)
    path = tmp_path / "c1b-signing-key.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.key_size == 1024
    assert c1b_key(tmp_path).private_numbers() == first.private_numbers()


def test_a_crowded_record_keeps_its_newest_days(key: rsa.RSAPrivateKey) -> None:
    """More changes than a card's buffer holds: the oldest days go, as on a card."""
    days = []
    for n in range(28):
        day = date(2026, 3, 2) + timedelta(days=n)
        start = datetime(day.year, day.month, day.day, 6, tzinfo=UTC)
        spans = [
            (
                "driving" if i % 2 == 0 else "work",
                (start + timedelta(minutes=2 * i)).isoformat(),
                (start + timedelta(minutes=2 * i + 2)).isoformat(),
            )
            for i in range(300)
        ]
        days.append({"date": day.isoformat(), "activities": _acts(*spans)})
    data = record_json(amended=False) | {"days": days}
    record = record_from_json(data)
    files = export(record, key)
    read = reader.days(reader.parse(files[0].content))
    assert read[-1].date == date(2026, 3, 29)
    assert 20 < len(read) < 28
    expected = expected_minutes([a for d in record.days for a in d.activities])
    assert {d.date: d.minutes for d in read} == {d.date: expected[d.date] for d in read}


def test_nothing_is_written_after_the_code_was_made(key: rsa.RSAPrivateKey) -> None:
    """A record claiming an activity past its own moment cannot stretch the file."""
    data = record_json(amended=False)
    data["days"][-1]["activities"][-1]["end"] = "2031-03-29T10:00+02:00"
    read = reader.days(reader.parse(export(record_from_json(data), key)[0].content))
    assert read[-1].date == date(2026, 3, 29)
    assert read[-1].minutes[12 * 60 + 59] == ("DRIVER", "DRIVING")
    assert read[-1].minutes[13 * 60] is None
