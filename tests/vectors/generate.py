"""Writes the golden vectors of tests/vectors/ (run once; the files are committed).

    python -m tests.vectors.generate
    python -m tests.vectors.generate strict-cbor   # adds only the strict CBOR vectors

Each vector: the record JSON (if any), the signing key, iat/exp/cti, the moment of
verification, the QR text, and the verdict, layer and warnings a verifier must give.
The keys here are test material only, published on purpose.
"""

from __future__ import annotations

import json
import sys
import zlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import cbor2

from control.demo.records import Profile, make_record
from control.issue import issue_code
from control.record import Record, record_from_text, record_to_json
from control.record.compact import encode
from control.record.model import Sector
from control.verify import base45, trustlist, verify
from control.verify.envelope import unwrap
from control.verify.keys import PrivateKey, load_private, load_public, save_key_pair
from tests import forge
from tests.conftest import NOW

HERE = Path(__file__).parent


def main() -> None:
    keys = {
        "root": PrivateKey.generate("FR-AUTORITE"),
        "mobilic-previous": _key("FR-MOBILIC", 400),
        "mobilic-current": _key("FR-MOBILIC", 10),
        "editor-revoked": _key("FR-EDITEUR", 100),
        "editor-current": _key("FR-EDITEUR", 20),
        "stranger": _key("FR-MOBILIC", 5),
    }
    for name, key in keys.items():
        save_key_pair(key, HERE / "keys" / f"{name}.jwk")
    listed = [keys[n].public for n in keys if n not in ("root", "stranger")]
    trust = trustlist.build(
        listed,
        issued_at=NOW - timedelta(hours=2),
        valid_days=30,
        revoke=[keys["editor-revoked"].public.kid_text],
    )
    (HERE / "trust-list.json").write_text(trustlist.dumps(trust, keys["root"]))

    typical = make_record(Profile("typique", Sector.GOODS_REGIONAL), NOW, seed=11)
    rich = make_record(
        Profile(
            "riche",
            Sector.PASSENGERS,
            frozenset({"long-day", "night-work"}),
            employer_changes=5,
            observations=5,
            second_employer=Sector.REMOVALS,
        ),
        NOW,
        seed=12,
    )
    long = make_record(Profile("long", Sector.GOODS_LONG_DISTANCE, long_notes=True), NOW, seed=13)
    later = trust.next_update + timedelta(days=1)
    at_later = make_record(Profile("typique", Sector.GOODS_REGIONAL), later, seed=11)
    earlier = NOW - timedelta(days=11)
    at_earlier = make_record(Profile("typique", Sector.GOODS_REGIONAL), earlier, seed=11)

    vectors: list[dict[str, Any]] = []
    day, hour = timedelta(days=1), timedelta(hours=1)

    def add(
        name: str,
        description: str,
        record: Record | None,
        key: str,
        iat: Any,
        exp: Any,
        text: str,
        at: Any,
        url: str | None = None,
    ) -> None:
        record_file = None
        if record is not None:
            record_file = f"records/{name}.json"
            path = HERE / record_file
            path.parent.mkdir(exist_ok=True)
            path.write_text(json.dumps(record_to_json(record), ensure_ascii=False, indent=2) + "\n")
        result = verify(text, trust, at)
        vectors.append(
            {
                "name": name,
                "description": description,
                "record": record_file,
                "key": f"keys/{key}.jwk",
                "iat": int(iat.timestamp()),
                "exp": int(exp.timestamp()),
                "cti": CTI.hex(),
                "full_record_url": url,
                "at": int(at.timestamp()),
                "text": text,
                "verdict": result.verdict.value,
                "layer": result.layer and result.layer.value,
                "warnings": [w.value for w in result.warnings],
                "reissue": record is not None
                and issue_code(
                    record, keys[key], iat=iat, exp=exp, cti=CTI, full_record_url=url
                ).text
                == text
                if _issuable(iat, exp)
                else False,
            }
        )
        assert vectors[-1]["verdict"] == expected_verdict(name), name

    def issued(record: Record, key: str, iat: Any, exp: Any, url: str | None = None) -> str:
        return issue_code(record, keys[key], iat=iat, exp=exp, cti=CTI, full_record_url=url).text

    def forged(key: str, lic: Any, iat: Any, exp: Any, **options: Any) -> str:
        payload = forge.claims(keys[key], lic, iat=iat, exp=exp, cti=CTI)
        return forge.code(keys[key], payload, **options)

    exp = NOW + day
    valid = issued(typical, "mobilic-current", NOW, exp)
    add(
        "valid-typical",
        "22 worked days, activity in progress",
        typical,
        "mobilic-current",
        NOW,
        exp,
        valid,
        NOW,
    )
    add(
        "valid-rich",
        "employer changes, observations, two employers",
        rich,
        "editor-current",
        NOW,
        exp,
        issued(rich, "editor-current", NOW, exp),
        NOW,
    )
    url = "https://lic.example/records/long"
    add(
        "valid-incomplete",
        "overflow: recent days + digest + URL",
        long,
        "mobilic-current",
        NOW,
        exp,
        issued(long, "mobilic-current", NOW, exp, url),
        NOW,
        url,
    )
    add(
        "valid-stale-trust-list",
        "verified after next_update",
        at_later,
        "mobilic-current",
        later,
        later + day,
        issued(at_later, "mobilic-current", later, later + day),
        later,
    )
    add(
        "valid-older-than-24h",
        "generated 30 h before the control",
        typical,
        "mobilic-current",
        NOW,
        NOW + 3 * day,
        issued(typical, "mobilic-current", NOW, NOW + 3 * day),
        NOW + 30 * hour,
    )
    add(
        "valid-retired-key",
        "previous key, code made before the rotation",
        at_earlier,
        "mobilic-previous",
        earlier,
        earlier + 7 * day,
        issued(at_earlier, "mobilic-previous", earlier, earlier + 7 * day),
        earlier + day,
    )
    add(
        "not-a-lic-code",
        "a Mobilic URL",
        None,
        "mobilic-current",
        NOW,
        exp,
        "https://mobilic.beta.gouv.fr/control/verify?code=abc",
        NOW,
    )
    add(
        "malformed-base45",
        "character outside the alphabet",
        None,
        "mobilic-current",
        NOW,
        exp,
        valid[:40] + "a" + valid[41:],
        NOW,
    )
    compressed = base45.decode(valid[5:])
    add(
        "malformed-zlib",
        "truncated deflate stream",
        None,
        "mobilic-current",
        NOW,
        exp,
        "LIC1:" + base45.encode(compressed[:-30]),
        NOW,
    )
    add(
        "malformed-zip-bomb",
        "inflates beyond 64 KiB",
        None,
        "mobilic-current",
        NOW,
        exp,
        "LIC1:" + base45.encode(zlib.compress(b"\0" * 1_000_000, 9)),
        NOW,
    )
    add(
        "malformed-cose",
        "a CBOR array of 3 items",
        None,
        "mobilic-current",
        NOW,
        exp,
        forge.wrap(cbor2.dumps([b"", {}, b""])),
        NOW,
    )
    add(
        "malformed-cwt",
        "exp more than 7 days after iat",
        typical,
        "mobilic-current",
        NOW,
        NOW + 8 * day,
        forged("mobilic-current", encode(typical), NOW, NOW + 8 * day),
        NOW,
    )
    add(
        "unsupported-algorithm",
        "alg ES256 (-7) in the protected header",
        typical,
        "mobilic-current",
        NOW,
        exp,
        forged(
            "mobilic-current",
            encode(typical),
            NOW,
            exp,
            protected={1: -7, 4: keys["mobilic-current"].public.kid},
        ),
        NOW,
    )
    add(
        "unknown-key",
        "kid absent from the trust list",
        typical,
        "stranger",
        NOW,
        exp,
        issued(typical, "stranger", NOW, exp),
        NOW,
    )
    add(
        "revoked-key",
        "the editor's revoked key",
        typical,
        "editor-revoked",
        NOW,
        exp,
        issued(typical, "editor-revoked", NOW, exp),
        NOW,
    )
    add(
        "key-not-valid-at-iat",
        "previous key used after the rotation",
        typical,
        "mobilic-previous",
        NOW,
        exp,
        issued(typical, "mobilic-previous", NOW, exp),
        NOW,
    )
    cose = bytearray(unwrap(valid))
    cose[-70] ^= 0x01  # a byte of the payload, near its end
    add(
        "bad-signature",
        "one payload bit flipped",
        None,
        "mobilic-current",
        NOW,
        exp,
        forge.wrap(bytes(cose)),
        NOW,
    )
    add(
        "expired",
        "verified one second after exp",
        typical,
        "mobilic-current",
        NOW,
        exp,
        valid,
        exp + timedelta(seconds=1),
    )
    add(
        "issued-in-future",
        "iat 6 minutes after the verifier's clock",
        typical,
        "mobilic-current",
        NOW,
        exp,
        valid,
        NOW - timedelta(minutes=6),
    )
    broken = encode(typical)
    broken[6][1][0] = broken[6][0][0]
    broken[6][1][2] = broken[6][0][2]
    add(
        "record-invalid",
        "two days with the same timeline (overlap)",
        None,
        "mobilic-current",
        NOW,
        exp,
        forged("mobilic-current", broken, NOW, exp),
        NOW,
    )
    for name, description, text in strict_cbor_codes(keys["mobilic-current"], encode(typical)):
        add(name, description, None, "mobilic-current", NOW, exp, text, NOW)
    (HERE / "vectors.json").write_text(json.dumps(vectors, indent=2) + "\n")
    print(f"{len(vectors)} vectors: " + ", ".join(f"{v['name']}={v['verdict']}" for v in vectors))


CTI = bytes(range(16))


def strict_cbor_codes(key: PrivateKey, lic: Any) -> list[tuple[str, str, str]]:
    """Codes signed for real whose headers or claims a lax CBOR reader takes (the last of a
    repeated label wins, -8.0 equals -8); RFC 9052 refuses them: malformed."""
    exp = NOW + timedelta(days=1)
    claims = forge.claims(key, lic, iat=NOW, exp=exp, cti=CTI)
    payload = cbor2.dumps(claims)
    kid = key.public.kid

    def code(protected: bytes, unprotected: bytes = b"\xa0", body: bytes = payload) -> str:
        return forge.wrap(forge.sign1_raw(body, key, protected=protected, unprotected=unprotected))

    twice_exp = forge.cbor_map(
        [(1, claims[1]), (6, claims[6]), (4, claims[4] + 30 * 86400), (4, claims[4]),
         (7, CTI), (-70001, lic)]
    )  # fmt: skip
    return [
        ("malformed-protected-label-twice", "alg given twice in the protected header",
         code(forge.cbor_map([(1, -7), (1, -8), (4, kid)]))),
        ("malformed-unprotected-label-twice", "kid given twice in the unprotected header",
         code(forge.cbor_map([(1, -8)]), forge.cbor_map([(4, b"\x00" * 8), (4, kid)]))),
        ("malformed-claim-twice", "exp given twice in the claims, 31 days apart",
         code(forge.cbor_map([(1, -8), (4, kid)]), body=twice_exp)),
        ("malformed-float-alg", "alg -8.0, a float, in the protected header",
         code(forge.cbor_map([(1, -8.0), (4, kid)]))),
    ]  # fmt: skip


def add_strict_cbor_vectors() -> None:
    """Adds (or rewrites) the strict CBOR vectors with the committed keys and record, the
    other vectors untouched: `python -m tests.vectors.generate strict-cbor`."""
    vectors = json.loads((HERE / "vectors.json").read_text())
    trust = trustlist.loads(
        (HERE / "trust-list.json").read_text(), load_public(HERE / "keys" / "root.jwk.pub")
    )
    typical = record_from_text((HERE / "records" / "valid-typical.json").read_text())
    codes = strict_cbor_codes(load_private(HERE / "keys" / "mobilic-current.jwk"), encode(typical))
    names = {name for name, _, _ in codes}
    vectors = [v for v in vectors if v["name"] not in names]
    for name, description, text in codes:
        result = verify(text, trust, NOW)
        vectors.append(
            {
                "name": name,
                "description": description,
                "record": None,
                "key": "keys/mobilic-current.jwk",
                "iat": int(NOW.timestamp()),
                "exp": int((NOW + timedelta(days=1)).timestamp()),
                "cti": CTI.hex(),
                "full_record_url": None,
                "at": int(NOW.timestamp()),
                "text": text,
                "verdict": result.verdict.value,
                "layer": result.layer and result.layer.value,
                "warnings": [w.value for w in result.warnings],
                "reissue": False,
            }
        )
        assert vectors[-1]["verdict"] == expected_verdict(name), name
    (HERE / "vectors.json").write_text(json.dumps(vectors, indent=2) + "\n")


def expected_verdict(name: str) -> str:
    """The naming convention of the vectors: the verdict is in the name."""
    for prefix in ("valid", "malformed"):
        if name.startswith(prefix + "-"):
            return prefix
    return name


def _issuable(iat: Any, exp: Any) -> bool:
    return bool(timedelta(0) < exp - iat <= timedelta(days=7))


def _key(issuer: str, started_days_ago: int) -> PrivateKey:
    start = NOW - timedelta(days=started_days_ago)
    return PrivateKey.generate(
        issuer,
        not_before=int(start.timestamp()),
        not_after=int((start + timedelta(days=730)).timestamp()),
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["strict-cbor"]:
        add_strict_cbor_vectors()
    else:
        main()
