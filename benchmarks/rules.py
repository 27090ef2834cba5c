"""Time of the working-time analysis of 28-day records.

    .venv/bin/python benchmarks/rules.py [--records 10000]

Prints the median and p95 time to analyse one record (goal: median ≤ 5 ms), then the time for
the whole batch. Records are the demo's synthetic drivers (all sectors, every planted breach,
amended and automatically validated days) with varying seeds, so both versions of amended days
are analysed as they would be at a real control.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime

from control.demo.build import demo_drivers
from control.demo.records import make_record
from control.rules import analyze

NOW = datetime(2026, 11, 25, 9, 40, tzinfo=UTC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    args = parser.parse_args()
    profiles = [d.profile for d in demo_drivers()]
    started = time.perf_counter()
    records = [
        make_record(profiles[i % len(profiles)], NOW, seed=i // len(profiles))
        for i in range(args.records)
    ]
    print(f"{len(records)} records built in {time.perf_counter() - started:.1f} s")
    activities = statistics.median(
        sum(len(day.activities) for day in record.days) for record in records
    )
    print(f"median record: {activities:.0f} activities over 28 days")

    times, findings = [], 0
    batch_start = time.perf_counter()
    for record in records:
        start = time.perf_counter()
        analysis = analyze(record, NOW)
        times.append(time.perf_counter() - start)
        findings += len(analysis.findings)
    batch = time.perf_counter() - batch_start
    times.sort()
    median, p95 = times[len(times) // 2], times[int(len(times) * 0.95)]
    print(f"one record: median {median * 1e3:.2f} ms, p95 {p95 * 1e3:.2f} ms (goal ≤ 5 ms)")
    print(
        f"{len(records)} records: {batch:.2f} s, {len(records) / batch:,.0f} records/s, "
        f"{findings} findings"
    )


if __name__ == "__main__":
    main()
