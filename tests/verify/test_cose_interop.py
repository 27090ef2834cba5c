"""Our COSE_Sign1 layer agrees with pycose, an independent implementation, both ways."""

from __future__ import annotations

from datetime import datetime, timedelta

import cbor2
from pycose.algorithms import EdDSA
from pycose.headers import KID, Algorithm
from pycose.keys import OKPKey
from pycose.keys.curves import Ed25519
from pycose.messages import Sign1Message

from control.issue import issue_code
from control.record import Record
from control.record.compact import encode
from control.verify import TrustList, Verdict, verify
from control.verify.envelope import unwrap, wrap
from control.verify.keys import PrivateKey
from tests import forge


def _pycose_key(key: PrivateKey, *, private: bool) -> OKPKey:
    return OKPKey(crv=Ed25519, x=key.public.x, d=key.seed if private else b"")


def test_a_code_we_sign_verifies_in_pycose(
    record: Record, issuer_key: PrivateKey, now: datetime
) -> None:
    cose = cbor2.loads(unwrap(issue_code(record, issuer_key, iat=now).text))
    assert cose.tag == 18
    # pycose 1.1's decode() predates cbor2 6 (tagged content now decodes immutable: tuple,
    # frozendict): hand it plain containers; signature checking stays entirely pycose's.
    protected, unprotected, payload, signature = cose.value
    message = Sign1Message.from_cose_obj([protected, dict(unprotected), payload, signature], True)
    message.key = _pycose_key(issuer_key, private=False)
    assert message.verify_signature()
    assert message.phdr[KID] == issuer_key.public.kid
    assert cbor2.loads(message.payload)[1] == "FR-MOBILIC"


def test_a_code_pycose_signs_verifies_in_ours(
    record: Record, issuer_key: PrivateKey, trust: TrustList, now: datetime
) -> None:
    payload = forge.claims(issuer_key, encode(record), iat=now, exp=now + timedelta(hours=1))
    message = Sign1Message(
        phdr={Algorithm: EdDSA, KID: issuer_key.public.kid}, payload=cbor2.dumps(payload)
    )
    message.key = _pycose_key(issuer_key, private=True)
    result = verify(wrap(message.encode(tag=True)), trust, now)
    assert result.verdict is Verdict.VALID
    assert result.record == record


def test_pycose_signature_over_other_content_is_refused(
    record: Record, issuer_key: PrivateKey, trust: TrustList, now: datetime
) -> None:
    payload = forge.claims(issuer_key, encode(record), iat=now, exp=now + timedelta(hours=1))
    message = Sign1Message(
        phdr={Algorithm: EdDSA, KID: issuer_key.public.kid},
        payload=cbor2.dumps(payload),
        external_aad=b"not empty",
    )
    message.key = _pycose_key(issuer_key, private=True)
    assert verify(wrap(message.encode(tag=True)), trust, now).verdict is Verdict.BAD_SIGNATURE
