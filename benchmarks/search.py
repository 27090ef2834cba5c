"""Search over many controls: load time, p50/p95 of typical queries, a 50 000-row export.

    .venv/bin/python benchmarks/search.py --controls 1000000 [--database-url postgresql://…]

Without --database-url a fresh SQLite file is used. A PostgreSQL database given here is
WIPED first (schema public dropped): use a scratch database. Goal: p95 ≤ 100 ms on both.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select, text

from control.demo.controls import load
from control.settings import Settings
from control.storage.controls import ControlKind
from control.storage.database import connect, migrate
from control.storage.schema import controls
from control.storage.search import SearchQuery, iterate, search
from control.storage.users import Role, User, add_user

RUNS = 15


def fresh_engine(url: str | None, folder: Path, reuse: bool) -> Engine:
    if url is None:
        return connect(f"sqlite:///{folder / 'search-bench.db'}")
    if reuse:
        return connect(Settings(database_url=url).database())
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return connect(url)
    engine = connect(Settings(database_url=url).database())
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    return engine


def queries(engine: Engine) -> dict[str, SearchQuery]:
    with engine.connect() as connection:
        sample = connection.execute(
            select(controls.c.employer_siren, controls.c.plate, controls.c.employer_name,
                   controls.c.driver_name, controls.c.commune)
            .where(controls.c.id == 4242)
        ).one()  # fmt: skip
    company_word = sample.employer_name.split()[1][:4]
    today = datetime.now(UTC).date()
    recent = today - timedelta(days=90)
    year_ago = today - timedelta(days=365)
    return {
        "text: driver first name": SearchQuery(text="etienne"),
        "text: company fragment": SearchQuery(text=company_word),
        "SIREN": SearchQuery(siren=sample.employer_siren),
        "plate": SearchQuery(plate=sample.plate),
        "département + 90 days": SearchQuery(departement="69", date_from=recent),
        "NATINF 20525": SearchQuery(natinf="20525"),
        "NATINF + département": SearchQuery(natinf="32083", departement="13"),
        "paper, last year": SearchQuery(kind=ControlKind.PAPER, date_from=year_ago),
        "text + NATINF": SearchQuery(text="morel", natinf="11292"),
        "by company, page 5": SearchQuery(sort="company", page=5),
        # beyond the ten: the rare words an inspector types most, and a typo
        "text: name + commune": SearchQuery(text=f"{sample.driver_name} {sample.commune}"),
        "text: word found nowhere": SearchQuery(text="zyxwvu"),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--controls", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the data already loaded (same database)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = fresh_engine(args.database_url, Path(folder), args.reuse)
        migrate(engine)
        viewer = User(0, "bench-insp", "Banc", Role.INSPECTOR, True)
        start = time.perf_counter()
        if not args.reuse:
            add_user(engine, "bench-insp", "Banc", Role.INSPECTOR, "bench password")
            load(engine, args.controls)
        if engine.dialect.name == "postgresql":
            # what autovacuum does soon after a bulk load: statistics, and the visibility map
            # that index-only scans (NATINF + département) rely on
            with engine.connect() as connection:
                autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
                autocommit.execute(text("VACUUM ANALYZE"))
        else:
            with engine.begin() as connection:
                connection.execute(text("ANALYZE"))
        loaded = time.perf_counter() - start
        print(f"{engine.dialect.name}: {args.controls:,} controls loaded in {loaded:.0f} s "
              f"({args.controls / loaded:,.0f}/s)")  # fmt: skip
        all_times: list[float] = []
        print(
            f"{'query':<28}{'results':>10}{'p50 ms':>10}{'p95 ms':>10}   (counts capped at 10 001)"
        )
        for name, query in queries(engine).items():
            times = []
            for _ in range(RUNS):
                begin = time.perf_counter()
                page = search(engine, query, viewer)
                times.append((time.perf_counter() - begin) * 1000)
            times.sort()
            all_times += times
            print(f"{name:<28}{page.total:>10,}{statistics.median(times):>10.1f}"
                  f"{times[int(len(times) * 0.95)]:>10.1f}")  # fmt: skip
        all_times.sort()
        print(f"{'all queries':<28}{'':>10}{statistics.median(all_times):>10.1f}"
              f"{all_times[int(len(all_times) * 0.95)]:>10.1f}   (goal p95 ≤ 100 ms)")  # fmt: skip
        begin = time.perf_counter()
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        rows = 0
        for control in iterate(engine, SearchQuery(), viewer, 50_000):
            writer.writerow((control.id, control.occurred_at.isoformat(), control.plate,
                             control.driver_name, control.employer_name))  # fmt: skip
            rows += 1
        print(f"export of {rows:,} rows (CSV): {time.perf_counter() - begin:.1f} s, "
              f"{len(out.getvalue()) / 1e6:.1f} MB")  # fmt: skip
        engine.dispose()


if __name__ == "__main__":
    main()
