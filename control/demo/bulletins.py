"""A synthetic control bulletin (invented people and company) for tests, benchmarks, demo."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from control.bulletins.model import (
    Bulletin,
    BulletinDriver,
    Company,
    HandOver,
    Infraction,
    Transport,
    Vehicle,
)


def sample_bulletin() -> Bulletin:
    return Bulletin(
        number="000042-2026-A17",
        version=1,
        control_date=date(2026, 11, 25),
        start_time=time(10, 40),
        end_time=time(11, 5),
        departement="69",
        commune="Vénissieux",
        place="A7, aire de Solaize",
        driver=BulletinDriver("Faure", "Thierry", date(1976, 2, 20)),
        company=Company(
            "298412974",
            "Fret Vercors P",
            "1 rue des Essais, Lyon",
            "marchandises",
            "2020/69/0001234",
        ),
        transport=Transport("Lyon", "Grenoble", goods="colis"),
        vehicle=Vehicle("BS-286-TW", max_weight_t=3.5),
        agent="A17",
        hand_over=HandOver.PAPER,
        issued_at=datetime(2026, 11, 25, 10, 10, tzinfo=UTC),
        infractions=(
            Infraction.of("32083", (date(2026, 11, 7),)),
            Infraction.of("20525", (date(2026, 11, 10), date(2026, 11, 11))),
        ),
        observations="Conducteur coopératif.",
    )
