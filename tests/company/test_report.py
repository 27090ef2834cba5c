"""The company report: every usable file analysed, every employer change listed with both
versions, the bad files named with their reason and the others processed."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

from control.company.files import DriverFile, Source, read_driver_file
from control.company.report import build_report
from control.demo.company import company, for_employer
from control.demo.records import Profile, make_record
from control.record.json_form import record_to_json
from control.record.model import Author, Record, Sector
from control.verify.trustlist import TrustList
from tests.conftest import NOW


def read_all(files: list[tuple[str, bytes]], trust: TrustList, at: datetime) -> list[DriverFile]:
    return [read_driver_file(name, data, trust, at) for name, data in files]


def test_fifty_drivers_with_three_bad_files_give_47_drivers_and_3_reasons(
    files: list[tuple[str, bytes]], trust: TrustList, report_at: datetime
) -> None:
    damaged = list(files)
    damaged[3] = ("conducteur-004.txt", damaged[3][1].replace(b"LIC1:", b"LIC1:Z"))
    damaged[9] = ("conducteur-010.json", b'{"driver": {"id": ')
    damaged[20] = ("photo-cabine.jpg", b"\xff\xd8\xff\xe0 not text \xff")
    report = build_report(read_all(damaged, trust, report_at), report_at)
    assert len(report.drivers) == 47
    assert [p.file for p in report.problems] == [
        "conducteur-004.txt",
        "conducteur-010.json",
        "photo-cabine.jpg",
    ]
    assert all(p.problem for p in report.problems)
    assert "relevé JSON illisible" in report.problems[1].problem
    assert "pas un fichier texte" in report.problems[2].problem


def test_the_company_is_the_employer_of_most_drivers(
    files: list[tuple[str, bytes]], trust: TrustList, report_at: datetime
) -> None:
    report = build_report(read_all(files, trust, report_at), report_at)
    assert report.siren == company(4).siren
    assert report.name == company(4).name


def test_a_driver_of_another_company_is_set_aside(
    files: list[tuple[str, bytes]], trust: TrustList, report_at: datetime, record: Record
) -> None:
    stranger = ("autre.json", json.dumps(record_to_json(record)).encode())
    report = build_report(read_all([*files, stranger], trust, report_at), report_at)
    assert len(report.drivers) == 50
    [problem] = report.problems
    assert problem.file == "autre.json"
    assert f"n'a pas travaillé pour {company(4).siren}" in problem.problem


def test_a_driver_given_twice_is_counted_once(
    files: list[tuple[str, bytes]], trust: TrustList, report_at: datetime
) -> None:
    report = build_report(
        read_all([*files, ("copie.txt", files[0][1])], trust, report_at), report_at
    )
    assert len(report.drivers) == 50
    [problem] = report.problems
    assert problem.problem == f"même conducteur que le fichier {files[0][0]}."


def changed_driver(justified: bool) -> Record:
    profile = Profile(
        "modifie", Sector.GOODS_REGIONAL, employer_changes=8, justified_changes=justified
    )
    return for_employer(make_record(profile, NOW, seed=11), company(4))


def test_every_day_the_employer_changed_is_listed_with_both_versions() -> None:
    record = changed_driver(justified=True)
    changed = [day for day in record.days if day.driver_activities is not None]
    assert changed  # the profile changes days
    report = build_report([DriverFile("a.json", record, Source.UNSIGNED, as_of=NOW)], NOW)
    [driver] = report.drivers
    assert [c.day for c in driver.changes] == [day.date for day in changed]
    first, day = driver.changes[0], changed[0]
    assert len(first.driver.periods) == len(day.driver_activities or ())
    assert len(first.employer_version.periods) == len(day.activities)
    assert first.driver.changed
    assert first.employer_version.changed
    assert set(first.driver.changed).isdisjoint(first.employer_version.periods)
    cut = first.driver.service_minutes - first.employer_version.service_minutes
    assert cut > 0
    assert first.service_difference == f"−{cut} min"
    assert first.justified
    assert driver.unjustified == 0


def test_a_change_without_employer_observation_is_unjustified() -> None:
    record = changed_driver(justified=False)
    report = build_report([DriverFile("a.json", record, Source.UNSIGNED, as_of=NOW)], NOW)
    [driver] = report.drivers
    assert driver.changes
    assert all(not any(o.author is Author.EMPLOYER for o in c.observations) for c in driver.changes)
    assert driver.unjustified == len(driver.changes) == report.unjustified


def test_records_are_analysed_as_of_their_code_not_as_of_the_report(
    files: list[tuple[str, bytes]], trust: TrustList, report_at: datetime
) -> None:
    """The last day is still open when the code is made: weeks later it must not become a
    day of several hundred hours."""
    at_issue = build_report(read_all(files, trust, NOW), NOW)
    weeks_later = build_report(read_all(files, trust, report_at), report_at)
    assert weeks_later.natinf() == at_issue.natinf()


def test_a_planted_breach_is_found_in_the_report(
    trust: TrustList, report_at: datetime, files: list[tuple[str, bytes]]
) -> None:
    report = build_report(read_all(files, trust, report_at), report_at)
    long_days = [d for d in report.drivers if "11292" in d.natinf()]
    assert long_days  # the company has drivers planted with long days
    assert report.natinf()["11292"] == sum(d.natinf()["11292"] for d in report.drivers)


def test_a_named_company_keeps_its_name_over_the_records(
    files: list[tuple[str, bytes]], trust: TrustList, report_at: datetime
) -> None:
    other = replace(company(4), name="Nom donné par l'inspecteur")
    report = build_report(read_all(files, trust, report_at), report_at, other.siren, other.name)
    assert report.name == "Nom donné par l'inspecteur"
