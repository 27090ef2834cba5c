"""A reader of gen-1 driver card downloads, written for the tests from Annex 1B of Regulation
(EEC) 3821/85 alone: it shares nothing with control.exports.c1b, so a misreading of the
regulation in the writer shows up as a disagreement here instead of cancelling out.

Appendix 7 (data downloading protocols), card download file: a sequence of
    FID (2 octets) | 00 data / 01 signature (1 octet) | length (2 octets, big-endian) | value
Appendix 1 (data dictionary) for the values read below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

# Appendix 2, driver card file structure (gen-1): FIDs of the EFs read here
ICC, IC = 0x0002, 0x0005
APPLICATION_IDENTIFICATION, IDENTIFICATION = 0x0501, 0x0520
DRIVER_ACTIVITY, VEHICLES_USED, PLACES = 0x0504, 0x0505, 0x0506
CARD_CERTIFICATE, CA_CERTIFICATE = 0xC100, 0xC108
# Appendix 7: these go unsigned; every other downloaded EF carries a signature
UNSIGNED = {ICC, IC, CARD_CERTIFICATE, CA_CERTIFICATE}

ACTIVITIES = {0: "BREAK/REST", 1: "AVAILABILITY", 2: "WORK", 3: "DRIVING"}
SLOTS = {0: "DRIVER", 1: "CO-DRIVER"}


class MalformedError(ValueError):
    pass


@dataclass
class EF:
    data: bytes
    signature: bytes | None = None


@dataclass
class Vehicle:
    odometer_begin: int
    odometer_end: int
    first_use: datetime
    last_use: datetime
    nation: int
    plate: str


@dataclass
class Place:
    at: datetime
    entry_type: int
    country: int
    odometer: int


@dataclass
class Download:
    efs: dict[int, EF] = field(default_factory=dict)

    def ef(self, fid: int) -> bytes:
        return self.efs[fid].data


def parse(content: bytes) -> Download:
    """The EFs of the file; a signature block must follow its data block."""
    download, at = Download(), 0
    while at < len(content):
        if at + 5 > len(content):
            raise MalformedError(f"truncated tag at {at}")
        fid = int.from_bytes(content[at : at + 2], "big")
        kind = content[at + 2]
        length = int.from_bytes(content[at + 3 : at + 5], "big")
        value = content[at + 5 : at + 5 + length]
        if len(value) != length:
            raise MalformedError(f"EF {fid:04X}: {length} octets announced, {len(value)} present")
        if kind == 0:
            if fid in download.efs:
                raise MalformedError(f"EF {fid:04X} twice")
            download.efs[fid] = EF(value)
        elif kind == 1:
            if fid not in download.efs or download.efs[fid].signature is not None:
                raise MalformedError(f"signature of EF {fid:04X} without its data")
            download.efs[fid].signature = value
        else:
            raise MalformedError(f"unknown block type {kind}")
        at += 5 + length
    return download


def bad_signatures(download: Download, public: rsa.RSAPublicKey) -> list[int]:
    """FIDs whose signature is missing or does not verify (Appendix 11 part A: RSA,
    PKCS #1 v1.5, SHA-1)."""
    bad = []
    for fid, ef in download.efs.items():
        if fid in UNSIGNED:
            continue
        if ef.signature is None:
            bad.append(fid)
            continue
        try:
            public.verify(ef.signature, ef.data, padding.PKCS1v15(), hashes.SHA1())
        except InvalidSignature:
            bad.append(fid)
    return bad


def _time(octets: bytes) -> datetime:  # TimeReal
    return datetime.fromtimestamp(int.from_bytes(octets, "big"), UTC)


def _bcd(octets: bytes) -> int:
    return int("".join(f"{b >> 4}{b & 15}" for b in octets))


def _name(octets: bytes) -> str:  # Name: code page, then text
    assert octets[0] == 1, "the writer declares ISO 8859-1"
    return octets[1:].decode("latin-1").rstrip()


@dataclass
class Holder:
    card_number: str
    surname: str
    first_names: str
    birth_date: date
    issuing_nation: int


def holder(download: Download) -> Holder:
    """CardIdentification (65 octets) then DriverCardHolderIdentification (78)."""
    data = download.ef(IDENTIFICATION)
    if len(data) != 143:
        raise MalformedError("EF Identification is 143 octets")
    birth = data[137:141]
    return Holder(
        card_number=data[1:17].decode("ascii"),
        surname=_name(data[65:101]),
        first_names=_name(data[101:137]),
        birth_date=date(_bcd(birth[:2]), _bcd(birth[2:3]), _bcd(birth[3:4])),
        issuing_nation=data[0],
    )


@dataclass
class Day:
    date: date
    presence_counter: int
    distance: int
    minutes: list[tuple[str, str] | None]  # (slot, activity) or None: card not inserted


def days(download: Download) -> list[Day]:
    """CardDriverActivity: oldest/newest pointers into a cyclic buffer of
    CardActivityDailyRecords, each: previous length, own length, date (TimeReal), presence
    counter (BCD), distance, then ActivityChangeInfo words 'scpaattttttttttt'."""
    length = int.from_bytes(download.ef(APPLICATION_IDENTIFICATION)[5:7], "big")
    data = download.ef(DRIVER_ACTIVITY)
    oldest, newest = int.from_bytes(data[0:2], "big"), int.from_bytes(data[2:4], "big")
    buffer = data[4:]
    if len(buffer) != length:
        raise MalformedError("activity buffer size differs from the application identification")

    def take(at: int, n: int) -> bytes:
        return bytes(buffer[(at + i) % length] for i in range(n))

    out: list[Day] = []
    at, previous = oldest, 0
    while True:
        head = take(at, 12)
        prev_len, rec_len = int.from_bytes(head[0:2], "big"), int.from_bytes(head[2:4], "big")
        if out and prev_len != previous:
            raise MalformedError("previous record length does not match")
        if rec_len < 14 or (rec_len - 12) % 2:
            raise MalformedError(f"bad record length {rec_len}")
        words = take(at + 12, rec_len - 12)
        changes = [int.from_bytes(words[i : i + 2], "big") for i in range(0, len(words), 2)]
        out.append(
            Day(
                _time(head[4:8]).date(),
                _bcd(head[8:10]),
                int.from_bytes(head[10:12], "big"),
                _minutes(changes),
            )
        )
        if at == newest:
            return out
        at, previous = (at + rec_len) % length, rec_len
        if len(out) > length // 14:
            raise MalformedError("records never reach the newest pointer")


def _minutes(changes: list[int]) -> list[tuple[str, str] | None]:
    minutes: list[tuple[str, str] | None] = [None] * 1440
    for i, word in enumerate(changes):
        slot, crew, not_inserted = word >> 15, (word >> 14) & 1, (word >> 13) & 1
        activity, start = (word >> 11) & 3, word & 0x7FF
        end = (changes[i + 1] & 0x7FF) if i + 1 < len(changes) else 1440
        if not_inserted:
            state = None
        else:
            assert crew == slot, "single for the driver slot, crew for the co-driver slot"
            state = (SLOTS[slot], ACTIVITIES[activity])
        for minute in range(start, end):
            minutes[minute] = state
    return minutes


def vehicles(download: Download) -> list[Vehicle]:
    """CardVehiclesUsed: newest record index, then 31-octet CardVehicleRecords; unused
    records have a zero first use."""
    data = download.ef(VEHICLES_USED)
    found = []
    for at in range(2, len(data) - 30, 31):
        record = data[at : at + 31]
        if int.from_bytes(record[6:10], "big") == 0:
            continue
        found.append(
            Vehicle(
                int.from_bytes(record[0:3], "big"),
                int.from_bytes(record[3:6], "big"),
                _time(record[6:10]),
                _time(record[10:14]),
                record[14],
                _name(record[15:29]),
            )
        )
    return found


def places(download: Download) -> list[Place]:
    """CardPlaceDailyWorkPeriod: newest record index (1 octet), then 10-octet PlaceRecords."""
    data = download.ef(PLACES)
    found = []
    for at in range(1, len(data) - 9, 10):
        record = data[at : at + 10]
        if int.from_bytes(record[0:4], "big") == 0:
            continue
        found.append(
            Place(_time(record[0:4]), record[4], record[5], int.from_bytes(record[7:10], "big"))
        )
    return found
