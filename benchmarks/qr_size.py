"""QR versions and byte sizes of LIC codes for 5/14/28-day records and a worst case.

    .venv/bin/python benchmarks/qr_size.py [--drivers 50]

Synthetic records (control.demo.records) of typical drivers; the median over `--drivers`
seeds is printed for each window length. Goal: median 28-day record at version ≤ 25 (M),
worst case ≤ 30.
"""

from __future__ import annotations

import argparse
import statistics
import zlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import cbor2

from control.demo.records import Profile, make_record
from control.issue import issue_code
from control.qr import version_at
from control.record import Record, Sector
from control.record.compact import encode
from control.verify.envelope import unwrap
from control.verify.keys import PrivateKey

NOW = datetime(2026, 11, 25, 9, 40, tzinfo=UTC)
SECTORS = list(Sector)


def last_days(record: Record, days: int) -> Record:
    start = record.window_end - timedelta(days=days - 1)
    return replace(record, days=tuple(d for d in record.days if d.date >= start))


def measure(record: Record, key: PrivateKey) -> dict[str, int]:
    text = issue_code(record, key, iat=NOW).text
    compact = cbor2.dumps(encode(record))
    m = version_at(text, "m") if len(text) <= 3391 else 99
    return {
        "days": len(record.days),
        "activities": sum(len(d.activities) for d in record.days),
        "cbor": len(compact),
        "zlib": len(zlib.compress(compact, 9)),
        "cose": len(unwrap(text)),
        "chars": len(text),
        "M": m,
        "L": version_at(text, "l"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drivers", type=int, default=50)
    args = parser.parse_args()
    key = PrivateKey.generate("FR-MOBILIC")
    columns: tuple[tuple[str, int], ...] = (
        ("days", 5),
        ("acts", 6),
        ("cbor B", 8),
        ("zlib B", 8),
        ("cose B", 8),
    )
    columns += (("chars", 7), ("ver M", 7), ("ver L", 7))
    header = f"{'record':<34}" + "".join(f"{name:>{width}}" for name, width in columns)
    print(header)
    print("-" * len(header))
    typical = [
        make_record(Profile(f"d{i}", SECTORS[i % len(SECTORS)]), NOW, seed=i)
        for i in range(args.drivers)
    ]
    for window in (5, 14, 28):
        rows = [measure(last_days(r, window), key) for r in typical]
        median = {k: statistics.median(row[k] for row in rows) for k in rows[0]}
        worst = max(rows, key=lambda row: row["chars"])
        _print(f"median of {args.drivers}, {window} days", median)
        _print(f"largest of {args.drivers}, {window} days", worst)
    heavy = Profile(
        "worst",
        Sector.GOODS_LONG_DISTANCE,
        frozenset({"long-week", "short-rest"}),
        worked_days=26,
        segments_per_day=12,
        employer_changes=10,
        observations=10,
        second_employer=Sector.REMOVALS,
    )
    worst_rows = [measure(make_record(heavy, NOW, seed=i), key) for i in range(10)]
    _print("worst case (26 days x 12, amended)", max(worst_rows, key=lambda row: row["chars"]))


def _print(label: str, row: Mapping[str, float]) -> None:
    print(
        f"{label:<34}{row['days']:>5.0f}{row['activities']:>6.0f}{row['cbor']:>8.0f}{row['zlib']:>8.0f}"
        f"{row['cose']:>8.0f}{row['chars']:>7.0f}{row['M']:>7.0f}{row['L']:>7.0f}"
    )


if __name__ == "__main__":
    main()
