"""Mobilic's roadside codes: recognised by their exact shape, read, never trusted; anything
else (another host, http, a LIC code, a hostile or oversized text) is not one, and no input
raises. The same cases go through the tablet's copy of the rule in test_mobilic_agreement."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from control.verify.mobilic import MAX_URL_CHARACTERS, read_mobilic
from tests.mobilic_codes import (
    MOBILIC_URL,
    b64url,
    control_token,
    mobilic_claims,
    mobilic_url,
    part,
)

GENERATED = datetime(2026, 12, 6, 7, 45, 12, tzinfo=UTC)
TOKEN = "q" * 43
GOOD = mobilic_url(GENERATED, token=TOKEN)
JWT = GOOD.rsplit("controlToken=", 1)[1]
HEADER, PAYLOAD, SIGNATURE = JWT.split(".")


def with_claims(claims: object, header: object = None) -> str:
    signed = f"{part(header or {'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}"
    return f"{MOBILIC_URL}?token={TOKEN}&controlToken={signed}.{SIGNATURE}"


def with_part(payload: str) -> str:
    return f"{MOBILIC_URL}?token={TOKEN}&controlToken={HEADER}.{payload}.{SIGNATURE}"


def with_payload(raw: bytes) -> str:
    return with_part(b64url(raw))


# (name, text, generation as unix seconds or None when the text is no Mobilic code)
CASES: list[tuple[str, str, int | None]] = [
    ("as Mobilic makes it", GOOD, int(GENERATED.timestamp())),
    ("without ts", f"{MOBILIC_URL}?token={TOKEN}&controlToken={JWT}", int(GENERATED.timestamp())),
    (
        "parameters in another order",
        f"{MOBILIC_URL}?controlToken={JWT}&token={TOKEN}",
        int(GENERATED.timestamp()),
    ),
    ("after a scanner's leftovers", f"LIC1:ABC {GOOD}\r\n", int(GENERATED.timestamp())),
    (
        "iat instead of dateCodeGeneration",
        with_claims({"userId": 7, "iat": 1_800_000_000}),
        1_800_000_000,
    ),
    (
        "with an exp",
        with_claims({**mobilic_claims(GENERATED), "exp": 1_800_000_000}),
        int(GENERATED.timestamp()),
    ),
    ("http", GOOD.replace("https://", "http://"), None),
    (
        "another host",
        GOOD.replace("mobilic.beta.gouv.fr", "mobilic.beta.gouv.fr.evil.example"),
        None,
    ),
    ("a look-alike host", GOOD.replace("mobilic.beta", "mobi1ic.beta"), None),
    ("upper-case host", GOOD.replace("mobilic.beta.gouv.fr", "MOBILIC.beta.gouv.fr"), None),
    ("a port", GOOD.replace(".fr/", ".fr:8443/"), None),
    ("user info", GOOD.replace("https://", "https://x@"), None),
    ("another path", GOOD.replace("/control/user-history", "/control/user-history/x"), None),
    ("a fragment", GOOD + "#x", None),
    ("an extra parameter", GOOD + "&next=https://evil.example", None),
    ("a repeated parameter", GOOD + f"&token={TOKEN}", None),
    ("no controlToken", f"{MOBILIC_URL}?token={TOKEN}&ts=1", None),
    ("no token", f"{MOBILIC_URL}?controlToken={JWT}", None),
    ("percent-encoded", GOOD.replace("token=", "tok%65n=", 1), None),
    ("a quote to break out", GOOD.replace("ts=", 'ts="><script>', 1), None),
    (
        "a LIC1 code",
        "LIC1:6BFOXN*TS0BI$ZD-PHQ7I9AD66V5B22CH9M9ESI9XBHXK-%69LQOGI.*V76GCV4*XUA2P-FHT-HNXHM",
        None,
    ),
    ("empty", "", None),
    ("oversized", GOOD + "&ts=" + "1" * MAX_URL_CHARACTERS, None),
    ("oversized token", GOOD.replace(TOKEN, "a" * 200), None),
    ("bad base64 in the payload", with_part("a$b%cdefgh"), None),
    ("a payload of length 1 mod 4", with_part(PAYLOAD + "A" * ((1 - len(PAYLOAD)) % 4)), None),
    ("a payload that is no JSON", with_payload(b"not json"), None),
    ("a payload that is no UTF-8", with_payload(b'{"userId":1,"x":"\xff"}'), None),
    (
        "a payload with a BOM",
        with_payload(b'\xef\xbb\xbf{"userId":1,"dateCodeGeneration":1800000000}'),
        None,
    ),
    ("a payload that is a list", with_payload(b"[1,2]"), None),
    ("NaN", with_payload(b'{"userId":1,"dateCodeGeneration":NaN}'), None),
    ("a huge number", with_payload(b'{"userId":1,"dateCodeGeneration":1e400}'), None),
    (
        "a huge integer",
        with_payload(b'{"userId":1,"dateCodeGeneration":' + b"9" * 400 + b"}"),
        None,
    ),
    ("a deep nest", with_payload(b'{"userId":1,"x":' + b"[" * 600 + b"]" * 600 + b"}"), None),
    ("no user", with_claims({"dateCodeGeneration": 1_800_000_000}), None),
    ("a boolean user", with_claims({"userId": True, "dateCodeGeneration": 1_800_000_000}), None),
    ("a user as text", with_claims({"userId": "7", "dateCodeGeneration": 1_800_000_000}), None),
    ("a user 7.0", with_payload(b'{"userId":7.0,"dateCodeGeneration":1800000000}'), 1_800_000_000),
    ("no date", with_claims({"userId": 7}), None),
    ("a date as text", with_claims({"userId": 7, "dateCodeGeneration": "2026-12-06"}), None),
    ("a date in 1970", with_claims({"userId": 7, "dateCodeGeneration": 5}), None),
    ("an exp as text", with_claims({**mobilic_claims(GENERATED), "exp": "soon"}), None),
    (
        "another algorithm",
        with_claims(mobilic_claims(GENERATED), {"alg": "none", "typ": "JWT"}),
        None,
    ),
    (
        "another type",
        with_claims(mobilic_claims(GENERATED), {"alg": "HS256", "typ": "JOSE+X"}),
        None,
    ),
    ("a short signature", GOOD[:-1], None),
]


@pytest.mark.parametrize(("name", "text", "generated"), CASES, ids=[c[0] for c in CASES])
def test_each_case(name: str, text: str, generated: int | None) -> None:
    found = read_mobilic(text)
    if generated is None:
        assert found is None
    else:
        assert found is not None
        assert found.generated_at == datetime.fromtimestamp(generated, UTC)


def test_the_link_is_rebuilt_from_what_was_read() -> None:
    found = read_mobilic(f"  junk {GOOD}\n")
    assert found is not None
    assert found.url == GOOD
    assert found.url.startswith("https://mobilic.beta.gouv.fr/control/user-history?token=")


def test_a_code_with_an_exp_says_when_it_expired() -> None:
    expires = GENERATED + timedelta(hours=2)
    found = read_mobilic(with_claims({**mobilic_claims(GENERATED), "exp": expires.timestamp()}))
    assert found is not None
    assert found.expires_at == expires
    assert not found.expired(expires)
    assert found.expired(expires + timedelta(seconds=1))
    today = read_mobilic(GOOD)
    assert today is not None
    assert today.expires_at is None
    assert not today.expired(datetime.max.replace(tzinfo=UTC))


def test_the_signature_is_never_checked() -> None:
    """A code signed with any secret reads the same: we cannot tell, and do not claim to."""
    forged = GOOD.replace(JWT, control_token(mobilic_claims(GENERATED), secret=b"anyone"))
    assert read_mobilic(forged) is not None
    assert read_mobilic(forged) != read_mobilic(GOOD)  # another link, the same claims
    assert read_mobilic(forged).generated_at == read_mobilic(GOOD).generated_at  # type: ignore[union-attr]


def test_megabytes_of_hostile_text_are_answered_quickly() -> None:
    for text in (
        GOOD * 5000,
        "https://mobilic.beta.gouv.fr/control/user-history?" * 50_000,
        "&" * 10**6,
    ):
        assert read_mobilic(text) is None or read_mobilic(text).url == GOOD  # type: ignore[union-attr]


def test_a_code_older_than_a_day_is_stale() -> None:
    found = read_mobilic(GOOD)
    assert found is not None
    assert not found.stale(GENERATED + timedelta(hours=24))
    assert found.stale(GENERATED + timedelta(hours=24, seconds=1))


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_any_text_around_a_link_is_answered_never_raised(before: str, after: str) -> None:
    found = read_mobilic(before + GOOD + after)
    if found is not None:  # only what lies after the last link's start can spoil it
        assert found.url.startswith(MOBILIC_URL + "?token=")
        assert found.generated_at == GENERATED


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=400))
def test_any_payload_is_answered_never_raised(raw: bytes) -> None:
    found = read_mobilic(with_payload(raw))
    assert found is None or found.generated_at.year >= 2020
