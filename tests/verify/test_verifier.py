"""One verdict for every input, as the spec lists them; never an exception."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from datetime import datetime, timedelta

import cbor2
import pytest

from control.issue import issue_code
from control.record import Record
from control.record.compact import encode
from control.verify import Layer, TrustList, Verdict, Warning, verify
from control.verify.envelope import unwrap
from control.verify.keys import PrivateKey
from tests import forge


@pytest.fixture
def valid_text(record: Record, issuer_key: PrivateKey, now: datetime) -> str:
    return issue_code(record, issuer_key, iat=now, cti=b"\x07" * 16).text


def test_genuine_fresh_code_is_valid_and_carries_the_record(
    valid_text: str, trust: TrustList, now: datetime, record: Record
) -> None:
    result = verify(valid_text, trust, now)
    assert result.verdict is Verdict.VALID
    assert result.warnings == ()
    assert result.record == record
    assert result.issuer == "FR-MOBILIC"
    assert result.cti == b"\x07" * 16


def test_scanner_white_space_around_the_text_is_ignored(
    valid_text: str, trust: TrustList, now: datetime
) -> None:
    assert verify(f" {valid_text}\r\n", trust, now).valid


@pytest.mark.parametrize(
    "text", ["", "https://mobilic.beta.gouv.fr/control/verify?code=x", "HC1:6BF"]
)
def test_other_codes_are_not_lic_codes(text: str, trust: TrustList, now: datetime) -> None:
    assert verify(text, trust, now).verdict is Verdict.NOT_A_LIC_CODE


@pytest.mark.parametrize(
    ("text", "layer"),
    [
        ("LIC1:A", Layer.BASE45),
        ("LIC1:abc", Layer.BASE45),
        ("LIC1:" + forge.wrap(b"")[5:-3], Layer.ZLIB),
        (forge.wrap(b"not cbor \xff"), Layer.COSE),
        (forge.wrap(cbor2.dumps([1, 2, 3])), Layer.COSE),
        (forge.wrap(cbor2.dumps(cbor2.CBORTag(98, []))), Layer.COSE),
    ],
    ids=["base45-length", "base45-alphabet", "zlib-truncated", "cbor", "cose-shape", "cose-tag"],
)
def test_broken_layers_are_malformed_and_name_the_layer(
    text: str, layer: Layer, trust: TrustList, now: datetime
) -> None:
    result = verify(text, trust, now)
    assert result.verdict is Verdict.MALFORMED
    assert result.layer is layer


def test_zip_bomb_stops_at_64_kib(trust: TrustList, now: datetime) -> None:
    bomb = "LIC1:" + forge.base45.encode(zlib.compress(b"\0" * 10_000_000, 9))
    result = verify(bomb, trust, now)
    assert result.verdict is Verdict.MALFORMED
    assert "64 KiB" in result.detail


@pytest.mark.parametrize(
    "cose",
    [
        b"\x81" * 100_000 + b"\x00",  # arrays nested 100 000 deep
        b"\x5b\x00\x00\x00\x10\x00\x00\x00\x00",  # a byte string claiming 64 GiB
        b"\x9b\xff\xff\xff\xff\xff\xff\xff\xff",  # an array claiming 2^64 items
        b"\xbf" * 5000,  # unterminated indefinite maps
    ],
    ids=["deep-nesting", "huge-bytes", "huge-array", "indefinite"],
)
def test_hostile_cbor_gives_a_verdict(cose: bytes, trust: TrustList, now: datetime) -> None:
    text = "LIC1:" + forge.base45.encode(zlib.compress(cose, 9))
    assert verify(text, trust, now).verdict is Verdict.MALFORMED


def test_other_algorithm_is_unsupported(
    record: Record, issuer_key: PrivateKey, trust: TrustList, now: datetime
) -> None:
    payload = forge.claims(issuer_key, encode(record), iat=now, exp=now + timedelta(hours=1))
    text = forge.code(issuer_key, payload, protected={1: -7, 4: issuer_key.public.kid})
    assert verify(text, trust, now).verdict is Verdict.UNSUPPORTED_ALGORITHM


def test_kid_in_unprotected_header_is_accepted_only_when_absent_from_protected(
    record: Record, issuer_key: PrivateKey, editor_key: PrivateKey, trust: TrustList, now: datetime
) -> None:
    payload = forge.claims(issuer_key, encode(record), iat=now, exp=now + timedelta(hours=1))
    unprotected_kid = forge.code(
        issuer_key, payload, protected={1: -8}, unprotected={4: issuer_key.public.kid}
    )
    assert verify(unprotected_kid, trust, now).verdict is Verdict.VALID
    both = forge.code(
        issuer_key,
        payload,
        protected={1: -8, 4: issuer_key.public.kid},
        unprotected={4: editor_key.public.kid},
    )
    assert verify(both, trust, now).kid == issuer_key.public.kid_text


def test_untagged_cose_sign1_is_accepted(
    record: Record, issuer_key: PrivateKey, trust: TrustList, now: datetime
) -> None:
    payload = forge.claims(issuer_key, encode(record), iat=now, exp=now + timedelta(hours=1))
    assert verify(forge.code(issuer_key, payload, tagged=False), trust, now).valid


def test_key_not_in_the_trust_list_is_unknown(
    record: Record, trust: TrustList, now: datetime
) -> None:
    stranger = PrivateKey.generate("FR-MOBILIC")
    text = issue_code(record, stranger, iat=now).text
    result = verify(text, trust, now)
    assert result.verdict is Verdict.UNKNOWN_KEY
    assert result.record is None


def test_key_of_another_issuer_is_unknown_for_the_claimed_issuer(
    record: Record, editor_key: PrivateKey, trust: TrustList, now: datetime
) -> None:
    payload = forge.claims(editor_key, encode(record), iat=now, exp=now + timedelta(hours=1))
    payload[1] = "FR-MOBILIC"
    result = verify(forge.code(editor_key, payload), trust, now)
    assert result.verdict is Verdict.UNKNOWN_KEY
    assert "FR-EDITEUR" in result.detail


def test_revoked_key_is_refused_even_for_a_fresh_code(
    record: Record, revoked_key: PrivateKey, trust: TrustList, now: datetime
) -> None:
    text = issue_code(record, revoked_key, iat=now).text
    assert verify(text, trust, now).verdict is Verdict.REVOKED_KEY


def test_retired_key_verifies_codes_made_before_its_successor(
    record_at: Callable[[datetime], Record],
    previous_key: PrivateKey,
    trust: TrustList,
    now: datetime,
) -> None:
    iat = now - timedelta(days=11)
    text = issue_code(record_at(iat), previous_key, iat=iat, exp=iat + timedelta(days=7)).text
    result = verify(text, trust, iat + timedelta(days=1))
    assert result.verdict is Verdict.VALID


def test_retired_key_does_not_verify_codes_made_after_its_successor_started(
    record: Record, previous_key: PrivateKey, trust: TrustList, now: datetime
) -> None:
    text = issue_code(record, previous_key, iat=now).text
    assert verify(text, trust, now).verdict is Verdict.KEY_NOT_VALID_AT_IAT


def test_code_older_than_the_key_is_refused(
    record_at: Callable[[datetime], Record], issuer_key: PrivateKey, trust: TrustList, now: datetime
) -> None:
    iat = now - timedelta(days=12)
    text = issue_code(record_at(iat), issuer_key, iat=iat, exp=iat + timedelta(days=7)).text
    assert verify(text, trust, iat + timedelta(hours=1)).verdict is Verdict.KEY_NOT_VALID_AT_IAT


def test_flipping_any_byte_of_the_signed_part_is_never_accepted(
    valid_text: str, trust: TrustList, now: datetime
) -> None:
    cose = unwrap(valid_text)
    structure = cbor2.loads(cose).value
    protected, payload = structure[0], structure[2]
    start = cose.index(payload)
    header_start = cose.index(protected)
    positions = [
        *range(header_start, header_start + len(protected)),
        *range(start, start + len(payload)),
    ]
    verdicts = set()
    for position in positions:
        for mask in (0x01, 0x80):
            damaged = bytearray(cose)
            damaged[position] ^= mask
            result = verify(forge.wrap(bytes(damaged)), trust, now)
            assert result.verdict is not Verdict.VALID, position
            verdicts.add(result.verdict)
    assert Verdict.BAD_SIGNATURE in verdicts
    assert len(positions) > 500


def test_flipping_the_signature_is_a_bad_signature(
    valid_text: str, trust: TrustList, now: datetime
) -> None:
    structure = list(cbor2.loads(unwrap(valid_text)).value)
    structure[3] = bytes([structure[3][0] ^ 1]) + structure[3][1:]
    text = forge.wrap(cbor2.dumps(cbor2.CBORTag(18, structure)))
    assert verify(text, trust, now).verdict is Verdict.BAD_SIGNATURE


def test_expired_code_is_refused_after_exp_not_before(
    record: Record, issuer_key: PrivateKey, trust: TrustList, now: datetime
) -> None:
    text = issue_code(record, issuer_key, iat=now, exp=now + timedelta(hours=2)).text
    assert verify(text, trust, now + timedelta(hours=2)).verdict is Verdict.VALID
    result = verify(text, trust, now + timedelta(hours=2, seconds=1))
    assert result.verdict is Verdict.EXPIRED
    assert result.record == record  # still shown, with its verdict


def test_clock_skew_of_five_minutes_is_tolerated(
    record: Record, issuer_key: PrivateKey, trust: TrustList, now: datetime
) -> None:
    text = issue_code(record, issuer_key, iat=now).text
    assert verify(text, trust, now - timedelta(minutes=5)).verdict is Verdict.VALID
    assert (
        verify(text, trust, now - timedelta(minutes=5, seconds=1)).verdict
        is Verdict.ISSUED_IN_FUTURE
    )


def test_exp_more_than_seven_days_after_iat_is_malformed(
    record: Record, issuer_key: PrivateKey, trust: TrustList, now: datetime
) -> None:
    payload = forge.claims(
        issuer_key, encode(record), iat=now, exp=now + timedelta(days=7, seconds=1)
    )
    result = verify(forge.code(issuer_key, payload), trust, now)
    assert result.verdict is Verdict.MALFORMED
    assert result.layer is Layer.CWT


@pytest.mark.parametrize("claim", [1, 4, 6, 7, -70001])
def test_missing_claim_is_malformed(
    claim: int, record: Record, issuer_key: PrivateKey, trust: TrustList, now: datetime
) -> None:
    payload = forge.claims(issuer_key, encode(record), iat=now, exp=now + timedelta(hours=1))
    del payload[claim]
    assert verify(forge.code(issuer_key, payload), trust, now).layer is Layer.CWT


def test_signed_but_broken_record_is_record_invalid(
    record: Record, issuer_key: PrivateKey, trust: TrustList, now: datetime
) -> None:
    lic = encode(record)
    lic[6][0][2] = lic[6][1][2]  # two days with the same timeline: overlapping
    lic[6][0][0] = lic[6][1][0]
    payload = forge.claims(issuer_key, lic, iat=now, exp=now + timedelta(hours=1))
    result = verify(forge.code(issuer_key, payload), trust, now)
    assert result.verdict is Verdict.RECORD_INVALID
    assert result.detail.startswith("days[1]")


def test_record_whose_window_does_not_end_at_iat_is_record_invalid(
    record: Record, issuer_key: PrivateKey, trust: TrustList, now: datetime
) -> None:
    payload = forge.claims(
        issuer_key, encode(record), iat=now + timedelta(days=3), exp=now + timedelta(days=4)
    )
    result = verify(forge.code(issuer_key, payload), trust, now + timedelta(days=3))
    assert result.verdict is Verdict.RECORD_INVALID


def test_stale_trust_list_warns_but_still_verifies(
    record: Record, issuer_key: PrivateKey, trust: TrustList
) -> None:
    later = trust.next_update + timedelta(days=1)
    text = issue_code(record, issuer_key, iat=later).text
    result = verify(text, trust, later)
    assert result.verdict is Verdict.VALID
    assert result.warnings == (Warning.TRUST_LIST_STALE,)


def test_code_generated_more_than_24_hours_ago_warns(
    valid_text: str, record: Record, issuer_key: PrivateKey, trust: TrustList, now: datetime
) -> None:
    text = issue_code(record, issuer_key, iat=now, exp=now + timedelta(days=2)).text
    assert verify(text, trust, now + timedelta(hours=24)).warnings == ()
    result = verify(text, trust, now + timedelta(hours=24, minutes=1))
    assert result.warnings == (Warning.GENERATED_MORE_THAN_24H_AGO,)
