"""The heavy-work pool: bounded running and waiting, refused at once beyond, room again once
the work is done (not when its caller stops waiting)."""

from __future__ import annotations

import asyncio
import os
import threading
import time

import pytest

from control.services.workers import BUSY_MESSAGE, BusyError, WorkerPool
from tests.own_loop import run


def test_past_the_running_and_waiting_jobs_the_pool_refuses_at_once() -> None:
    pool = WorkerPool(threads=1, queue=1, retry_after=7)
    release = threading.Event()
    running, waiting = pool.submit(release.wait), pool.submit(release.wait)
    with pytest.raises(BusyError) as refused:
        pool.submit(release.wait)
    assert refused.value.message == BUSY_MESSAGE
    assert refused.value.retry_after == 7
    release.set()
    running.result(timeout=5), waiting.result(timeout=5)
    assert pool.submit(lambda: 42).result(timeout=5) == 42
    pool.shutdown()


def test_a_pool_of_no_thread_refuses_everything() -> None:
    pool = WorkerPool(threads=0, queue=10)
    with pytest.raises(BusyError):
        pool.submit(lambda: None)
    pool.shutdown()


def test_a_caller_that_stops_waiting_does_not_free_the_slot() -> None:
    pool = WorkerPool(threads=1, queue=0)
    release = threading.Event()

    async def impatient() -> None:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(pool.run(release.wait), 0.05)

    run(impatient())
    with pytest.raises(BusyError):  # the work still runs: no room for more
        pool.submit(lambda: None)
    release.set()
    deadline = time.monotonic() + 5
    while pool.taken and time.monotonic() < deadline:  # the work ends on its own thread
        time.sleep(0.01)
    assert pool.call(lambda: "room again") == "room again"
    pool.shutdown()


def test_the_work_runs_off_the_event_loop() -> None:
    pool = WorkerPool(threads=2, queue=0)

    async def both() -> list[str]:
        loop_thread = threading.current_thread().name
        names = await asyncio.gather(
            pool.run(lambda: threading.current_thread().name),
            pool.run(lambda: threading.current_thread().name),
        )
        assert loop_thread not in names
        return list(names)

    assert all(name.startswith("lic-work") for name in run(both()))
    pool.shutdown()


def test_a_pool_of_processes_runs_the_work_elsewhere_and_is_bounded_too() -> None:
    pool = WorkerPool(threads=1, queue=0, processes=True, niceness=10)
    try:
        first = pool.submit(time.sleep, 0.5)
        with pytest.raises(BusyError):
            pool.submit(os.getpid)
        first.result(timeout=60)
        deadline = time.monotonic() + 5
        while pool.taken and time.monotonic() < deadline:
            time.sleep(0.01)
        assert pool.call(os.getpid) != os.getpid()
        assert pool.call(os.getpriority, os.PRIO_PROCESS, 0) >= 10  # yields the CPU
    finally:
        pool.shutdown()


def test_work_that_waited_past_its_time_is_dropped_not_run() -> None:
    """A flood queued by one client does not hold later frames behind stale work."""
    pool = WorkerPool(threads=1, queue=2, max_wait=1.0)
    release = threading.Event()
    ran: list[str] = []
    try:
        first = pool.submit(release.wait)
        stale = pool.submit(ran.append, "stale")
        time.sleep(1.5)  # the queued job waits past max_wait
        release.set()
        first.result(5)
        with pytest.raises(BusyError):
            stale.result(5)
        assert ran == []
        assert pool.call(ran.append, "fresh") is None  # a job that did not wait runs
        assert ran == ["fresh"]
    finally:
        release.set()
        pool.shutdown()
