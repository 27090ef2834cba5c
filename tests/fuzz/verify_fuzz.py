"""Coverage-guided fuzzing of the verifier with atheris: valid codes mutated at every layer.

    .venv/bin/python tests/fuzz/verify_fuzz.py -atheris_runs=1000000

Each input picks a valid code (three record sizes, one with employer changes) and a layer,
then mutates it there: the text, the Base45 bytes, the zlib stream, the COSE CBOR bytes, the
COSE structure, the claims (re-signed, so the claims and record parsers are reached), the
compact record's tree (re-signed), or raw text. `verify` must return a verdict of the spec;
any exception is a crash (exit code ≠ 0), and so is a verdict other than that of the claims
decoded whole (one input in eight). tests/fuzz/test_fuzz.py runs this in CI.
"""

from __future__ import annotations

import sys
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

import atheris
import cbor2

with atheris.instrument_imports(
    include=[
        "control.verify",
        "control.record.compact",
        "control.record.timeline",
        "control.record.scan",
    ]
):
    from control.record import Sector
    from control.verify import (
        Verdict,
        Verification,
        base45,
        claims,
        cose,
        trustlist,
        verifier,
        verify,
    )
    from control.verify.envelope import unwrap, wrap
    from control.verify.keys import PrivateKey

from control.demo.records import Profile, make_record
from control.issue import issue_code

NOW = datetime(2026, 11, 25, 9, 40, tzinfo=UTC)
KEY = PrivateKey.generate("FR-MOBILIC", not_before=int((NOW - timedelta(days=30)).timestamp()))
TRUST = trustlist.build([KEY.public], issued_at=NOW)
PROFILES = [
    Profile("court", Sector.PASSENGERS, worked_days=3),
    Profile("median", Sector.GOODS_REGIONAL),
    Profile("amended", Sector.REMOVALS, employer_changes=3, observations=2),
]
CODES = [issue_code(make_record(p, NOW, seed=n), KEY, iat=NOW).text for n, p in enumerate(PROFILES)]
COSE = [unwrap(code) for code in CODES]
VERDICTS = set(Verdict)


def mutate_bytes(data: bytes, fdp: atheris.FuzzedDataProvider) -> bytes:
    """Flip, set, insert, delete or truncate, a few times."""
    buffer = bytearray(data)
    for _ in range(fdp.ConsumeIntInRange(1, 4)):
        if not buffer:
            buffer.extend(fdp.ConsumeBytes(8))
            continue
        at = fdp.ConsumeIntInRange(0, len(buffer) - 1)
        match fdp.ConsumeIntInRange(0, 4):
            case 0:
                buffer[at] ^= 1 << fdp.ConsumeIntInRange(0, 7)
            case 1:
                buffer[at] = fdp.ConsumeIntInRange(0, 255)
            case 2:
                buffer[at:at] = fdp.ConsumeBytes(fdp.ConsumeIntInRange(1, 16))
            case 3:
                del buffer[at : at + fdp.ConsumeIntInRange(1, 16)]
            case _:
                del buffer[at:]
    return bytes(buffer)


def fuzz_value(fdp: atheris.FuzzedDataProvider, depth: int = 0) -> Any:
    """Any CBOR value a hostile issuer could sign."""
    kind = fdp.ConsumeIntInRange(0, 9 if depth < 3 else 6)
    match kind:
        case 0:
            return fdp.ConsumeInt(fdp.ConsumeIntInRange(1, 9))
        case 1:
            return fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 40))
        case 2:
            return fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 40))
        case 3:
            return None
        case 4:
            return fdp.ConsumeBool()
        case 5:
            return fdp.ConsumeRegularFloat()
        case 6:
            return -fdp.ConsumeIntInRange(0, 2**64 - 1)
        case 7:
            return [fuzz_value(fdp, depth + 1) for _ in range(fdp.ConsumeIntInRange(0, 5))]
        case 8:
            return {fuzz_value(fdp, 3): fuzz_value(fdp, depth + 1) for _ in range(3)}
        case _:
            return cbor2.CBORTag(fdp.ConsumeIntInRange(0, 300), fuzz_value(fdp, depth + 1))


def replace_node(tree: Any, fdp: atheris.FuzzedDataProvider) -> Any:
    """The tree with one node, chosen by the input, replaced by a fuzzed value."""
    if fdp.ConsumeIntInRange(0, 3) == 0 or not isinstance(tree, list | dict) or not tree:
        return fuzz_value(fdp)
    if isinstance(tree, list):
        index = fdp.ConsumeIntInRange(0, len(tree) - 1)
        return [*tree[:index], replace_node(tree[index], fdp), *tree[index + 1 :]]
    keys = list(tree)
    key = keys[fdp.ConsumeIntInRange(0, len(keys) - 1)]
    return {**tree, key: replace_node(tree[key], fdp)}


def signed(payload: Any) -> str:
    try:
        return wrap(cose.sign(cbor2.dumps(payload), KEY))
    except (TypeError, ValueError, cbor2.CBOREncodeError):
        return CODES[0]


def mutated(fdp: atheris.FuzzedDataProvider) -> str:
    layer = fdp.ConsumeIntInRange(0, 7)
    # Outer layers fail before the record is decoded: any seed. Re-signed mutants reach the
    # record decoder (~1 ms for 28 days): mostly the short record, to keep 1 000 000 runs fast.
    which = (
        fdp.ConsumeIntInRange(0, len(CODES) - 1)
        if layer < 4 or fdp.ConsumeIntInRange(0, 7) == 0
        else 0
    )
    text, cose_bytes = CODES[which], COSE[which]
    match layer:
        case 0:  # the text
            return mutate_bytes(text.encode(), fdp).decode("latin-1")
        case 1:  # the Base45-decoded bytes (the zlib stream)
            return "LIC1:" + base45.encode(mutate_bytes(base45.decode(text[5:]), fdp))
        case 2:  # the COSE bytes, recompressed
            return "LIC1:" + base45.encode(zlib.compress(mutate_bytes(cose_bytes, fdp)))
        case 3:  # the COSE structure
            tag = cbor2.loads(cose_bytes)
            items = replace_node(list(tag.value), fdp)
            structure = cbor2.CBORTag(18, items) if fdp.ConsumeBool() else items
            try:
                return wrap(cbor2.dumps(structure))
            except (TypeError, ValueError, cbor2.CBOREncodeError):
                return text
        case 4:  # the claims, re-signed
            claims = cbor2.loads(cose.parse(cose_bytes).payload)
            return signed(replace_node({k: v for k, v in claims.items() if k != -70001}, fdp))
        case 5:  # the compact record, re-signed
            claims = cbor2.loads(cose.parse(cose_bytes).payload)
            return signed({**claims, -70001: replace_node(claims[-70001], fdp)})
        case 6:  # the record's bytes (timelines) mutated, re-signed
            claims = cbor2.loads(cose.parse(cose_bytes).payload)
            raw = mutate_bytes(cbor2.dumps(claims[-70001]), fdp)
            try:
                return signed({**claims, -70001: cbor2.loads(raw)})
            except Exception:  # an undecodable mutation (any error): nothing to sign
                return text
        case _:
            return fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 3000))


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    text = mutated(fdp)
    result = verify(text, TRUST, NOW)
    if result.verdict not in VERDICTS:
        raise AssertionError(f"not a verdict of the spec: {result.verdict!r}")
    result.record  # noqa: B018 -- built on first use: it must build whenever it is there
    if fdp.ConsumeIntInRange(0, 7) == 0:  # one input in eight, to keep the runs fast
        whole = decoded_whole(text)
        if seen(whole) != seen(result):
            raise AssertionError(f"claims read from their heads: {result}, decoded whole: {whole}")


def decoded_whole(text: str) -> Verification:
    """The verdict with every claim decoded at once, the record included: what the claims
    read from their heads (`claims.read_usual`) must agree with."""
    verifier.read_usual = lambda payload: None
    try:
        return verify(text, TRUST, NOW)
    finally:
        verifier.read_usual = claims.read_usual


def seen(result: Verification) -> tuple[Any, ...]:
    verdict = (result.verdict, result.detail, result.layer, result.warnings)
    return (*verdict, result.iat, result.exp, result.cti, result.record)


def main() -> None:
    for code in CODES:  # the seeds are valid, or the fuzzing proves nothing
        assert verify(code, TRUST, NOW).verdict is Verdict.VALID
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
