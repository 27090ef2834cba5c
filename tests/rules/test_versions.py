"""Every day is analysed, whoever validated it; amended days are analysed in both versions."""

from control.rules import analyze
from tests.rules.builder import AT, amended, check, day, record


def test_an_unamended_day_validated_by_both_is_both_versions() -> None:
    [finding] = check(day("2026-11-03 06:00", "driving 6h01"), rule="breaks")
    assert finding["version"] == "both"
    assert finding["flags"] == []


def test_a_day_the_employer_has_not_validated_is_the_drivers_version() -> None:
    d = day("2026-11-23 06:00", "driving 6h01", employer_validated=False)
    [finding] = check(d, rule="breaks")
    assert finding["version"] == "driver"


def test_a_day_the_driver_has_not_validated_is_analysed_and_flagged() -> None:
    d = day("2026-11-24 06:00", "driving 6h01", validated=False)
    [finding] = check(d, rule="breaks")
    assert finding["flags"] == ["not-validated"]


def test_an_automatically_validated_day_is_analysed_and_flagged() -> None:
    d = day("2026-11-20 06:00", "driving 6h01", automatic=True)
    [finding] = check(d, rule="breaks")
    assert finding["flags"] == ["validated-automatically"]


def test_a_breach_the_employer_amended_away_is_reported_on_the_drivers_version() -> None:
    driver = day("2026-11-03 06:00", "driving 3h", "break 45m", "work 9h30")  # 12 h 30
    employer = amended(driver, "2026-11-03 06:00", "driving 3h", "break 45m", "work 9h")
    [finding] = check(employer, rule="daily-work")
    assert finding["version"] == "driver"
    assert finding["figures"]["work_minutes"] == 12 * 60 + 30
    assert "changed-by-employer" in finding["flags"]


def test_a_breach_the_employer_added_is_reported_on_the_employers_version() -> None:
    driver = day("2026-11-03 06:00", "driving 3h", "break 45m", "work 9h")
    employer = amended(driver, "2026-11-03 06:00", "driving 3h", "break 45m", "work 9h30")
    [finding] = check(employer, rule="daily-work")
    assert finding["version"] == "employer"


def test_a_breach_in_both_versions_is_reported_once() -> None:
    driver = day("2026-11-03 06:00", "driving 3h", "break 45m", "work 9h30")
    employer = amended(driver, "2026-11-03 06:00", "driving 3h", "break 45m", "work 9h20")
    [finding] = check(employer, rule="daily-work")
    assert finding["version"] == "both"
    assert finding["figures"]["work_minutes"] == 12 * 60 + 20  # the record's current version


def test_the_findings_are_sorted_by_date() -> None:
    first = day("2026-11-03 06:00", "driving 6h01")
    second = day("2026-11-05 06:00", "driving 3h", "break 45m", "work 9h01")
    analysis = analyze(record(first, second), AT)
    dates = [f.dates[0].isoformat() for f in analysis.findings]
    assert dates == sorted(dates)
