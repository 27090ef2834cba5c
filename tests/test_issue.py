"""The issuer's reference implementation: window, lifetime and the overflow rule."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
import segno

from control.demo.records import Profile, make_record
from control.issue import MAX_QR_CHARACTERS, IssueError, compact_bytes, issue_code, window_for
from control.qr import version_at
from control.record import Record, Sector
from control.verify import TrustList, Verdict, Warning, verify
from control.verify.keys import PrivateKey


@pytest.fixture(scope="module")
def long_record() -> Record:
    """Observations so long that 28 days cannot fit one QR code."""
    from tests.conftest import NOW

    profile = Profile("bavard", Sector.GOODS_LONG_DISTANCE, long_notes=True, segments_per_day=9)
    return make_record(profile, NOW, seed=5)


def test_capacity_constant_is_a_version_40_code_at_level_l() -> None:
    assert version_at("LIC1:" + "A" * (MAX_QR_CHARACTERS - 5), "l") == 40
    with pytest.raises(segno.DataOverflowError):
        version_at("LIC1:" + "A" * (MAX_QR_CHARACTERS - 4), "l")


def test_too_long_record_keeps_the_most_recent_days_that_fit(
    long_record: Record, issuer_key: PrivateKey, trust: TrustList, now: datetime
) -> None:
    code = issue_code(long_record, issuer_key, iat=now, full_record_url="https://lic.example/r/1")
    assert code.omitted_days > 0
    assert len(code.text) <= MAX_QR_CHARACTERS
    assert code.record.days == long_record.days[code.omitted_days :]
    result = verify(code.text, trust, now)
    assert result.verdict is Verdict.VALID
    assert result.warnings == (Warning.RECORD_INCOMPLETE,)
    assert result.record is not None
    assert result.record.full_record is not None
    assert result.record.full_record.url == "https://lic.example/r/1"
    expected = hashlib.sha256(compact_bytes(window_for(long_record, now))).digest()
    assert result.record.full_record.sha256 == expected


def test_one_more_day_would_not_have_fitted(
    long_record: Record, issuer_key: PrivateKey, now: datetime
) -> None:
    code = issue_code(long_record, issuer_key, iat=now, full_record_url="https://lic.example/r/1")
    one_more = replace(code.record, days=long_record.days[code.omitted_days - 1 :])
    with pytest.raises(IssueError, match="do not fit"):
        issue_code(one_more, issuer_key, iat=now)


def test_too_long_record_without_url_is_an_error(
    long_record: Record, issuer_key: PrivateKey, now: datetime
) -> None:
    with pytest.raises(IssueError, match="URL"):
        issue_code(long_record, issuer_key, iat=now)


def test_typical_record_is_complete(record: Record, issuer_key: PrivateKey, now: datetime) -> None:
    code = issue_code(record, issuer_key, iat=now)
    assert code.omitted_days == 0
    assert code.record.complete


def test_days_before_the_window_are_left_out(
    record: Record, issuer_key: PrivateKey, now: datetime
) -> None:
    later = now + timedelta(days=2)
    code = issue_code(record, issuer_key, iat=later)
    assert code.record.window_start == record.window_start + timedelta(days=2)
    kept = [day for day in record.days if day.date >= code.record.window_start]
    assert code.record.days == tuple(kept)
    assert len(kept) < len(record.days)


def test_days_after_iat_are_an_error(record: Record, issuer_key: PrivateKey, now: datetime) -> None:
    with pytest.raises(IssueError, match="after the day of iat"):
        issue_code(record, issuer_key, iat=now - timedelta(days=2))


@pytest.mark.parametrize(
    ("lifetime", "message"),
    [(timedelta(0), "after iat"), (timedelta(days=7, seconds=1), "7 days")],
)
def test_lifetime_is_checked(
    lifetime: timedelta, message: str, record: Record, issuer_key: PrivateKey, now: datetime
) -> None:
    with pytest.raises(IssueError, match=message):
        issue_code(record, issuer_key, iat=now, exp=now + lifetime)


def test_codes_are_deterministic_for_given_iat_and_cti(
    record: Record, issuer_key: PrivateKey, now: datetime
) -> None:
    first = issue_code(record, issuer_key, iat=now, cti=b"\x01" * 16).text
    assert issue_code(record, issuer_key, iat=now, cti=b"\x01" * 16).text == first
    assert issue_code(record, issuer_key, iat=now, cti=b"\x02" * 16).text != first
