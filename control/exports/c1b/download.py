"""A control's record as driver card download files (.C1B): one, or two when they differ.

A download is the concatenation of the card's elementary files, each as tag (FID on two
octets, then 00 for data or 01 for its signature), length (two octets) and value (Annex 1B,
Appendix 7, 3.3 card downloading, DDP_035, and 3.4 the file format); every signed file is
followed by its signature. The employer's version is the record as validated (amended days
included); the driver's version puts back, on each day the employer amended, the
activities the driver had entered (`WorkDay.driver_activities`).
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import rsa

from control.exports.c1b.files import (
    Card,
    ElementaryFile,
    VersionDay,
    card_number,
    elementary_files,
)
from control.exports.c1b.signing import sign
from control.record.model import Record

DATA, SIGNATURE = 0x00, 0x01


@dataclass(frozen=True)
class C1BFile:
    name: str
    content: bytes


def serialize(files: list[ElementaryFile], key: rsa.RSAPrivateKey) -> bytes:
    out = bytearray()
    for ef in files:
        out += _block(ef.fid, DATA, ef.data)
        if ef.signed:
            out += _block(ef.fid, SIGNATURE, sign(key, ef.data))
    return bytes(out)


def _block(fid: int, kind: int, value: bytes) -> bytes:
    return fid.to_bytes(2, "big") + bytes([kind]) + len(value).to_bytes(2, "big") + value


def employer_days(record: Record) -> list[VersionDay]:
    return [VersionDay(day, day.activities) for day in record.days]


def driver_days(record: Record) -> list[VersionDay]:
    return [VersionDay(day, day.driver_activities or day.activities) for day in record.days]


def file_stem(driver_id: str, control_id: int) -> str:
    """Mobilic's name for a control's file, RO_<card number>_<control>: upper-case letters,
    digits and underscores only, as the arrêté of 6 July 2005 (art. 2) wants of C1B names."""
    return f"RO_{card_number(driver_id)[:14].strip()}_{control_id}"


def c1b_files(record: Record, card: Card, control_id: int, key: rsa.RSAPrivateKey) -> list[C1BFile]:
    """The employer's version alone when no day differs, else the driver's and the
    employer's, their names telling which."""
    base = file_stem(card.driver.id, control_id)
    employer, driver = employer_days(record), driver_days(record)
    employer_file = serialize(elementary_files(card, employer), key)
    if [d.activities for d in employer] == [d.activities for d in driver]:
        return [C1BFile(f"{base}.C1B", employer_file)]
    driver_file = serialize(elementary_files(card, driver), key)
    return [
        C1BFile(f"{base}_SALARIE.C1B", driver_file),
        C1BFile(f"{base}_EMPLOYEUR.C1B", employer_file),
    ]
