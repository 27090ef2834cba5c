"""The trust list: signed by the root, rotation and revocation, refused when tampered."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta

import pytest

from control.verify import trustlist
from control.verify.keys import PrivateKey
from control.verify.trustlist import KeyStatus, TrustList, TrustListError


def test_signed_list_loads_with_the_root_public_key(trust: TrustList, root_key: PrivateKey) -> None:
    loaded = trustlist.loads(trustlist.dumps(trust, root_key), root_key.public)
    assert loaded == trust


def test_list_signed_by_another_root_is_refused(trust: TrustList, root_key: PrivateKey) -> None:
    other = PrivateKey.generate("FR-AUTRE")
    with pytest.raises(TrustListError, match="not by the configured root"):
        trustlist.loads(trustlist.dumps(trust, other), root_key.public)


def test_tampered_payload_is_refused(trust: TrustList, root_key: PrivateKey) -> None:
    document = json.loads(trustlist.dumps(trust, root_key))
    payload = json.loads(base64.urlsafe_b64decode(document["payload"] + "=="))
    payload["issuers"][0]["keys"][0]["status"] = "active"
    payload["next_update"] = "2099-01-01T00:00:00Z"
    document["payload"] = (
        base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    )
    with pytest.raises(TrustListError, match="root signature"):
        trustlist.loads(json.dumps(document), root_key.public)


@pytest.mark.parametrize(
    "document", ["", "{}", "[1]", '{"protected": 1, "payload": 2, "signature": 3}']
)
def test_garbage_is_refused_with_a_clear_error(root_key: PrivateKey, document: str) -> None:
    with pytest.raises(TrustListError, match="not a signed trust list"):
        trustlist.loads(document, root_key.public)


def test_newest_key_is_active_and_older_one_retired_when_it_starts(
    trust: TrustList, issuer_key: PrivateKey, previous_key: PrivateKey
) -> None:
    current, previous = trust.key(issuer_key.public.kid), trust.key(previous_key.public.kid)
    assert current is not None
    assert previous is not None
    assert current.status is KeyStatus.ACTIVE
    assert previous.status is KeyStatus.RETIRED
    assert previous.not_after == current.not_before


def test_revoked_key_carries_its_revocation_time(trust: TrustList, revoked_key: PrivateKey) -> None:
    key = trust.key(revoked_key.public.kid)
    assert key is not None
    assert key.status is KeyStatus.REVOKED
    assert key.revoked_at == trust.issued_at


def test_revoking_an_unlisted_kid_is_an_error(issuer_key: PrivateKey, now: datetime) -> None:
    with pytest.raises(TrustListError, match="names no listed key"):
        trustlist.build([issuer_key.public], issued_at=now, revoke=["AAAAAAAAAAA"])


def test_list_is_stale_after_next_update(trust: TrustList) -> None:
    assert not trust.is_stale(trust.next_update)
    assert trust.is_stale(trust.next_update + timedelta(seconds=1))
