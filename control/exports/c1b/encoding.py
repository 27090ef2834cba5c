"""The gen-1 data types a driver card file is made of (Annex 1B, Appendix 1, data dictionary).

Every multi-byte integer is big-endian, most significant octet first (Appendix 1,
introduction); strings are fixed-length, right-padded with spaces.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

NATION_FRANCE = 0x11  # NationNumeric (Appendix 1): 'F' France
CODEPAGE_LATIN1 = 1  # Name / VehicleRegistrationNumber code page: ISO/IEC 8859-1


def integer(value: int, size: int) -> bytes:
    """An unsigned INTEGER of `size` octets, clamped to its range rather than overflowing."""
    return max(0, min(value, (1 << 8 * size) - 1)).to_bytes(size, "big")


def time_real(when: datetime | None) -> bytes:
    """TimeReal (Appendix 1): seconds since 1970-01-01 00:00 UTC; 0 when unknown."""
    return integer(0 if when is None else int(when.astimezone(UTC).timestamp()), 4)


def midnight_utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def bcd(number: int, digits: int) -> bytes:
    """BCDString (Appendix 1): two decimal digits per octet; wraps like a counter."""
    text = str(number % 10**digits).rjust(digits, "0")
    return bytes(int(text[i]) * 16 + int(text[i + 1]) for i in range(0, digits, 2))


def datef(day: date) -> bytes:
    """Datef (Appendix 1): yyyymmdd in BCD, 4 octets."""
    return bcd(day.year, 4) + bcd(day.month * 100 + day.day, 4)


def ia5(text: str, size: int) -> bytes:
    """IA5String of a fixed size: ASCII, right-padded with spaces, cut if too long."""
    return text.encode("ascii", "replace")[:size].ljust(size, b" ")


def name(text: str, size: int = 36) -> bytes:
    """Name (Appendix 1): a code page octet then latin-1 text padded with spaces."""
    encoded = text.encode("latin-1", "replace")[: size - 1]
    return bytes([CODEPAGE_LATIN1]) + encoded.ljust(size - 1, b" ")


def vehicle_registration(plate: str) -> bytes:
    """VehicleRegistrationIdentification (Appendix 1): nation, then
    VehicleRegistrationNumber (code page + 13 octets). LIC plates are French."""
    return bytes([NATION_FRANCE]) + name(plate.replace(" ", "").upper(), 14)
