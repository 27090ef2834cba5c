"""Company control report for many drivers: import, then the report with its PDF and XLSX.

    .venv/bin/python benchmarks/company_report.py --drivers 500 [--runs 3]

The drivers are synthetic: 28-day records of one company, four in five as signed LIC1:
codes and one in five as JSON, a third with days the employer changed. "Import" is what the
uploads do (each file read and verified); "report" is what "Établir le rapport" does: every
kept file read again against the trust list, the rules over all, the PDF and the XLSX
(control.company.establish), with one helper process for part of the PDF as the server
has (started and warmed up before the runs, as after the server's first report). Goal
(issue #23): the report for 500 drivers × 28 days, PDF and XLSX included, in ≤ 2 s.

Each run prints its wall time, the CPU time of this process and of the helper, and the
report's critical path in CPU time (the request thread's CPU time plus the helper's while
the thread waits for it): on a machine whose cores other work shares, the wall time counts
that work's turns; the critical path is what two free cores take, within a few hundredths.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar
from unittest.mock import patch

from pypdf import PdfReader

from control.company.establish import KeptFile, establish
from control.company.files import read_driver_file
from control.company.pdf import PdfRendering, sign_report, write_pdf
from control.company.report import CompanyReport, build_report
from control.company.xlsx import render_xlsx
from control.demo.company import company_files, company_records
from control.gc_pause import fewer_collections
from control.pades.certs import signing_identity
from control.services.workers import Offered, WorkerPool
from control.settings import Settings
from control.verify import trustlist
from control.verify.keys import PrivateKey

T = TypeVar("T")
GOAL_SECONDS = 2.0


def timed(action: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def cpu_timed(action: Callable[[], T]) -> tuple[T, float]:
    """The thread's CPU time: what a stage costs even when other work shares the cores."""
    start = time.thread_time()
    result = action()
    return result, time.thread_time() - start


class CriticalPath:
    """The report's critical path in CPU time: the request thread's own CPU time, plus the
    helper's CPU time while the thread waits for it. On a shared machine the wall time
    counts the other work's turns too; this is what two free cores would take (near
    enough: the hand-overs' latency is left out). Reads the helper's run time from
    /proc/<pid>/schedstat (Linux; None elsewhere)."""

    def __init__(self, helper_pid: int) -> None:
        self._stat = Path(f"/proc/{helper_pid}/schedstat")
        self.waited = 0.0

    def helper_cpu(self) -> float:
        return int(self._stat.read_text().split()[0]) / 1e9

    @contextmanager
    def watching(self) -> Iterator[None]:
        """Offered.result timed while the report is established."""
        original = Offered.result

        def result(offered: Offered[T]) -> T:
            before = self.helper_cpu()
            try:
                return original(offered)
            finally:
                self.waited += self.helper_cpu() - before

        with patch.object(Offered, "result", result):
            yield

    def measure(self, action: Callable[[], T]) -> tuple[T, float | None]:
        if not self._stat.exists():
            return action(), None
        self.waited = 0.0
        with self.watching():
            result, cpu = cpu_timed(action)
        return result, cpu + self.waited


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--drivers", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    made = datetime(2026, 11, 25, 9, 40, tzinfo=UTC)
    at = made + timedelta(days=10)  # the company control, after the codes expired
    key = PrivateKey.generate("FR-MOBILIC", not_before=int((made - timedelta(days=30)).timestamp()))
    trust = trustlist.build([key.public], issued_at=at - timedelta(hours=1))
    records, made_in = timed(lambda: company_records(args.drivers, made))
    files, signed_in = timed(lambda: company_files(records, key, made))
    days = sum(len(r.days) for r in records)
    size = sum(len(data) for _, data in files)
    print(f"{args.drivers} drivers, {days} worked days, {size / 1e6:.1f} MB of files")
    print(f"set-up (not timed): records {made_in:.1f} s, codes signed {signed_in:.1f} s")

    identity = signing_identity(Settings(data_dir=Path(tempfile.mkdtemp())))  # a demo chain
    helper = WorkerPool(1, 2, processes=True, max_wait=600)  # its start is not timed
    helper.call(write_pdf, "<p>Prêt.</p>")  # the process started, WeasyPrint and fonts loaded
    helper.call(render_xlsx, CompanyReport("", "", at, (), ()))  # and openpyxl
    kept = [KeptFile(n, d.decode("utf-8-sig")) for n, d in files]
    critical = CriticalPath(helper.call(os.getpid))
    imports, reports, paths = [], [], []
    for run in range(1, args.runs + 1):
        read, imported = timed(lambda: [read_driver_file(n, d, trust, at) for n, d in files])
        cpu, theirs = time.process_time(), helper.call(time.process_time)
        start = time.perf_counter()
        done, path = critical.measure(
            lambda: establish(kept, trust, at, identity=identity, helper=helper)
        )
        reported = time.perf_counter() - start
        cpu = time.process_time() - cpu  # this process's share; the helper's runs beside it
        theirs = helper.call(time.process_time) - theirs
        imports.append(imported)
        reports.append(reported)
        paths += [path] if path is not None else []
        print(
            f"run {run}: import {imported:.2f} s, report {reported:.2f} s "
            f"(CPU here {cpu:.2f} s, in the helper {theirs:.2f} s"
            + (f"; critical path {path:.2f} s of CPU)" if path is not None else ")")
        )

    report = done.report
    pages = len(PdfReader(io.BytesIO(done.pdf)).pages)
    print(
        f"report: {len(report.drivers)} drivers, {report.changes} changed days "
        f"({report.unjustified} without employer observation), {sum(report.natinf().values())} "
        f"findings; PDF {pages} pages {len(done.pdf) / 1e3:.0f} kB, "
        f"XLSX {len(done.xlsx) / 1e3:.0f} kB"
    )
    with fewer_collections():  # as establish() does, so the parts add up to the whole
        _, again = timed(lambda: [read_driver_file(n, d, trust, at) for n, d in files])
        _, again_cpu = cpu_timed(lambda: [read_driver_file(n, d, trust, at) for n, d in files])
        built, analysed = timed(lambda: build_report(read, at))
        _, analysed_cpu = cpu_timed(lambda: build_report(read, at))
        _, serial = timed(lambda: PdfRendering(built).result())
        _, serial_cpu = cpu_timed(lambda: PdfRendering(built).result())
        rendering, started = timed(lambda: PdfRendering(built, helper))
        _, xlsx_time = timed(lambda: render_xlsx(built))
        pdf, pdf_time = timed(rendering.result)
        _, signed = timed(lambda: sign_report(pdf, built, identity))
        _, signed_cpu = cpu_timed(lambda: sign_report(pdf, built, identity))
        _, xlsx_cpu = cpu_timed(lambda: render_xlsx(built))
    helper.shutdown()
    print(
        f"breakdown: read and verify {again:.2f} s, rules and report {analysed:.2f} s, "
        f"XLSX {xlsx_time:.2f} s (here, while the helper renders the changes), PDF "
        f"{started + pdf_time:.2f} s more (on one core alone: {serial:.2f} s), "
        f"signature {signed:.2f} s"
    )
    print(
        f"breakdown in CPU time: read and verify {again_cpu:.2f} s, rules and report "
        f"{analysed_cpu:.2f} s, XLSX {xlsx_cpu:.2f} s, PDF on one core {serial_cpu:.2f} s, "
        f"signature {signed_cpu:.2f} s"
    )
    median = statistics.median(reports)
    verdict = "met" if median <= GOAL_SECONDS else "NOT met"
    print(
        f"import median {statistics.median(imports):.2f} s; report median {median:.2f} s, "
        f"best {min(reports):.2f} s (goal ≤ {GOAL_SECONDS:g} s for 500 drivers: {verdict})"
    )
    if paths:
        path = statistics.median(paths)
        verdict = "met" if path <= GOAL_SECONDS else "NOT met"
        print(
            f"report's critical path in CPU time (two free cores): median {path:.2f} s, "
            f"best {min(paths):.2f} s (goal ≤ {GOAL_SECONDS:g} s: {verdict})"
        )


if __name__ == "__main__":
    main()
