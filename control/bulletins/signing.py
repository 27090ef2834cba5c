"""The bulletin's verification code: `BDC1:` + the LIC envelope (Base45, zlib, COSE_Sign1
Ed25519) around CWT claims, signed with the service's key.

Claims: 1 iss, 6 iat, and text keys `n` number, `v` version, `d` control date, `s` SIREN or
VAT number, `p` plate, `c` driver's name as printed, `i` NATINF list, `h` SHA-256 of the
canonical content (see docs/bulletins.md). Anyone with the service's public key checks it
offline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import cbor2

from control.bulletins.canonical import digest
from control.bulletins.model import Bulletin
from control.verify import cose
from control.verify.envelope import EnvelopeError, NotALicCodeError, unwrap, wrap
from control.verify.keys import PrivateKey, PublicKey

PREFIX = "BDC1:"
ISSUER = "FR-CONTROLE-LIC"


@dataclass(frozen=True)
class SignedFields:
    number: str
    version: int
    control_date: str
    company: str
    plate: str
    driver: str
    natinf: tuple[str, ...]
    sha256: bytes
    issued_at: datetime
    kid: str


@dataclass(frozen=True)
class BulletinCheck:
    valid: bool
    reason: str  # French, for the screen and the CLI
    fields: SignedFields | None = None


def claims(bulletin: Bulletin) -> dict[object, object]:
    return {
        1: ISSUER,
        6: int(bulletin.issued_at.timestamp()),
        "n": bulletin.number,
        "v": bulletin.version,
        "d": bulletin.control_date.isoformat(),
        "s": bulletin.company.siren,
        "p": bulletin.vehicle.plate,
        "c": bulletin.driver.full_name,
        "i": [infraction.natinf for infraction in bulletin.infractions],
        "h": digest(bulletin),
    }


def sign_bulletin(bulletin: Bulletin, key: PrivateKey) -> str:
    return wrap(cose.sign(cbor2.dumps(claims(bulletin)), key), prefix=PREFIX)


def check_code(text: str, keys: Sequence[PublicKey]) -> BulletinCheck:
    """Is this `BDC1:` code signed by one of the service's keys? Never raises."""
    try:
        sign1 = cose.parse(unwrap(text, prefix=PREFIX))
    except NotALicCodeError:
        return BulletinCheck(False, "Ce n'est pas le code de vérification d'un bulletin.")
    except (EnvelopeError, cose.CoseError):
        return BulletinCheck(False, "Code de bulletin illisible ou altéré.")
    key = next((k for k in keys if k.kid == sign1.kid), None)
    if key is None:
        return BulletinCheck(False, "Bulletin signé par une clé inconnue du service.")
    if not key.verify(sign1.to_be_signed(), sign1.signature):
        return BulletinCheck(False, "Signature invalide : le code du bulletin a été modifié.")
    fields = _fields(sign1.payload, key)
    if fields is None:
        return BulletinCheck(False, "Contenu signé incomplet.")
    return BulletinCheck(True, "Bulletin authentique, émis par le service de contrôle.", fields)


def _fields(payload: bytes, key: PublicKey) -> SignedFields | None:
    try:
        data = cose.loads(payload)
    except cose.CoseError:
        return None
    if not isinstance(data, Mapping):
        return None
    try:
        natinf = data["i"]
        if not isinstance(natinf, list | tuple) or not all(isinstance(n, str) for n in natinf):
            return None
        values = (data["n"], data["d"], data["s"], data["p"], data["c"])
        if not all(isinstance(v, str) for v in values) or not isinstance(data["h"], bytes):
            return None
        if not isinstance(data["v"], int) or not isinstance(data[6], int):
            return None
        return SignedFields(
            number=data["n"],
            version=data["v"],
            control_date=data["d"],
            company=data["s"],
            plate=data["p"],
            driver=data["c"],
            natinf=tuple(natinf),
            sha256=data["h"],
            issued_at=datetime.fromtimestamp(data[6], UTC),
            kid=key.kid_text,
        )
    except (KeyError, OverflowError, OSError, ValueError):
        return None
