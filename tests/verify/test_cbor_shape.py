"""A code uses plain CBOR only: tag 18 around COSE_Sign1 and no other, no simple values but
false, true and null, nothing after the item. Other verifiers (the browser's) read the same."""

from __future__ import annotations

from datetime import datetime, timedelta

import cbor2
import pytest

from control.verify import Layer, Verdict, verify
from control.verify.cbor_shape import ShapeError, loads_plain, unique_labels
from control.verify.keys import PrivateKey
from control.verify.trustlist import TrustList
from tests import forge


def test_plain_cbor_passes() -> None:
    loads_plain(cbor2.dumps({1: [1, -2, b"x", "y", 1.5, None, True, False, {3: []}]}))


def test_tag_18_is_allowed_around_the_whole_item_only() -> None:
    loads_plain(cbor2.dumps(cbor2.CBORTag(18, [b"", {}, b"", b""])), frozenset({18}))
    with pytest.raises(ShapeError, match="tag 18"):
        loads_plain(cbor2.dumps([cbor2.CBORTag(18, 1)]), frozenset({18}))


@pytest.mark.parametrize(
    "value",
    [cbor2.CBORTag(2, b"\x01"), cbor2.CBORTag(1, 0), cbor2.CBORTag(55799, [1])],
    ids=["bignum", "datetime", "self-described"],
)
def test_any_other_tag_is_refused(value: object) -> None:
    with pytest.raises(ShapeError, match="is not used in LIC codes"):
        loads_plain(cbor2.dumps({1: value}))


def test_undefined_and_other_simple_values_are_refused() -> None:
    for data in (b"\x81\xf7", b"\x81\xf8\x20", b"\x81\xf0"):
        with pytest.raises(ShapeError, match="simple values"):
            loads_plain(data)


def test_bytes_after_the_item_are_refused() -> None:
    with pytest.raises(ShapeError, match="after the CBOR item"):
        loads_plain(b"\x01\x02")


def test_a_tag_inside_a_tagged_item_is_refused() -> None:
    with pytest.raises(ShapeError, match="is not used in LIC codes"):
        loads_plain(cbor2.dumps(cbor2.CBORTag(18, [cbor2.CBORTag(7, 1)])), frozenset({18}))


def test_indefinite_lengths_are_read_through() -> None:
    loads_plain(b"\x9f\x01\x5f\x41a\xff\xbf\x01\x02\xff\xff")


def test_deep_nesting_is_refused_as_malformed_not_a_crash() -> None:
    with pytest.raises(cbor2.CBORDecodeError, match="nesting depth"):
        loads_plain(b"\x81" * 100_000 + b"\x00")


def test_a_bignum_where_iat_is_expected_is_malformed(
    issuer_key: PrivateKey, trust: TrustList, now: datetime
) -> None:
    claims = forge.claims(issuer_key, {}, iat=now, exp=now + timedelta(hours=1))
    claims[6] = cbor2.CBORTag(2, int(now.timestamp()).to_bytes(5, "big"))
    result = verify(forge.code(issuer_key, claims), trust, now)
    assert (result.verdict, result.layer) == (Verdict.MALFORMED, Layer.CWT)


def test_a_code_with_bytes_after_cose_sign1_is_malformed(
    issuer_key: PrivateKey, trust: TrustList, now: datetime
) -> None:
    claims = forge.claims(issuer_key, {}, iat=now, exp=now + timedelta(hours=1))
    text = forge.wrap(forge.sign1(cbor2.dumps(claims), issuer_key) + b"\x00")
    result = verify(text, trust, now)
    assert (result.verdict, result.layer) == (Verdict.MALFORMED, Layer.COSE)


# --- labels given twice, and alg of another type than integer or text (RFC 9052) ---


@pytest.mark.parametrize(
    "data",
    [
        forge.cbor_map([(1, -8), (1, -8)]),
        b"\xa2\x01\x27\x18\x01\x27",  # 1 in its short form, then in one byte: the same label
        b"\xbf\x04\x41\x00\x04\x41\x01\xff",  # an indefinite-length map
        forge.cbor_map([("alg", 1), ("alg", 2)]),
    ],
)
def test_a_label_given_twice_is_refused(data: bytes) -> None:
    loads_plain(data)  # well-formed CBOR: only the labels' rule refuses it
    with pytest.raises(ShapeError, match="twice"):
        unique_labels(data)


@pytest.mark.parametrize("label", [1.0, True, b"\x01", None])
def test_a_label_is_an_integer_or_a_text(label: object) -> None:
    with pytest.raises(ShapeError, match="an integer or a text"):
        unique_labels(forge.cbor_map([(label, 1)]))


def test_an_integer_and_a_text_of_the_same_digits_are_two_labels() -> None:
    unique_labels(forge.cbor_map([(1, -8), ("1", -8), (4, b"k")]))


@pytest.mark.parametrize("alg", [-8.0, True, b"\xf8", None])
def test_alg_neither_integer_nor_text_is_malformed_at_the_cose_layer(
    issuer_key: PrivateKey, trust: TrustList, now: datetime, alg: object
) -> None:
    payload = cbor2.dumps(forge.claims(issuer_key, 1, iat=now, exp=now + timedelta(days=1)))
    protected = forge.cbor_map([(1, alg), (4, issuer_key.public.kid)])
    text = forge.wrap(
        forge.sign1_raw(payload, issuer_key, protected=protected, unprotected=b"\xa0")
    )
    result = verify(text, trust, now)
    assert (result.verdict, result.layer) == (Verdict.MALFORMED, Layer.COSE)
